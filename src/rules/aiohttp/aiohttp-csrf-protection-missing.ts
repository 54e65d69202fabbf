import { type ApplicationKind, findApplications } from '../../project/applications.js';
import { appMiddlewares } from '../../project/middleware.js';
import type { Project } from '../../project/project.js';
import { defineRule } from '../rule.js';
import { describeApplication } from '../support/unprotected-apps.js';

const AIOHTTP_APPLICATIONS: ApplicationKind = {
  appClasses: new Set(['aiohttp.web.Application']),
  protectorClasses: new Set(),
  formClasses: new Set(),
};

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
  fix: 'Set up aiohttp-csrf and add aiohttp_csrf.csrf_middleware to the application.',
  keywords: ['aiohttp_session', 'session_middleware'],
  doc: {
    whatItFinds: `An \`aiohttp.web.Application\` that keeps sessions with aiohttp-session (\`aiohttp_session.setup(app, ...)\`,
or \`session_middleware(...)\` in its middlewares) and is not protected by aiohttp-csrf: neither
\`aiohttp_csrf.csrf_middleware\` in its middlewares nor \`@aiohttp_csrf.csrf_protect\` handlers in the
project. \`aiohttp_csrf.setup(...)\` alone protects nothing, which the hint says.`,
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
    const decorated = projectsWithProtectedHandlers(project);
    for (const app of findApplications(project, AIOHTTP_APPLICATIONS)) {
      const middleware = appMiddlewares(project, app).map((entry) => entry.name);
      const { handedTo } = app.usage;
      if (!handedTo.includes(SESSION_SETUP) && !middleware.includes(SESSION_MIDDLEWARE)) continue;
      if (middleware.includes(CSRF_MIDDLEWARE) || decorated.has(app.module.projectRoot)) continue;
      const hint = handedTo.includes(CSRF_SETUP) ? 'aiohttp_csrf.setup() only stores the policy: without csrf_middleware (or @csrf_protect) nothing is checked' : undefined;
      report({ file: app.module, range: app.call.range, message: `aiohttp application ${describeApplication(app)} keeps sessions but is not protected by aiohttp-csrf`, ...(hint ? { hint } : {}) });
    }
  },
});

function projectsWithProtectedHandlers(project: Project): Set<string> {
  const roots = new Set<string>();
  for (const module of project.modules) {
    for (const definition of module.facts.definitions) {
      const protectedHandler = definition.decorators.some(({ expression }) => {
        const target = expression.kind === 'call' ? expression.callee : expression;
        return project.resolve(module, target, definition.scope) === CSRF_DECORATOR;
      });
      if (protectedHandler) roots.add(module.projectRoot);
    }
  }
  return roots;
}
