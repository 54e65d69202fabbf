import { FLASK_APPLICATIONS } from '../../project/flask.js';
import { defineRule } from '../rule.js';
import { reportUnprotectedApps } from '../support/unprotected-apps.js';

export default defineRule({
  id: 'flask-csrf-protect-missing',
  code: 'CSRF202',
  title: 'Flask application without CSRF protection',
  severity: 'high',
  framework: 'flask',
  judges: 'project',
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
  check(context) {
    reportUnprotectedApps(context, FLASK_APPLICATIONS, 'Flask', 'CSRFProtect(app), csrf.init_app(app) or SeaSurf(app)');
  },
});
