import { type FindingContext, isSampleCode } from '../../../project/context.js';
import { beforeRequestCsrfCheck } from '../checking-hooks.js';
import { flaskConfigWrites } from '../config-writes.js';
import type { Project } from '../../../project/project.js';
import { dereference, stringValue, truthiness, type ValueSite } from '../../../project/values.js';
import { defineRule, type RuleContext, type RuleReport } from '../../../rules/rule.js';
import type { Severity } from '../../../rules/rule.js';

/** Flask-WTF settings that, set falsy, turn CSRF checking off for the whole app. */
const DISABLING_KEYS = new Set(['WTF_CSRF_ENABLED', 'WTF_CSRF_CHECK_DEFAULT']);
/** The methods Flask-WTF checks; a form posts with POST, so a list without it checks no form. */
const METHODS_KEY = 'WTF_CSRF_METHODS';
/** On HTTPS, Flask-WTF also requires a Referer of the app's own origin unless this is off. */
const SSL_STRICT_KEY = 'WTF_CSRF_SSL_STRICT';
import { SESSION_SAME_SITE_DOC, weighingSessionSameSite } from '../same-site.js';

/** Before a SameSite session cookie lowers it. */
const RULE_SEVERITY: Severity = 'high';

export default defineRule({
  id: 'flask-wtf-csrf-disabled',
  code: 'CSRF201',
  title: 'Flask-WTF CSRF protection turned off in the app config',
  severity: RULE_SEVERITY,
  framework: 'flask',
  fix: "Remove the setting: Flask-WTF's defaults check the token of every POST, PUT, PATCH and DELETE; turn the check off only in a testing config.",
  keywords: ['WTF_CSRF', 'from_object', 'before_request'],
  // Every finding is a `WTF_CSRF_...` key written out (as a name, a string, or a constant holding it).
  projectWords: ['WTF_CSRF'],
  doc: {
    whatItFinds: `Flask-WTF's (or Quart-WTF's, which reads the same keys) \`WTF_CSRF_ENABLED\` or \`WTF_CSRF_CHECK_DEFAULT\` set to a falsy value, or
\`WTF_CSRF_METHODS\` set to an empty list or one without \`POST\`; and, at low severity,
\`WTF_CSRF_SSL_STRICT\` set falsy, which drops the check that an HTTPS request's \`Referer\` is the
app's own origin. Falsy means (\`False\`,
\`0\`, \`None\`, \`""\`, an empty container, or a name bound once to one of them), wherever Flask config
is written: \`app.config["WTF_CSRF_ENABLED"] = False\`, \`app.config.update(WTF_CSRF_ENABLED=False)\`,
\`app.config.update({...})\`, \`app.config.from_mapping(...)\` (with a dict display or \`dict(...)\`,
and through a name that holds \`app.config\`), \`app.config |= {...}\`,
\`app.config.setdefault("WTF_CSRF_ENABLED", False)\` (\`CSRFProtect\` sets its defaults the same way,
so that call turns the check off when it runs first; csrflint does not tell the order), an attribute of a config class, or a module-level
setting of a config module (both loaded with \`app.config.from_object(...)\`). A value read from the
environment is not reported, since it cannot be known without running the code.

Each finding says where it runs. A setting beside \`TESTING = True\` (in the same class, module,
\`update(...)\` call or function), in a config class named for tests (\`TestingConfig\`) or loaded only
by test code, or in a test file is test context, hidden by default; \`DevelopmentConfig\` and \`settings/dev.py\`
are development. A setting in a base class takes the context of the configs that inherit it: a
\`BaseConfig\` whose setting reaches \`ProductionConfig\` is production. A setting in development context is of low
severity: it runs on a developer's machine, and the finding stays to say that the check is off if that
configuration is ever deployed; production settings keep their severity, and so does a setting in sample
code (\`examples/\`, \`docs/\`) whose own name says nothing of development: users copy it into the apps they deploy.

\`WTF_CSRF_CHECK_DEFAULT\` set falsy is not reported where a \`before_request\` hook of the project checks
the token itself (calls \`csrf.protect()\`, or makes any check a hook of CSRF202 counts): CSRFProtect then
checks where the project chose, before the views run, and FlaskForms keep their own token.

${SESSION_SAME_SITE_DOC}`,
    whyItMatters: `\`WTF_CSRF_ENABLED = False\` turns off the token check of every form and, with \`CSRFProtect\`,
of every view. \`WTF_CSRF_CHECK_DEFAULT = False\` leaves \`CSRFProtect\` installed but makes it check
nothing unless a view calls \`csrf.protect()\` itself. Either way, other web sites can submit forms
to the app in a logged-in user's name.`,
    example: `from flask import Flask
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
app.config["WTF_CSRF_ENABLED"] = False
csrf = CSRFProtect(app)
`,
    useInstead: `from flask import Flask
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)
`,
    whenItIsFine: `In test configuration, where test clients cannot fetch tokens: keep the setting in a testing
config, a \`conftest.py\` or a \`TESTING = True\` config, which csrflint treats as test context and hides
by default.`,
    references: [
      { title: 'Flask-WTF: configuration', url: 'https://flask-wtf.readthedocs.io/en/stable/config/' },
      { title: 'Flask-WTF: CSRF protection', url: 'https://flask-wtf.readthedocs.io/en/stable/csrf/' },
    ],
  },
  check: (context) => reportDisablingWrites(weighingSessionSameSite(context, RULE_SEVERITY)),
});

/** The extension whose settings these are: Quart-WTF reads the same keys as Flask-WTF. */
interface WtfLibrary {
  name: string;
  forms: string;
}

const FLASK_WTF: WtfLibrary = { name: 'Flask-WTF', forms: 'FlaskForms' };
const QUART_WTF: WtfLibrary = { name: 'Quart-WTF', forms: 'QuartForms' };

/** Reports each falsy write of a disabling key, in the context of the config it belongs to. */
function reportDisablingWrites({ project, report }: RuleContext): void {
  const quartWtfProjects = projectsUsingOnlyQuartWtf(project);
  for (const write of flaskConfigWrites(project, new Set([...DISABLING_KEYS, METHODS_KEY, SSL_STRICT_KEY]))) {
    const library = quartWtfProjects.has(write.value.module.projectRoot) ? QUART_WTF : FLASK_WTF;
    const problem = problemOf(project, write.key, write.value, library);
    if (!problem) continue;
    const details = weighedByContext(typeof problem === 'string' ? { message: problem } : problem, write.context, write.value.module.path);
    report({ file: write.value.module, range: write.range, context: write.context, ...details });
  }
}

type Problem = string | Pick<RuleReport, 'message' | 'severity' | 'hint' | 'fix'>;

const DEVELOPMENT_HINT = 'the setting is in a development-only configuration, which runs on a developer\'s machine: it leaves users unprotected only if that configuration is deployed; check that the production configuration keeps the check on';

/**
 * A setting in a development-only configuration (\`DevelopmentConfig\`, a \`config-local.py\` the
 * development server loads) turns the check off where no user's session is at stake: low. Sample code
 * (\`examples/\`) keeps its severity: it is what users copy into the apps they deploy.
 */
function weighedByContext(details: Exclude<Problem, string>, context: FindingContext, path: string): Exclude<Problem, string> {
  if (context !== 'development' || isSampleCode(path) || details.severity === 'low') return details;
  return { ...details, severity: 'low', hint: details.hint === undefined ? DEVELOPMENT_HINT : `${details.hint}; ${DEVELOPMENT_HINT}` };
}

function problemOf(project: Project, key: string, value: ValueSite, library: WtfLibrary): Problem | undefined {
  if (key === METHODS_KEY) return methodsMessage(project, value, library);
  if (key === SSL_STRICT_KEY) return sslStrictProblem(project, value, library);
  return disablingProblem(project, key, value, library);
}

/** The Referer check guards HTTPS sites from forged requests sent with a token leaked or fixed by another origin. */
function sslStrictProblem(project: Project, value: ValueSite, library: WtfLibrary): Problem | undefined {
  if (truthiness(project, value) !== 'falsy') return undefined;
  return {
    message: `\`${SSL_STRICT_KEY}\` is set to a false value: on HTTPS, ${library.name} no longer checks that a request's Referer is the app's own origin`,
    severity: 'low',
    hint: 'the token is still checked; the Referer check is what stops a token planted or leaked on another origin (a sibling subdomain, plain HTTP) from being used',
    fix: `Remove ${SSL_STRICT_KEY} = False: it defaults to True and rejects only HTTPS requests whose Referer is missing or another host.`,
  };
}

/**
 * `WTF_CSRF_ENABLED` off stops every check, forms included. `WTF_CSRF_CHECK_DEFAULT` off only
 * stops CSRFProtect's automatic check: FlaskForms still check their token, and the app may call
 * `csrf.protect()` itself where it wants the check.
 */
function disablingProblem(project: Project, key: string, value: ValueSite, library: WtfLibrary): Problem | undefined {
  if (truthiness(project, value) !== 'falsy') return undefined;
  if (key !== 'WTF_CSRF_CHECK_DEFAULT') return `\`${key}\` is set to a false value: ${library.name} stops checking CSRF tokens, ${library.forms} included`;
  // The project checks in a hook of its own instead: `csrf.protect()` run before the views.
  if (beforeRequestCsrfCheck(project, value.module.projectRoot) !== undefined) return undefined;
  return {
    message: `\`${key}\` is set to a false value: CSRFProtect no longer checks requests by itself (${library.forms} still check their token)`,
    severity: 'medium',
    hint: `every state-changing view then needs csrf.protect() or a validated form of ${library.name}; check the views that have neither`,
  };
}

/** The project roots that import Quart-WTF and not Flask-WTF. */
function projectsUsingOnlyQuartWtf(project: Project): Set<string> {
  const imported = new Map<string, Set<string>>();
  for (const module of project.modules) {
    const packages = imported.get(module.projectRoot) ?? new Set<string>();
    for (const statement of module.facts.imports) {
      const name = module.symbols.importedModule(statement);
      packages.add(name?.split('.')[0] ?? '');
    }
    imported.set(module.projectRoot, packages);
  }
  return new Set([...imported].filter(([, packages]) => packages.has('quart_wtf') && !packages.has('flask_wtf')).map(([root]) => root));
}

/** `WTF_CSRF_METHODS = []` checks nothing; a list without POST checks no form. */
function methodsMessage(project: Project, value: ValueSite, library: WtfLibrary): string | undefined {
  const methods = dereference(project, value);
  const { expr } = methods;
  if (expr.kind !== 'list' && expr.kind !== 'tuple' && expr.kind !== 'set') return undefined;
  const names = expr.items.map((item) => stringValue(project, { ...methods, expr: item })?.toUpperCase());
  if (names.length === 0) return `\`${METHODS_KEY}\` is empty: ${library.name} checks the CSRF token of no request`;
  if (names.some((name) => name === undefined) || names.includes('POST')) return undefined;
  return `\`${METHODS_KEY}\` leaves out POST: ${library.name} does not check the CSRF token of form submissions`;
}
