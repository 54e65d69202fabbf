import { flaskConfigWrites, type ConfigWrite } from '../config-writes.js';
import { finalIdentifier } from '../../../project/project.js';
import { environmentDefault, stringValue, truthiness } from '../../../project/values.js';
import { defineRule, type RuleContext, type RuleReport } from '../../../rules/rule.js';
import type { Severity } from '../../../rules/rule.js';

const SEASURF = 'flask_seasurf.SeaSurf';
const MODE_KEY = 'SEASURF_INCLUDE_OR_EXEMPT_VIEWS';
import { SESSION_SAME_SITE_DOC, weighingSessionSameSite } from '../same-site.js';

/** Before a SameSite session cookie lowers it. */
const RULE_SEVERITY: Severity = 'high';

export default defineRule({
  id: 'flask-seasurf-csrf-disabled',
  code: 'CSRF205',
  title: 'Flask-SeaSurf turned off or limited by the app config',
  severity: RULE_SEVERITY,
  framework: 'flask',
  fix: 'Remove CSRF_DISABLE and the include mode; keep TESTING = True to test configs.',
  keywords: ['CSRF_DISABLE', 'SEASURF', { exact: 'TESTING' }, { exact: '.testing' }],
  // Every finding is a `CSRF_DISABLE` or `SEASURF_INCLUDE_OR_EXEMPT_VIEWS` key written out, or `TESTING` where a SeaSurf is created.
  projectWords: ['seasurf', 'CSRF_DISABLE'],
  doc: {
    whatItFinds: `Flask-SeaSurf configuration that stops its checks, wherever Flask config is written
(\`app.config[...]\`, \`update\`, \`from_mapping\`, config classes and modules):

- \`CSRF_DISABLE\` set to a true value, including a string read from the environment with a non-empty
  default (\`os.getenv("CSRF_DISABLE", "False")\`): SeaSurf tests the value's truth, and \`"False"\` is true;
- \`SEASURF_INCLUDE_OR_EXEMPT_VIEWS = "include"\`: only views marked \`@csrf.include\` are checked
  (lower severity); any value other than \`"exempt"\` or \`"include"\` checks no view at all;
- \`TESTING = True\` (or \`app.testing = True\`) in a config that is not a test config, in a project that
  uses SeaSurf: SeaSurf takes \`CSRF_DISABLE\`'s default from \`TESTING\`, so it turns itself off.

A \`TESTING = True\` in a testing config or test code is where it belongs and is not reported.

${SESSION_SAME_SITE_DOC}`,
    whyItMatters: `SeaSurf checks the token of every POST, PUT, PATCH and DELETE unless told otherwise. Each of these
settings tells it otherwise for the whole app, letting other web sites submit requests with a
logged-in user's cookie.`,
    example: `from flask import Flask
from flask_seasurf import SeaSurf

app = Flask(__name__)
app.config["CSRF_DISABLE"] = True
csrf = SeaSurf(app)
`,
    useInstead: `from flask import Flask
from flask_seasurf import SeaSurf

app = Flask(__name__)
csrf = SeaSurf(app)
`,
    whenItIsFine: `In test configuration, where it is test context and hidden by default. An include mode with
\`@csrf.include\` on every state-changing view is correct but fragile: a new view is unprotected
until someone remembers the decorator.`,
    references: [{ title: 'Flask-SeaSurf documentation', url: 'https://flask-seasurf.readthedocs.io/' }],
  },
  check(ruleContext) {
    const context = weighingSessionSameSite(ruleContext, RULE_SEVERITY);
    const { project } = context;
    for (const write of flaskConfigWrites(project, new Set(['CSRF_DISABLE', MODE_KEY]))) reportSetting(context, write);
    const seaSurfProjects = projectsUsingSeaSurf(context);
    if (seaSurfProjects.size > 0) reportTestingFlags(context, seaSurfProjects);
  },
});

function reportSetting(context: RuleContext, write: ConfigWrite): void {
  const { project, report } = context;
  const place = placeOf(write);
  if (write.key === 'CSRF_DISABLE') {
    reportDisable(context, write);
    return;
  }
  const mode = stringValue(project, write.value);
  if (mode === 'include') {
    report({ ...place, severity: 'medium', message: `\`${MODE_KEY} = "include"\`: Flask-SeaSurf checks only the views marked @csrf.include` });
  } else if (mode !== undefined && mode !== 'exempt') {
    report({ ...place, message: `\`${MODE_KEY} = "${mode}"\` is neither "exempt" nor "include": Flask-SeaSurf checks no view` });
  }
}

/**
 * SeaSurf tests the value's truth, so a string read from the environment disables it unless empty:
 * `os.getenv("CSRF_DISABLE", "False")` disables it when the variable is unset, and with `"false"` too.
 */
function reportDisable({ project, report }: RuleContext, write: ConfigWrite): void {
  const place = placeOf(write);
  if (truthiness(project, write.value) === 'truthy') {
    report({ ...place, message: '`CSRF_DISABLE` is set to a true value: Flask-SeaSurf checks no request' });
    return;
  }
  const fallback = environmentDefault(project, write.value);
  const text = fallback && stringValue(project, fallback);
  if (!text) return;
  report({
    ...place,
    message: `\`CSRF_DISABLE\` is a string from the environment, ${JSON.stringify(text)} when the variable is unset: a true value, so Flask-SeaSurf checks no request`,
    hint: 'SeaSurf tests the truth of the value, and any non-empty string (even "False" or "0") is true: convert it to a boolean',
  });
}

function placeOf(write: ConfigWrite): Pick<RuleReport, 'file' | 'range' | 'context'> {
  return { file: write.value.module, range: write.range, context: write.context };
}

/** `TESTING = True` outside test code turns SeaSurf off, unless `CSRF_DISABLE` is set false explicitly. */
function reportTestingFlags({ project, report }: RuleContext, seaSurfProjects: ReadonlySet<string>): void {
  const explicitlyEnabled = flaskConfigWrites(project, new Set(['CSRF_DISABLE'])).some((write) => truthiness(project, write.value) === 'falsy');
  if (explicitlyEnabled) return;
  for (const write of flaskConfigWrites(project, new Set(['TESTING']), { testingFlagIsContext: false })) {
    if (write.context === 'test' || !seaSurfProjects.has(write.value.module.projectRoot) || truthiness(project, write.value) !== 'truthy') continue;
    const written = `${write.property ?? 'TESTING'} = True`;
    report({ file: write.value.module, range: write.range, context: write.context, message: `\`${written}\` outside tests turns Flask-SeaSurf off: it takes CSRF_DISABLE from TESTING` });
  }
}

/** The projects (by root folder) that create a SeaSurf protector. */
function projectsUsingSeaSurf({ project }: RuleContext): Set<string> {
  const names = project.identifiersFor([SEASURF]);
  const roots = new Set<string>();
  for (const module of project.modules) {
    const creates = module.facts.calls.some(({ call, scope }) => names.has(finalIdentifier(call.callee) ?? '') && project.resolve(module, call.callee, scope) === SEASURF);
    if (creates) roots.add(module.projectRoot);
  }
  return roots;
}
