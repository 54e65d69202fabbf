import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FileOutcomeMemo } from '../src/analysis/outcome-memo.js';
import { checkProject } from '../src/engine.js';
import { type LoadKind, WarmProject } from '../src/warm-project.js';
import { writeProject } from './support/projects.js';

const APP = `from flask import Flask, session

from extensions import protect

app = Flask(__name__)
protect(app)


@app.route("/profile", methods=["POST"])
def update_profile():
    return session.get("user", "saved")
`;

const PROTECTING = 'from flask_wtf.csrf import CSRFProtect\n\n\ndef protect(app):\n    CSRFProtect(app)\n';
/** The same imports and calls: only the argument differs, so the module is replaced in place. */
const PROTECTING_NOTHING = 'from flask_wtf.csrf import CSRFProtect\n\n\ndef protect(app):\n    CSRFProtect(None)\n';
const HELPERS = 'def add(a, b):\n    return a + b\n';

/**
 * Each step edits the project (unsaved text, or the file on disk), then the check on the warm
 * project must find exactly what a check from scratch finds: a stale module would show as a
 * missing or extra finding or error.
 */
test('a warm project replaces the modules whose text changed, or loads again when the files it holds can change, and finds what a fresh check finds', async () => {
  const root = writeProject({ 'app.py': APP, 'extensions.py': PROTECTING, 'helpers.py': HELPERS });
  const file = (name: string) => path.join(root, name);
  const warm = new WarmProject(true);
  const memo = new FileOutcomeMemo();
  const overlays = new Map<string, string>();
  const step = async (expected: LoadKind, rules: string[]) => {
    const options = { paths: ['.'], cwd: root, overlays };
    const warmed = await checkProject({ ...options, outcomeMemo: memo, warmProject: warm });
    const fresh = await checkProject(options);
    assert.equal(warm.lastLoad, expected);
    assert.deepEqual(warmed.result.findings, fresh.result.findings);
    assert.deepEqual(warmed.result.errors, fresh.result.errors);
    assert.deepEqual(
      warmed.result.findings.map((finding) => `${finding.rule} ${finding.path}:${finding.line}`),
      rules,
    );
    return warmed.result;
  };
  const unprotected = 'flask-csrf-protect-missing app.py:5';

  await step('loaded', []);
  overlays.set(file('extensions.py'), PROTECTING_NOTHING);
  await step('modules-replaced', [unprotected]);
  // A comment edited: no fact changes, so the project and what the rules found in it are kept.
  overlays.set(file('app.py'), APP.replace('app = Flask(__name__)', 'app = Flask(__name__)  # the one app'));
  await step('kept', [unprotected]);
  overlays.set(file('app.py'), APP.replace('app = Flask(__name__)', 'app = Flask(__name__)  # csrflint: ignore[flask-csrf-protect-missing] -- a proxy checks tokens'));
  assert.equal((await step('modules-replaced', [unprotected])).findings[0]!.suppressed, true);
  overlays.set(file('app.py'), APP);
  assert.equal((await step('modules-replaced', [unprotected])).findings[0]!.suppressed, false);
  overlays.set(file('extensions.py'), PROTECTING);
  await step('modules-replaced', []);
  // A call of a name no import binds leads the loader to no other file.
  overlays.set(file('extensions.py'), `${PROTECTING}    print("protected")\n`);
  await step('modules-replaced', []);
  overlays.set(file('extensions.py'), PROTECTING);
  await step('modules-replaced', []);
  // Still no rule's word: the prefilter passes it over again, and no module imports it.
  overlays.set(file('helpers.py'), HELPERS.replace('a + b', 'a - b'));
  await step('kept', []);
  overlays.set(file('helpers.py'), 'WTF_CSRF_ENABLED = False\n');
  await step('loaded', ['flask-wtf-csrf-disabled helpers.py:1']);
  overlays.set(file('app.py'), APP.replace('from extensions import protect', 'from extensions import protect\nimport helpers'));
  await step('loaded', ['flask-wtf-csrf-disabled helpers.py:1']);
  overlays.delete(file('app.py'));
  overlays.delete(file('helpers.py'));
  await step('loaded', []);
  // A syntax error the parser recovers from: the module is replaced, and its error comes with it.
  overlays.set(file('extensions.py'), `${PROTECTING}\n\ndef broken(:\n    pass\n`);
  const broken = await step('modules-replaced', []);
  assert.deepEqual(broken.errors.map((error) => error.path), ['extensions.py']);
  overlays.set(file('extensions.py'), PROTECTING);
  const mended = await step('modules-replaced', []);
  assert.deepEqual(mended.errors, []);
  // Changed on disk with no word to the server: the file's version on disk differs from the one read.
  overlays.delete(file('extensions.py'));
  writeFileSync(file('extensions.py'), PROTECTING_NOTHING);
  await step('modules-replaced', [unprotected]);
});

const APP_WITH_EXEMPT_HOOK = `from flask import Flask, session

from extensions import csrf, protect

app = Flask(__name__)
protect(app)


@app.route("/profile", methods=["POST"])
def update_profile():
    return session.get("user", "saved")


@app.route("/hook", methods=["POST"])
@csrf.exempt
def hook():
    session["seen"] = True
    return "ok"
`;

const PROTECTING_BY_INIT_APP = 'from flask_wtf.csrf import CSRFProtect\n\ncsrf = CSRFProtect()\n\n\ndef protect(app):\n    csrf.init_app(app)\n';

/**
 * Two rules judge the same apps (`flask-csrf-protect-missing` and `flask-csrf-exempt`), which are
 * followed once per project model: after each edit, whether the model is partly replaced or loaded
 * again, the warm check must find what a fresh one finds, in the file edited and in the other one.
 */
test('after an edit in one module, the warm project judges the apps again and finds what a fresh check finds elsewhere', async () => {
  const root = writeProject({ 'app.py': APP_WITH_EXEMPT_HOOK, 'extensions.py': PROTECTING_BY_INIT_APP });
  const file = (name: string) => path.join(root, name);
  const warm = new WarmProject(true);
  const memo = new FileOutcomeMemo();
  const overlays = new Map<string, string>();
  const step = async (expected: LoadKind, rules: string[]) => {
    const options = { paths: ['.'], cwd: root, overlays };
    const warmed = await checkProject({ ...options, outcomeMemo: memo, warmProject: warm });
    const fresh = await checkProject(options);
    assert.equal(warm.lastLoad, expected);
    assert.deepEqual(warmed.result.findings, fresh.result.findings);
    assert.deepEqual(
      warmed.result.findings.map((finding) => `${finding.rule} ${finding.path}:${finding.line}`),
      rules,
    );
  };
  const exempt = 'flask-csrf-exempt app.py:15';
  const unprotected = 'flask-csrf-protect-missing app.py:5';

  await step('loaded', [exempt]);
  // The protector's module edited: the finding appears in app.py, and goes when the edit is undone.
  overlays.set(file('extensions.py'), PROTECTING_BY_INIT_APP.replace('init_app(app)', 'init_app(None)'));
  await step('modules-replaced', [unprotected, exempt]);
  overlays.set(file('extensions.py'), PROTECTING_BY_INIT_APP);
  await step('modules-replaced', [exempt]);
  // The helper's call deleted: app.py follows one import less, so the project is loaded again.
  overlays.set(file('app.py'), APP_WITH_EXEMPT_HOOK.replace('protect(app)\n', 'app.debug = False\n'));
  await step('loaded', [unprotected, exempt]);
  overlays.delete(file('app.py'));
  await step('loaded', [exempt]);
  // A view's body edited: the same apps, judged again in the replaced model.
  overlays.set(file('app.py'), APP_WITH_EXEMPT_HOOK.replace('session["seen"] = True', 'session["seen"] = False'));
  await step('modules-replaced', [exempt]);
});
