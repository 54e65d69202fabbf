import { findApplications } from '../../../project/applications.js';
import { packagesOf } from '../../../project/known-names.js';
import { appKeepsSessions, appRouteHandlers, csrfConfigArgument, LITESTAR_APPLICATIONS } from '../routes.js';
import { ambientCredentialsOf, CREDENTIAL_KEYWORDS, describeCredentials } from '../../../project/credentials.js';
import { appCookieJwtAuth, type CookieJwtAuth, jwtCookieEvidence } from '../cookie-jwt-auth.js';
import { defineRule } from '../../../rules/rule.js';
import { describeApplication, lowerForSameSite, lowestSeverity, READ_ONLY_EXPOSURE, SESSION_IS_NOT_ALWAYS_A_LOGIN, sessionAppCredentials } from '../../../rules/support/unprotected-apps.js';

export default defineRule({
  id: 'litestar-csrf-protection-missing',
  code: 'CSRF305',
  title: 'Litestar application with sessions or a JWT cookie and no csrf_config',
  severity: 'high',
  framework: 'litestar',
  judges: 'project',
  fix: 'Pass csrf_config=CSRFConfig(secret=...) to the Litestar application.',
  keywords: ['litestar', 'starlite', ...CREDENTIAL_KEYWORDS],
  packages: packagesOf(LITESTAR_APPLICATIONS.appClasses),
  doc: {
    whatItFinds: `A \`Litestar(...)\` (or Starlite) application whose middleware keeps sessions
(\`middleware=[session_config.middleware]\` with a \`CookieBackendConfig\` or \`ServerSideSessionConfig\`,
\`on_app_init=[session_auth.on_app_init]\` with a \`SessionAuth\`, or a session middleware added
another way) and that is given no \`csrf_config\`: Litestar checks
CSRF only when \`csrf_config=CSRFConfig(...)\` is passed. Also an application that signs users in with a
JWT kept in a cookie, \`JWTCookieAuth\` or \`OAuth2PasswordBearerAuth\` (their \`login()\` sets an HttpOnly
cookie that their middleware reads back), installed by \`on_app_init=[auth.on_app_init]\`,
\`middleware=[auth.middleware]\` or by a plugin of the project that hands the backend on: that cookie is
SameSite=Lax unless \`samesite=\` says otherwise, so the finding is medium (low with
\`samesite="strict"\`, high with \`"none"\`). Applications without sessions or such a cookie (token APIs,
\`JWTAuth\` reading a header) are not reported. When every route handler of the app is known (through its controllers and
routers) and none accepts POST, PUT, PATCH or DELETE, or it has none, the finding is of low severity.

${SESSION_IS_NOT_ALWAYS_A_LOGIN}`,
    whyItMatters: `The session cookie (or the JWT cookie) rides along on every request the browser makes to the app, forged cross-site
ones included; without \`csrf_config\` nothing tells them apart from the user's own.`,
    example: `from litestar import Litestar, post
from litestar.middleware.session.client_side import CookieBackendConfig

session_config = CookieBackendConfig(secret=b"0123456789abcdef")


@post("/profile")
async def update_profile() -> str:
    return "saved"


app = Litestar(route_handlers=[update_profile], middleware=[session_config.middleware])
`,
    useInstead: `from litestar import Litestar, post
from litestar.config.csrf import CSRFConfig
from litestar.middleware.session.client_side import CookieBackendConfig

session_config = CookieBackendConfig(secret=b"0123456789abcdef")


@post("/profile")
async def update_profile() -> str:
    return "saved"


app = Litestar(
    route_handlers=[update_profile],
    middleware=[session_config.middleware],
    csrf_config=CSRFConfig(secret="change-me"),
)
`,
    whenItIsFine: `The session holds nothing that authenticates a user. Record why at the application.`,
    references: [{ title: 'Litestar: CSRF', url: 'https://docs.litestar.dev/latest/usage/middleware/builtin-middleware.html#csrf' }],
  },
  check({ project, report }) {
    for (const app of findApplications(project, LITESTAR_APPLICATIONS)) {
      if (csrfConfigArgument(app) !== undefined) continue;
      const readOnly = () => {
        const handlers = appRouteHandlers(project, app);
        return handlers.complete && handlers.unsafe.length === 0;
      };
      if (appKeepsSessions(project, app)) {
        const session = sessionAppCredentials(project, app, 'its session middleware');
        if (!session) continue;
        const exposure = readOnly() ? { ...READ_ONLY_EXPOSURE, hint: `${session.hint}; ${READ_ONLY_EXPOSURE.hint}` } : { hint: session.hint, ...lowestSeverity(session.severity) };
        report({ file: app.module, range: app.call.range, message: `Litestar application ${describeApplication(app)} keeps sessions but has no csrf_config: no request is checked for a CSRF token`, ...exposure });
        continue;
      }
      const jwtCookie = appCookieJwtAuth(project, app);
      if (!jwtCookie) continue;
      const credentials = ambientCredentialsOf(project, app, [jwtCookieEvidence(jwtCookie)]);
      const hint = `${describeCredentials(credentials)}; ${describeJwtCookieSameSite(jwtCookie)}`;
      const exposure = readOnly() ? { ...READ_ONLY_EXPOSURE, hint: `${hint}; ${READ_ONLY_EXPOSURE.hint}` } : { hint, ...(jwtCookie.sameSite ? { severity: lowerForSameSite('high', jwtCookie.sameSite) } : {}) };
      report({ file: app.module, range: app.call.range, message: `Litestar application ${describeApplication(app)} signs users in with a JWT cookie (\`${jwtCookie.className}\`) but has no csrf_config: no request is checked for a CSRF token`, ...exposure });
    }
  },
});

/** Litestar sets the JWT cookie SameSite=Lax unless told otherwise: say so, since that is what lowers the severity. */
function describeJwtCookieSameSite({ sameSite, sameSiteWritten }: CookieJwtAuth): string {
  if (!sameSite) return 'the cookie goes with cross-site requests (`samesite="none"`, or a value the scan cannot read)';
  const where = `\`${sameSite.setting}\` (${sameSite.path}:${sameSite.line})`;
  const source = sameSiteWritten ? where : `${where} leaves the cookie at Litestar's default, SameSite=Lax, which`;
  if (sameSite.level === 'strict') return `${source} keeps the cookie off cross-site requests in current browsers: protect the app anyway for older browsers and for requests from a compromised subdomain`;
  return `${source} keeps the cookie off cross-site posts in current browsers, not off a cross-site top-level GET: protect the app anyway for handlers that change state on GET, for older browsers and for requests from a compromised subdomain`;
}
