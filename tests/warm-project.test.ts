import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FileOutcomeMemo } from '../src/analysis/outcome-memo.js';
import { checkProject } from '../src/engine.js';
import { loadProject } from '../src/load-project.js';
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
test('a warm project replaces the modules whose text changed, or follows imports again when the files it holds can change, and finds what a fresh check finds', async () => {
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
  // A word gained, an import added, both undone: the files held change, and the imports are followed again.
  overlays.set(file('helpers.py'), 'WTF_CSRF_ENABLED = False\n');
  await step('modules-replaced', ['flask-wtf-csrf-disabled helpers.py:1']);
  overlays.set(file('app.py'), APP.replace('from extensions import protect', 'from extensions import protect\nimport helpers'));
  await step('modules-replaced', ['flask-wtf-csrf-disabled helpers.py:1']);
  overlays.delete(file('app.py'));
  overlays.delete(file('helpers.py'));
  await step('modules-replaced', []);
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
  // The helper's call deleted: app.py follows one import less, so the imports are followed again over the modules kept.
  overlays.set(file('app.py'), APP_WITH_EXEMPT_HOOK.replace('protect(app)\n', 'app.debug = False\n'));
  await step('modules-replaced', [unprotected, exempt]);
  overlays.delete(file('app.py'));
  await step('modules-replaced', [exempt]);
  // A view's body edited: the same apps, judged again in the replaced model.
  overlays.set(file('app.py'), APP_WITH_EXEMPT_HOOK.replace('session["seen"] = True', 'session["seen"] = False'));
  await step('modules-replaced', [exempt]);
});

const APP_ATTACHING = `from flask import Flask, session

from wiring import attach

app = Flask(__name__)
attach(app)


@app.route("/profile", methods=["POST"])
def update_profile():
    return session.get("user", "saved")
`;

/** Imports with no rule's word: loaded only because a module follows a name through them. */
const WIRING_THROUGH_PACKAGE = 'from guard import attach\n';
const GUARD_PACKAGE = 'from guard.tokens import attach\n';
const GUARD_TOKENS = 'from flask_wtf.csrf import CSRFProtect\n\n\ndef attach(app):\n    CSRFProtect(app)\n';
const NOOP = 'def attach(app):\n    return app\n';

/**
 * Edits that change which names a module imports or follows: the loader follows imports again
 * over the modules kept, reading only the files edited and those newly imported, and the model
 * (modules, their order, what is loaded only because it is imported, errors) and the findings are
 * those of a load from scratch.
 */
test('an edit that changes the imports followed keeps the project and follows them again as a fresh load would', async () => {
  const root = writeProject({ 'app.py': APP_ATTACHING, 'wiring.py': WIRING_THROUGH_PACKAGE, 'guard/__init__.py': GUARD_PACKAGE, 'guard/tokens.py': GUARD_TOKENS, 'hooks.py': NOOP });
  const file = (name: string) => path.join(root, name);
  const warm = new WarmProject(true);
  const memo = new FileOutcomeMemo();
  const modelWarm = new WarmProject(true);
  const modelMemo = new FileOutcomeMemo();
  const overlays = new Map<string, string>();
  const step = async (expected: LoadKind, rules: string[], importedOnly: string[]) => {
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
    const kept = await modelWarm.load({ ...options, outcomeMemo: modelMemo });
    const loaded = await loadProject(options);
    assert.equal(modelWarm.lastLoad, expected);
    assert.deepEqual(kept.project.modules.map((module) => [module.path, module.isTarget, module.key]), loaded.project.modules.map((module) => [module.path, module.isTarget, module.key]));
    assert.deepEqual(kept.project.modules.map((module) => module.facts), loaded.project.modules.map((module) => module.facts));
    assert.deepEqual([...kept.importedOnly!].map((absolute) => path.relative(root, absolute)).sort(), importedOnly);
    assert.deepEqual([...loaded.importedOnly!].map((absolute) => path.relative(root, absolute)).sort(), importedOnly);
    assert.deepEqual(kept.errors, loaded.errors);
  };
  const unprotected = 'flask-csrf-protect-missing app.py:5';
  const chain = ['guard/__init__.py', 'wiring.py'];

  await step('loaded', [], chain);
  // An import and its call removed: nothing is followed from app.py any more.
  overlays.set(file('app.py'), APP_ATTACHING.replace('from wiring import attach\n', '\n').replace('attach(app)\n', 'app.debug = False\n'));
  await step('modules-replaced', [unprotected], []);
  // Added back: the re-export chain is followed again to the protector.
  overlays.delete(file('app.py'));
  await step('modules-replaced', [], chain);
  // An import of a module not loaded yet, which protects nothing.
  overlays.set(file('app.py'), APP_ATTACHING.replace('from wiring import attach', 'from hooks import attach'));
  await step('modules-replaced', [unprotected], ['hooks.py']);
  overlays.delete(file('app.py'));
  await step('modules-replaced', [], chain);
  // The re-export chain edited: it skips the package, then leads to the module that protects nothing.
  overlays.set(file('wiring.py'), 'from guard.tokens import attach\n');
  await step('modules-replaced', [], ['wiring.py']);
  overlays.set(file('wiring.py'), 'from hooks import attach\n');
  await step('modules-replaced', [unprotected], ['hooks.py', 'wiring.py']);
  overlays.set(file('guard/__init__.py'), 'from hooks import attach\n');
  overlays.set(file('wiring.py'), WIRING_THROUGH_PACKAGE);
  await step('modules-replaced', [unprotected], ['guard/__init__.py', 'hooks.py', 'wiring.py']);
  overlays.clear();
  await step('modules-replaced', [], chain);
  // A syntax error the parser cannot get past in a module of the chain: its error, as a fresh load reports it.
  overlays.set(file('guard/__init__.py'), 'from guard.tokens import (attach\n');
  await step('modules-replaced', [unprotected], ['guard/__init__.py', 'wiring.py']);
  overlays.clear();
  await step('modules-replaced', [], chain);
});
