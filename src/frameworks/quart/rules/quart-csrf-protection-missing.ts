import { CREDENTIALED_CORS_KEYWORDS } from '../../../project/credentialed-cors.js';
import { QUART_APPLICATIONS } from '../../flask/names.js';
import { packagesOf } from '../../../project/known-names.js';
import { CREDENTIAL_KEYWORDS } from '../../../project/credentials.js';
import { quartSameSiteOf, sessionCookieIsAllTheBrowserSends } from '../../flask/same-site.js';
import { defineRule } from '../../../rules/rule.js';
import { reportUnprotectedApps } from '../../../rules/support/unprotected-apps.js';

export default defineRule({
  id: 'quart-csrf-protection-missing',
  code: 'CSRF206',
  title: 'Quart application without CSRF protection',
  severity: 'high',
  framework: 'quart',
  judges: 'project',
  fix: "Protect the app: CSRFProtect(app) from quart-csrf (or Quart-WTF's CSRFProtect).",
  keywords: ['quart', 'csrf', 'init_app', { exact: 'route' }, 'register_blueprint', 'before_request', ...CREDENTIAL_KEYWORDS, ...CREDENTIALED_CORS_KEYWORDS],
  packages: packagesOf(QUART_APPLICATIONS.appClasses),
  doc: {
    whatItFinds: `A \`quart.Quart\` application (or an instance of a subclass) that serves views but is never handed
to a CSRF protector anywhere in the scanned code: quart-csrf's \`CSRFProtect(app)\` or
\`csrf.init_app(app)\`, Quart-WTF's \`CSRFProtect\`, or a \`before_request\` hook that checks a token
itself. Quart's API is Flask's, so the app is followed the same way: factories, helpers,
initializer classes, extension loops, \`self.app\`, other modules. Apps that serve nothing, apps whose
every view is known and answers only GET, and apps whose every state-changing view validates a
\`QuartForm\` or reads only JSON, are not reported.

As for Flask, only apps whose users a forged request can act for are reported: their code
authenticates users by Quart's \`session\`, Quart-Auth's cookie, another cookie named for the user, or
HTTP Basic. An app authenticated only by tokens in headers, or one that authenticates nobody and
keeps nothing about the user in cookies, is not: a forged request to it does nothing the attacker
could not do directly. Where the scan cannot see what authenticates users, the app is reported at
medium severity. As for Flask, an app whose only credential is the session cookie, set
\`SESSION_COOKIE_SAMESITE = "Strict"\` in its own context, is reported at low severity, and one set
\`"Lax"\` on purpose at medium: Lax keeps the cookie off cross-site posts but still sends it on a
cross-site top-level GET. Where Quart-Auth signs users in, its cookie must be set so too
(\`QUART_AUTH_COOKIE_SAMESITE\`, or \`QuartAuth(app, cookie_samesite="Strict")\`): Quart-Auth's own
default is not credited, as no default is.
Exemptions with \`@csrf.exempt\` on these protectors are reported by \`flask-csrf-exempt\`.`,
    whyItMatters: `Quart, like Flask, has no CSRF protection of its own. Without a protector, any web site a
logged-in user visits can submit forms to the app with the user's session cookie.`,
    example: `from quart import Quart, request, session

app = Quart(__name__)


@app.route("/transfer", methods=["POST"])
async def transfer():
    form = await request.form
    return f"{session['user']} sent {form['amount']}"
`,
    useInstead: `from quart import Quart, request, session
from quart_csrf import CSRFProtect

app = Quart(__name__)
CSRFProtect(app)


@app.route("/transfer", methods=["POST"])
async def transfer():
    form = await request.form
    return f"{session['user']} sent {form['amount']}"
`,
    whenItIsFine: `The cookie or session found holds nothing that authenticates anybody, or the views the scan cannot
list change nothing. An app without accounts that trusts where requests come from (localhost, an intranet) is
exposed all the same and is not reported. Record
the reason at the \`Quart(...)\` call: \`# csrflint: ignore[quart-csrf-protection-missing] -- ...\`.`,
    references: [
      { title: 'quart-csrf on PyPI', url: 'https://pypi.org/project/quart-csrf/' },
      { title: 'Quart-WTF: CSRF protection', url: 'https://quart-wtf.readthedocs.io/en/latest/' },
    ],
  },
  check(context) {
    reportUnprotectedApps(context, QUART_APPLICATIONS, 'Quart', 'quart-csrf CSRFProtect(app) or csrf.init_app(app)', (app, credentials) => (sessionCookieIsAllTheBrowserSends(context.project, app.module.projectRoot, credentials) ? quartSameSiteOf(context.project, app, QUART_APPLICATIONS) : undefined));
  },
});
