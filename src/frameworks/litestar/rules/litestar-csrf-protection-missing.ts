import { findApplications } from '../../../project/applications.js';
import { packagesOf } from '../../../project/known-names.js';
import { appKeepsSessions, appRouteHandlers, csrfConfigArgument, LITESTAR_APPLICATIONS } from '../routes.js';
import { CREDENTIAL_KEYWORDS } from '../../../project/credentials.js';
import { defineRule } from '../../../rules/rule.js';
import { describeApplication, lowestSeverity, READ_ONLY_EXPOSURE, SESSION_IS_NOT_ALWAYS_A_LOGIN, sessionAppCredentials } from '../../../rules/support/unprotected-apps.js';

export default defineRule({
  id: 'litestar-csrf-protection-missing',
  code: 'CSRF305',
  title: 'Litestar application with sessions and no csrf_config',
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
CSRF only when \`csrf_config=CSRFConfig(...)\` is passed. Applications without sessions (token APIs)
are not reported. When every route handler of the app is known (through its controllers and
routers) and none accepts POST, PUT, PATCH or DELETE, or it has none, the finding is of low severity.

${SESSION_IS_NOT_ALWAYS_A_LOGIN}`,
    whyItMatters: `The session cookie rides along on every request the browser makes to the app, forged cross-site
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
      const keepsSessions = appKeepsSessions(project, app);
      const hasCsrf = csrfConfigArgument(app) !== undefined;
      if (!keepsSessions || hasCsrf) continue;
      const session = sessionAppCredentials(project, app, 'its session middleware');
      if (!session) continue;
      const handlers = appRouteHandlers(project, app);
      const exposure = handlers.complete && handlers.unsafe.length === 0 ? { ...READ_ONLY_EXPOSURE, hint: `${session.hint}; ${READ_ONLY_EXPOSURE.hint}` } : { hint: session.hint, ...lowestSeverity(session.severity) };
      report({ file: app.module, range: app.call.range, message: `Litestar application ${describeApplication(app)} keeps sessions but has no csrf_config: no request is checked for a CSRF token`, ...exposure });
    }
  },
});
