import type { Definition } from '../../../python/facts.js';
import { packagesOf } from '../../../project/known-names.js';
import { AIOHTTP_APPLICATIONS, appRoutes, everySessionCookieIsStrict } from '../routes.js';
import { type Application, findApplications } from '../../../project/applications.js';
import { checksCsrf } from '../../../project/csrf-checks.js';
import { ambientCredentialsOf, CREDENTIAL_KEYWORDS } from '../../../project/credentials.js';
import { appMiddlewares } from '../../../project/middleware.js';
import type { Project } from '../../../project/project.js';
import { defineRule, type Severity } from '../../../rules/rule.js';
import { describeApplication, lowestSeverity, READ_ONLY_EXPOSURE, SESSION_IS_NOT_ALWAYS_A_LOGIN, sessionAppCredentials } from '../../../rules/support/unprotected-apps.js';

const LISTED_HANDLERS = 5;
const SESSION_SETUP = 'aiohttp_session.setup';
const SESSION_MIDDLEWARE = 'aiohttp_session.session_middleware';
const CSRF_MIDDLEWARE = 'aiohttp_csrf.csrf_middleware';
const CSRF_SETUP = 'aiohttp_csrf.setup';
const CSRF_DECORATOR = 'aiohttp_csrf.csrf_protect';

export default defineRule({
  id: 'aiohttp-csrf-protection-missing',
  code: 'CSRF307',
  title: 'aiohttp application with sessions and no CSRF protection',
  severity: 'high',
  framework: 'aiohttp',
  judges: 'project',
  fix: 'Set up aiohttp-csrf and add aiohttp_csrf.csrf_middleware to the application.',
  keywords: ['aiohttp_session', 'session_middleware', 'aiohttp_csrf', { exact: 'router' }, 'add_routes', ...CREDENTIAL_KEYWORDS],
  packages: packagesOf(AIOHTTP_APPLICATIONS.appClasses),
  doc: {
    whatItFinds: `An \`aiohttp.web.Application\` that keeps sessions with aiohttp-session (\`aiohttp_session.setup(app, ...)\`,
or \`session_middleware(...)\` in its middlewares, directly or through a name) and is not protected:
neither \`aiohttp_csrf.csrf_middleware\` nor a middleware of the project's own that is named for CSRF
and rejects requests (raises, or calls a token check) is among its middlewares. aiohttp-csrf's
\`@csrf_protect\` checks only the handlers it decorates, of apps given to \`aiohttp_csrf.setup(...)\`:
such an app whose routes send POST, PUT, PATCH or DELETE to a handler without it is reported, and the
hint names those handlers. \`aiohttp_csrf.setup(...)\` alone protects nothing, which the hint says.
When every route of the app can be read and none accepts POST, PUT, PATCH or DELETE, the finding is
of low severity.

${SESSION_IS_NOT_ALWAYS_A_LOGIN}
An aiohttp-security identity policy of the project's own that derives from \`SessionIdentityPolicy\`
but whose \`identify\` reads a credential header (\`Authorization\`) and can answer \`None\` counts
as a header token: a forged request carries the session cookie, not the header. Nor is an app
reported when every session storage of its project sets \`samesite="Strict"\`
(\`EncryptedCookieStorage(secret, samesite="Strict")\`): browsers do not send that cookie with a
request another site starts.`,
    whyItMatters: `aiohttp has no CSRF protection of its own; the session cookie goes with every request the browser
sends to the app, including those another web site makes it send.`,
    example: `from aiohttp import web
from aiohttp_session import setup as setup_session
from aiohttp_session.cookie_storage import EncryptedCookieStorage

app = web.Application()
setup_session(app, EncryptedCookieStorage(b"0" * 32))
`,
    useInstead: `import aiohttp_csrf
from aiohttp import web
from aiohttp_session import setup as setup_session
from aiohttp_session.cookie_storage import EncryptedCookieStorage

app = web.Application()
setup_session(app, EncryptedCookieStorage(b"0" * 32))
aiohttp_csrf.setup(app, policy=aiohttp_csrf.policy.FormPolicy("_csrf"), storage=aiohttp_csrf.storage.SessionStorage("csrf"))
app.middlewares.append(aiohttp_csrf.csrf_middleware)
`,
    whenItIsFine: `The session holds nothing that authenticates a user. Record why at the application.`,
    references: [
      { title: 'aiohttp-csrf', url: 'https://github.com/wikibusiness/aiohttp-csrf' },
      { title: 'aiohttp-session', url: 'https://aiohttp-session.readthedocs.io/' },
    ],
  },
  check({ project, report }) {
    const protectedHandlers = handlersWithCsrfProtect(project);
    for (const app of findApplications(project, AIOHTTP_APPLICATIONS)) {
      const middleware = appMiddlewares(project, app).map((entry) => entry.name);
      const { handedTo } = app.usage;
      if (!handedTo.includes(SESSION_SETUP) && !middleware.includes(SESSION_MIDDLEWARE)) continue;
      if (middleware.some((name) => name === CSRF_MIDDLEWARE || isHandWrittenCheck(project, name))) continue;
      // A Strict session cookie spares the app only if nothing else (aiohttp-security's own cookie) signs its users in.
      if (everySessionCookieIsStrict(project, app.module.projectRoot) && onlySessionCookie(project, app)) continue;
      const problem = protectionProblem(project, app, protectedHandlers);
      if (!problem) continue;
      const session = sessionAppCredentials(project, app, 'aiohttp-session');
      if (!session) continue;
      const exposed = withExposure(project, app, problem);
      const hint = exposed.hint ? `${session.hint}; ${exposed.hint}` : session.hint;
      report({ file: app.module, range: app.call.range, message: `aiohttp application ${describeApplication(app)} keeps sessions but is not protected by aiohttp-csrf`, hint, ...lowestSeverity(exposed.severity, session.severity) });
    }
  },
});

/**
 * What is left unprotected when the app is set up for aiohttp-csrf but has no `csrf_middleware`:
 * `@csrf_protect` checks the handlers it decorates, so the app's state-changing handlers that lack
 * it are named. When the project uses the decorator and no handler of this app can be shown to
 * lack it, the app is given the benefit of the doubt.
 */
function protectionProblem(project: Project, app: Application, protectedHandlers: Map<Definition, string>): { hint?: string } | undefined {
  if (!app.usage.handedTo.includes(CSRF_SETUP)) return {};
  if (![...protectedHandlers.values()].includes(app.module.projectRoot)) {
    return { hint: 'aiohttp_csrf.setup() only stores the policy: without csrf_middleware (or @csrf_protect) nothing is checked' };
  }
  const unprotected = appRoutes(project, app).unsafe.filter((handler) => !protectedHandlers.has(handler.site.definition));
  if (unprotected.length === 0) return undefined;
  const listed = unprotected.slice(0, LISTED_HANDLERS).map((handler) => `\`${handler.name}\` (${handler.site.module.path}:${handler.site.definition.nameRange.line})`);
  const more = unprotected.length > LISTED_HANDLERS ? ` and ${unprotected.length - LISTED_HANDLERS} more` : '';
  return { hint: `@csrf_protect checks only the handlers it decorates; these state-changing handlers lack it: ${listed.join(', ')}${more}` };
}

/** Low severity, as for Flask apps, when every route of the app is known and none changes state. */
function withExposure(project: Project, app: Application, problem: { hint?: string }): { hint?: string; severity?: Severity } {
  const routes = appRoutes(project, app);
  if (!routes.complete || routes.unsafe.length > 0) return problem;
  return { severity: READ_ONLY_EXPOSURE.severity, hint: problem.hint ? `${problem.hint}; ${READ_ONLY_EXPOSURE.hint}` : READ_ONLY_EXPOSURE.hint };
}

/** The project's own CSRF middleware: named for CSRF, and it rejects requests or calls a token check. */
function isHandWrittenCheck(project: Project, middleware: string): boolean {
  const site = project.findDefinition(middleware);
  return site?.definition.kind === 'function' && checksCsrf(project, site.module, site.definition);
}

/** The handlers decorated with `@csrf_protect`, with the root of the project each is in. */
function handlersWithCsrfProtect(project: Project): Map<Definition, string> {
  const handlers = new Map<Definition, string>();
  for (const module of project.modules) {
    for (const definition of module.facts.definitions) {
      const decorated = definition.decorators.some(({ expression }) => {
        const target = expression.kind === 'call' ? expression.callee : expression;
        return project.resolve(module, target, definition.scope) === CSRF_DECORATOR;
      });
      if (decorated) handlers.set(definition, module.projectRoot);
    }
  }
  return handlers;
}

/** The app's ambient credentials are the session cookie alone: no other cookie nor login the browser sends by itself. */
function onlySessionCookie(project: Project, app: Application): boolean {
  const credentials = ambientCredentialsOf(project, app);
  return credentials.ambient.every((kind) => kind === 'session-cookie');
}
