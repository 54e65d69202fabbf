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
  keywords: ['Flask'],
  doc: {
    whatItFinds: `A \`flask.Flask\` application (or an instance of a subclass) that is never handed to a CSRF
protector anywhere in the scanned code: not to \`CSRFProtect(app)\` or the older \`CsrfProtect(app)\`
of Flask-WTF, not to \`<protector>.init_app(app)\`, not to Flask-SeaSurf's \`SeaSurf(app)\`. The app is
followed wherever it goes: stored in a name or in \`self.app\`, returned by a factory and protected by
the caller, passed to a helper such as \`register_extensions(app)\` that protects it, or protected in
another module with a \`csrf\` object imported from \`extensions.py\` under any alias. Each app is judged
on its own and reported once, at the \`Flask(...)\` call.`,
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
      if (app.protected) continue;
      report({ module: app.module, range: app.call.range, message: `Flask application ${describeApplication(app)} is never protected against CSRF: no CSRFProtect(app), csrf.init_app(app) or SeaSurf(app) in the scanned code` });
    }
  },
});

function describeApplication(app: Application): string {
  if (app.slot === undefined) return 'created here';
  if (app.slot.endsWith('()')) return `returned by \`${lastPart(app.slot.slice(0, -2))}()\``;
  return `\`${lastPart(app.slot)}\``;
}

function lastPart(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1);
}
