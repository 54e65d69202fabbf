import { CREDENTIALED_CORS_KEYWORDS } from '../../../project/credentialed-cors.js';
import { FLASK_APPLICATIONS } from '../names.js';
import { CREDENTIAL_KEYWORDS } from '../../../project/credentials.js';
import { defineRule } from '../../../rules/rule.js';
import { reportUnprotectedApps } from '../../../rules/support/unprotected-apps.js';
import { unprotectedJwtCookieNote } from '../jwt-cookies.js';
import { sameSiteOf, sessionCookieIsAllTheBrowserSends, sessionSameSiteNotingBasic } from '../same-site.js';

export default defineRule({
  id: 'flask-csrf-protect-missing',
  code: 'CSRF202',
  title: 'Flask application without CSRF protection',
  severity: 'high',
  framework: 'flask',
  judges: 'project',
  fix: 'Protect the app: csrf = CSRFProtect(); csrf.init_app(app) (Flask-WTF), or SeaSurf(app).',
  keywords: ['Flask', 'csrf', 'seasurf', 'SAMESITE', 'verify_jwt_in_request', 'JWT_COOKIE_CSRF_PROTECT', 'init_app', { exact: 'route' }, 'add_url_rule', 'register_blueprint', 'before_request', ...CREDENTIAL_KEYWORDS, ...CREDENTIALED_CORS_KEYWORDS],
  // Every finding is an app whose class comes from `flask.Flask`: an import of flask, the name `Flask` used unbound, or a subclass of either.
  projectWords: ['flask'],
  doc: {
    whatItFinds: `A \`flask.Flask\` application (or an instance of a subclass) that serves views but is never
handed to a CSRF protector anywhere in the scanned code: not to \`CSRFProtect(app)\` or the older
\`CsrfProtect(app)\` of Flask-WTF, not to \`<protector>.init_app(app)\`, not to Flask-SeaSurf's
\`SeaSurf(app)\`, and not to a \`before_request\` hook that checks a CSRF token itself (calls a check
named for CSRF, reads a value named for it from the request and aborts on a mismatch, or compares a
token from the request with one kept in the session or a cookie and aborts, or aborts on where the
request comes from: the \`Sec-Fetch-Site\` header, or the \`Origin\` header read next to the host). The app is
followed wherever it goes: stored in a name or in \`self.app\`, returned by a factory and protected by
the caller, passed to a helper (\`register_extensions(app)\`) or an initializer class that protects it,
protected in a loop over extensions, or in another module with a \`csrf\` object imported from
\`extensions.py\` under any alias. A class-based view (a \`flask.views.View\` with its own
\`dispatch_request\`) answers the methods its \`methods\` attribute lists, and is routed where its
\`as_view(...)\` is held in a name first or made in a helper the class is handed to
(\`register_view(ApiView, "api", urls)\`, even one nested in the function given the app). Each app is judged on its own and reported once, at the
\`Flask(...)\` call; the hint lists the views that accept POST, PUT, PATCH or DELETE unguarded. A
blueprint whose own \`before_request\` hook checks a CSRF token guards its views. A project may check
CSRF in a request-handler base class on the way to every view: a method named for CSRF that compares
the request's token with the session's and rejects a mismatch, called from another method of the
class, as Indico's \`RH.process()\` calls \`_check_csrf()\`. Its subclasses routed as views are
guarded (the endpoint inventory names the class and the method), and where the app also has views
the scan cannot list (an extension's, such as Flask-Multipass's sign-in views, or a blueprint class
of the project's that registers handler classes its own way), the app is taken as protected when the
views it sees change state only through such handlers or other checked views. A base class whose
check no method calls guards nothing. A view is guarded, too, by a decorator of the project whose wrapper
checks CSRF before it calls the view (also one a decorator factory of the project made and a name keeps:
\`oauthlogin_csrf_protect = csrf_protect(..., "state")\`): it calls a check named for CSRF (quay's \`@csrf_protect()\` calling
\`verify_csrf()\`, or a predicate such as \`is_csrf_valid(request)\` on which it raises or aborts), or validates a
FlaskForm (iris-web's \`FlaskForm().validate()\` in \`@ac_api_requires\`), or rejects the request on a function of
the project that, a few calls deep, reads a value named for CSRF from the request and checks it (hands it to a check
named for CSRF, compares it in constant time, or reads a token kept in the session: Pritunl's \`@session_auth\`, whose
\`check_session(True)\` looks up the \`Csrf-Token\` header among the signed-in admin's tokens); an app whose every
state-changing view is so guarded is not reported, and the endpoint inventory names the decorator.

Only apps whose users a forged request can act for are reported: the app's code (its module, the
modules that import it and what they import) authenticates users by something the browser sends on
its own: Flask's \`session\`, imported or used through the module (\`flask.session["user_id"]\` after \`import flask\`) (not where a module runs an OAuth client's handshake and only stores
keys in the session and pops them back, reading nothing else from it: that session remembers no
user; nor where a module, with no view that signs anybody in, uses the session only by keys written
in the code that name no credential, no person and no id but an anonymous cart's (\`session["theme"]\`,
\`session.get("lang")\`, \`session["cart_id"]\`), storing no value named for a user: that session
holds preferences), Flask-Login, Flask-Security, Flask-AppBuilder, Flask-Session, a cookie
named for the user (\`remember_token\`, \`auth\`, \`session_id\`; not one that remembers a device for a second factor, such as \`remember_device\`), or HTTP Basic
(\`request.authorization\`, Flask-HTTPAuth's \`HTTPBasicAuth\`). The hint names what was seen, and says
so when Flask-JWT-Extended reads the JWT from a cookie (\`JWT_TOKEN_LOCATION\` includes \`"cookies"\`)
with its own double-submit check off (\`JWT_COOKIE_CSRF_PROTECT = False\`).

Not reported: an app that serves nothing (a script that borrows an app for its database); an app
whose every view is known and answers only GET (except in an excerpt, whose views are not all
there: then at low severity); an app
whose every state-changing view validates a FlaskForm (which checks its own CSRF token; a form of the project's
counts when its class chain reaches \`FlaskForm\` through the project's own classes or a FlaskForm subclass of a
known library outside the scan: Baseframe's \`forms.Form\` and \`forms.RecaptchaForm\`, or Baseframe's
\`render_delete_sqla(...)\`, which deletes only once its confirmation form validates: in the view,
through a method of the project's form class that calls \`validate_on_submit()\` or \`validate()\` on
itself, \`form.validate_or_flash()\`, in a helper of the project the form is handed to, \`change_password(PasswordForm(), user)\`, or in a
decorator of the project's that validates a form before it calls the view, as a confirmation step
does: \`if form.validate_on_submit(): return view(*args, **kwargs)\`; or in functions of the project the
view hands the request to, \`return vote_range(election)\`, followed five calls deep, while the view
and the other project code it calls write nothing the scan can see: no assignment outside their own
names, no library method named for a write), checks a
token itself, reads only JSON, which a cross-site form cannot send (in its body or in the functions of the project
it calls, a few calls deep: \`json_text("name")\` reading \`flask.request.json[key]\`), accepts no POST but only
methods an HTML form cannot send (\`PUT\`, \`PATCH\`, \`DELETE\`) while no CORS setting of the project lets a script on
another origin send them with cookies (\`CORS(app, supports_credentials=True)\` makes them count again), calls a helper of the project
that reads a credential header (named in the code or by a setting: \`request.headers[app.config["TOKEN_HEADER"]]\`)
and aborts or raises without it, in a module that knows no session user, sits behind a decorator of the
project's that reads such a header and aborts or raises without it, reading no session user itself
(Mailu's \`@api_token_authorization\`; one that lets a signed-in browser through without the header
requires nothing), or only returns a redirect
(\`return redirect(request.url.replace(...), 307)\`: the request goes on to a view judged on its own),
or only reads and answers every request with a redirect, its own or a project helper's
(an OpenID login view that computes where to go and returns \`safe_redirect_back(next_url)\`);
a view that can only refuse (it calls nothing but \`abort(...)\`, assigns and returns nothing: a
feature not built yet) is not counted as state-changing, nor is
a function view that accepts POST only to read as state-changing either: it looks data
up (\`Person.query.filter(...).all()\`, \`.get(...)\`) and renders a template, and nothing in its body
or the project code it calls writes (no session write, no \`db.session.add\`, no call the scan cannot
show to be a read; its own login or permission decorators are left aside);
an app only handed to a server (\`cherrypy.tree.graft(app, "/")\`, gevent's), which adds no view; an app handed
only to extensions that add no view of their own (\`SSLify(app)\`, \`Mail(app)\`, \`Bootstrap(app)\`,
\`moment.init_app(app)\`, a Jinja helper such as \`jinja_partials.register_extensions(app)\`, a settings class's \`init_app\`), judged by the views it has (the few
extensions known to add views, Flask-Admin, Flask-RESTful and its forks, Flask-AppBuilder,
Flask-Security and the like, still make them unknown); an app authenticated only by
tokens in headers (Flask-JWT-Extended, \`HTTPTokenAuth\`, an \`Authorization\` header read by hand),
which a forged request cannot carry; and an app whose code authenticates nobody and keeps nothing
about the user in cookies (a search engine without accounts, a site whose only cookie is a theme).
A forged request to such an app does nothing the attacker could not do from their own browser.

A view behind Flask-JWT-Extended's \`@jwt_required()\`, or behind a decorator of the project's that
calls \`verify_jwt_in_request()\`, is authenticated by a JWT a forged request lacks, and does not
count as exposed; unless the project reads the JWT from a cookie (\`JWT_TOKEN_LOCATION\` holds
\`"cookies"\`) and turns the library's own double-submit check off (\`JWT_COOKIE_CSRF_PROTECT =
False\`): then the browser sends the JWT by itself and nothing checks the request's origin.

A view that only trades an HTTP Basic password for a token (Flask-HTTPAuth's
\`@basic_auth.login_required\` on a view or route named for a token, such as \`POST /tokens\`) does
not count as exposed. HTTP Basic is an ambient credential only once the browser has cached the
password for that origin; even then, a forged request would mint a token the attacker never sees,
since the response cannot be read across origins, and the new token lets nobody do anything. The
views that the token then authenticates read it from a header, which a forged request cannot send.
A Basic-authenticated view that changes anything else is counted as usual.
An app whose only credential is the session cookie, set \`SESSION_COOKIE_SAMESITE = "Strict"\` outside
tests (and, where Flask-Login remembers users, \`REMEMBER_COOKIE_SAMESITE = "Strict"\` too), is
reported at low severity: current browsers send a Strict cookie on no cross-site request, but older
ones ignore the attribute and a sibling subdomain is same-site. \`"Lax"\` set on purpose (both
settings, where users are remembered) gives medium severity: it keeps the cookie off cross-site posts
in current browsers, but still sends it on a cross-site top-level GET, which changes state wherever a
view does on GET. HTTP Basic read from the request (\`request.authorization\`) in a project that never
asks a browser for it (no \`WWW-Authenticate\` header written, no Flask-HTTPAuth) does not keep either
setting from counting: a browser sends a Basic password by itself only to a site whose 401 asked for
one, so what the app reads there is a header a script wrote.
HTTP Basic that the code checks only when a setting from the environment is filled
(\`if not os.getenv("APP_USER", "") or auth.password == ...:\` lets every request through while it is
empty) is the deployment's choice: it does not count as a credential the app's users have, so it keeps
neither a SameSite setting from counting nor, alone, an app from being of medium severity; the hint
names the settings that turn it on, where the browser's cached password goes cross-site whatever the SameSite.
An app whose only credential is HTTP Basic read by hand (\`request.authorization\`) in views named
for signing in (a \`login\` that asks for the password and redirects) protects no other view with
it: its other views are public, and a forged request to them does what anybody may; only its
sign-in views count, as below.
An app whose only unguarded state-changing views sign users in or up (\`login\`, \`register\`, or a
SAML assertion consumer, even one reached through an authenticator chosen at run time), its
views all known (a view that also answers GET and only reads aside), is reported at low severity: a forged post can at worst log the user into the
attacker's account (login CSRF), as CSRF401 ranks login forms.
Where the scan cannot see what authenticates users (a \`@login_required\` from a package outside
the scan, or an excerpt that uses \`Flask\` without importing it), the app is reported at medium
severity: a missed hole costs more than a finding to dismiss.`,
    whyItMatters: `Flask has no CSRF protection of its own. Unless a protector checks a token on every
state-changing request, any web site a logged-in user visits can submit forms to the app in the
user's name, with the user's session cookie.`,
    example: `from flask import Flask, session

app = Flask(__name__)


@app.route("/profile", methods=["POST"])
def update_profile():
    return f"saved for {session['user_id']}"
`,
    useInstead: `from flask import Flask, session
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)


@app.route("/profile", methods=["POST"])
def update_profile():
    return f"saved for {session['user_id']}"
`,
    whenItIsFine: `The cookie or session it found holds nothing that authenticates anybody, or the views the scan
cannot list (an extension's, a plugin's) change nothing. Beware an app without accounts that trusts where a request comes from (a tool served on
localhost or an intranet): any web site its users visit can still post to it, and such apps are not
reported. An app created only for tests is test context and hidden by default. Record the reason at the \`Flask(...)\` call: \`# csrflint:
ignore[flask-csrf-protect-missing] -- token-authenticated API, no session cookie\`.`,
    references: [
      { title: 'Flask-WTF: CSRF protection', url: 'https://flask-wtf.readthedocs.io/en/stable/csrf/' },
      { title: 'Flask-SeaSurf', url: 'https://flask-seasurf.readthedocs.io/' },
    ],
  },
  check(context) {
    reportUnprotectedApps(context, FLASK_APPLICATIONS, 'Flask', 'CSRFProtect(app), csrf.init_app(app) or SeaSurf(app)', (app, credentials) => (sessionCookieIsAllTheBrowserSends(context.project, app.module.projectRoot, credentials) ? sessionSameSiteNotingBasic(sameSiteOf(context.project, app, FLASK_APPLICATIONS), credentials) : undefined), (app) => unprotectedJwtCookieNote(context.project, app.module));
  },
});
