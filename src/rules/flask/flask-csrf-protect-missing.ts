import { findApplications, type Application } from '../../project/applications.js';
import { FLASK_APPLICATIONS } from '../../project/flask.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'flask-csrf-protect-missing',
  code: 'CSRF202',
  title: 'Flask application without CSRF protection',
  severity: 'high',
  framework: 'flask',
  fix: 'Protect the app: csrf = CSRFProtect(); csrf.init_app(app) (Flask-WTF), or SeaSurf(app).',
  keywords: ['Flask', 'csrf', 'seasurf', 'init_app', 'route', 'add_url_rule', 'register_blueprint', 'before_request'],
  doc: {
    whatItFinds: `A \`flask.Flask\` application (or an instance of a subclass) that serves views but is never
handed to a CSRF protector anywhere in the scanned code: not to \`CSRFProtect(app)\` or the older
\`CsrfProtect(app)\` of Flask-WTF, not to \`<protector>.init_app(app)\`, not to Flask-SeaSurf's
\`SeaSurf(app)\`, and not to a \`before_request\` hook that checks a CSRF token itself. The app is
followed wherever it goes: stored in a name or in \`self.app\`, returned by a factory and protected by
the caller, passed to a helper (\`register_extensions(app)\`) or an initializer class that protects it,
protected in a loop over extensions, or in another module with a \`csrf\` object imported from
\`extensions.py\` under any alias. Each app is judged on its own and reported once, at the
\`Flask(...)\` call; the hint lists the views that accept POST, PUT, PATCH or DELETE unguarded.

Not reported: an app that serves nothing (a script that borrows an app for its database), and an
app whose every state-changing view validates a FlaskForm (which checks its own CSRF token), checks a
token itself, or reads only JSON, which a cross-site form cannot send.`,
    whyItMatters: `Flask has no CSRF protection of its own. Unless a protector checks a token on every
state-changing request, any web site a logged-in user visits can submit forms to the app in the
user's name, with the user's session cookie.`,
    example: `from flask import Flask

app = Flask(__name__)


@app.route("/profile", methods=["POST"])
def update_profile():
    return "saved"
`,
    useInstead: `from flask import Flask
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)


@app.route("/profile", methods=["POST"])
def update_profile():
    return "saved"
`,
    whenItIsFine: `The app keeps no state in cookies: an API that authenticates every request with a token in a
header, or a site that serves only GET pages. An app created only for tests is test context and
hidden by default. Record the reason at the \`Flask(...)\` call: \`# csrflint:
ignore[flask-csrf-protect-missing] -- token-authenticated API, no session cookie\`.`,
    references: [
      { title: 'Flask-WTF: CSRF protection', url: 'https://flask-wtf.readthedocs.io/en/stable/csrf/' },
      { title: 'Flask-SeaSurf', url: 'https://flask-seasurf.readthedocs.io/' },
    ],
  },
  check({ project, report }) {
    for (const app of findApplications(project, FLASK_APPLICATIONS)) {
      if (!needsProtection(app)) continue;
      const message = `Flask application ${describeApplication(app)} is never protected against CSRF: no CSRFProtect(app), csrf.init_app(app) or SeaSurf(app) anywhere in the project`;
      report({ file: app.module, range: app.call.range, message, hint: exposureHint(app) });
    }
  },
});

/**
 * An unprotected app that serves something: not a script that only borrows an app for its
 * database or CLI, and not one whose every state-changing view validates a FlaskForm (which
 * checks its own CSRF token) or takes only JSON.
 */
function needsProtection(app: Application): boolean {
  if (app.protected || !app.served.serves) return false;
  const { unsafeViews } = app.served;
  return unsafeViews.length === 0 || unsafeViews.some((view) => !view.guarded);
}

const LISTED_VIEWS = 3;

function exposureHint(app: Application): string {
  const exposed = app.served.unsafeViews.filter((view) => !view.guarded);
  if (exposed.length === 0) return 'no view of this app that accepts POST, PUT, PATCH or DELETE was found in the scanned code; if it has none, CSRF cannot change anything';
  const listed = exposed.slice(0, LISTED_VIEWS).map((view) => `\`${view.name}\` (${view.module.path}:${view.range.line})`);
  const more = exposed.length > LISTED_VIEWS ? ` and ${exposed.length - LISTED_VIEWS} more` : '';
  return `views that accept state-changing requests without a FlaskForm or a token check: ${listed.join(', ')}${more}`;
}

/** `app`, `app` in `create_app()`, `self.app` of `Server`, or the factory that returns it. */
function describeApplication(app: Application): string {
  const { slot } = app;
  if (slot === undefined) return 'created here';
  if (slot.endsWith('()')) return `returned by \`${lastPart(slot.slice(0, -2))}()\``;
  const local = /\.([^.]+)\.<locals>\.([^.]+)$/.exec(slot);
  if (local) return `\`${local[2]}\` in \`${local[1]}()\``;
  const owner = slot.slice(0, slot.lastIndexOf('.'));
  const ownerIsClass = app.module.facts.definitions.some((definition) => definition.kind === 'class' && app.module.symbols.definitionName(definition) === owner);
  return ownerIsClass ? `\`self.${lastPart(slot)}\` of \`${lastPart(owner)}\`` : `\`${lastPart(slot)}\``;
}

function lastPart(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1);
}
