import type { SourceRange } from '../../python/facts.js';
import { isFlaskConfig } from '../../project/flask.js';
import type { SourceModule } from '../../project/source-module.js';
import { mappingEntries, stringValue, truthiness, type ValueSite } from '../../project/values.js';
import { defineRule, type RuleContext } from '../rule.js';

/** Flask-WTF settings that, set falsy, turn CSRF checking off for the whole app. */
const DISABLING_KEYS = new Set(['WTF_CSRF_ENABLED', 'WTF_CSRF_CHECK_DEFAULT']);

/** `app.config` methods that take settings as keywords or as a mapping. */
const CONFIG_SETTERS = new Set(['update', 'from_mapping']);

export default defineRule({
  id: 'flask-wtf-csrf-disabled',
  code: 'CSRF201',
  title: 'Flask-WTF CSRF protection turned off in the app config',
  severity: 'high',
  framework: 'flask',
  fix: 'Remove the setting (both default to True); disable CSRF only in a testing config.',
  keywords: ['WTF_CSRF'],
  doc: {
    whatItFinds: `Flask-WTF's \`WTF_CSRF_ENABLED\` or \`WTF_CSRF_CHECK_DEFAULT\` set to a falsy value (\`False\`,
\`0\`, \`None\`, \`""\`, an empty container, or a name bound once to one of them) in the app config:
\`app.config["WTF_CSRF_ENABLED"] = False\`, \`app.config.update(WTF_CSRF_ENABLED=False)\`,
\`app.config.update({...})\`, \`app.config.from_mapping(...)\`, with a dict display or \`dict(...)\`, and
through a name that holds \`app.config\`. A value read from the environment is not reported, since
it cannot be known without running the code.`,
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
  check(context) {
    for (const module of context.project.modules) {
      reportSubscriptAssignments(context, module);
      reportConfigSetterCalls(context, module);
    }
  },
});

function reportSetting(context: RuleContext, key: string, value: ValueSite, range: SourceRange): void {
  if (!DISABLING_KEYS.has(key) || truthiness(context.project, value) !== 'falsy') return;
  context.report({ module: value.module, range, message: `\`${key}\` is set to a false value: Flask-WTF stops checking CSRF tokens` });
}

/** `app.config["WTF_CSRF_ENABLED"] = False` */
function reportSubscriptAssignments(context: RuleContext, module: SourceModule): void {
  const { project } = context;
  for (const assignment of module.facts.assignments) {
    const { target, value, scope } = assignment;
    if (target.kind !== 'subscript' || !value || assignment.operator !== '=') continue;
    if (!isFlaskConfig(project, module, target.object, scope)) continue;
    const key = stringValue(project, { module, scope, expr: target.index });
    if (key !== undefined) reportSetting(context, key, { module, scope, expr: value }, assignment.range);
  }
}

/** `app.config.update(WTF_CSRF_ENABLED=False)`, `app.config.from_mapping({"WTF_CSRF_ENABLED": False})` */
function reportConfigSetterCalls(context: RuleContext, module: SourceModule): void {
  const { project } = context;
  for (const { call, scope } of module.facts.calls) {
    const { callee } = call;
    if (callee.kind !== 'attribute' || !CONFIG_SETTERS.has(callee.attribute) || !isFlaskConfig(project, module, callee.object, scope)) continue;
    for (const argument of call.args) {
      if (argument.name !== undefined) {
        reportSetting(context, argument.name, { module, scope, expr: argument.value }, argument.range);
        continue;
      }
      for (const entry of mappingEntries(project, { module, scope, expr: argument.value }) ?? []) {
        reportSetting(context, entry.key, entry.value, entry.range);
      }
    }
  }
}
