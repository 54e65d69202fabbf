import { type ApplicationKind, findApplications } from '../../project/applications.js';
import { appMiddlewares } from '../../project/middleware.js';
import type { Project } from '../../project/project.js';
import { defineRule } from '../rule.js';
import { describeApplication } from '../support/unprotected-apps.js';

const STARLETTE_APPLICATIONS: ApplicationKind = {
  appClasses: new Set(['starlette.applications.Starlette', 'fastapi.FastAPI']),
  protectorClasses: new Set(),
  formClasses: new Set(),
};

/** Middleware that keeps a session in a cookie. */
const SESSION_MIDDLEWARE = new Set(['starlette.middleware.sessions.SessionMiddleware', 'starsessions.SessionMiddleware', 'starsessions.middleware.SessionMiddleware']);
/** Middleware that checks CSRF tokens (starlette-wtf's only makes its decorator and forms work). */
const CSRF_MIDDLEWARE = new Set(['starlette_csrf.CSRFMiddleware', 'starlette_wtf.CSRFProtectMiddleware', 'asgi_csrf.asgi_csrf']);

export default defineRule({
  id: 'starlette-csrf-protection-missing',
  code: 'CSRF304',
  title: 'Starlette or FastAPI application with cookie sessions and no CSRF protection',
  severity: 'high',
  framework: 'starlette',
  fix: 'Add CSRF middleware (starlette-csrf CSRFMiddleware, asgi-csrf) or validate tokens with fastapi-csrf-protect.',
  keywords: ['SessionMiddleware', 'starlette', 'fastapi', 'csrf'],
  doc: {
    whatItFinds: `A \`starlette.applications.Starlette\` or \`fastapi.FastAPI\` application that keeps sessions in a
cookie (\`SessionMiddleware\`, given in \`middleware=[Middleware(...)]\` or added with
\`app.add_middleware(...)\`, wherever the app is) and has no CSRF protection: no starlette-csrf
\`CSRFMiddleware\`, no starlette-wtf \`CSRFProtectMiddleware\`, no asgi-csrf wrapper, and no
fastapi-csrf-protect in use in the project. Starlette and FastAPI have no CSRF protection of their
own. An API authenticated by tokens in headers, without cookie sessions, is not reported.`,
    whyItMatters: `A session cookie is sent with every request the browser makes to the app, including those another
web site makes it send: a form on any page can post to the app as the logged-in user.`,
    example: `from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="change-me")
`,
    useInstead: `from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware
from starlette_csrf import CSRFMiddleware

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="change-me")
app.add_middleware(CSRFMiddleware, secret="change-me")
`,
    whenItIsFine: `The session holds nothing that authenticates a user, or every state-changing endpoint checks a token
itself. Record why at the application.`,
    references: [
      { title: 'starlette-csrf', url: 'https://github.com/frankie567/starlette-csrf' },
      { title: 'fastapi-csrf-protect', url: 'https://github.com/aekasitt/fastapi-csrf-protect' },
      { title: 'Starlette: SessionMiddleware', url: 'https://www.starlette.io/middleware/#sessionmiddleware' },
    ],
  },
  check({ project, report }) {
    const projectsValidating = projectsUsingFastapiCsrfProtect(project);
    for (const app of findApplications(project, STARLETTE_APPLICATIONS)) {
      const middleware = appMiddlewares(project, app).map((entry) => entry.name);
      if (!middleware.some((name) => SESSION_MIDDLEWARE.has(name))) continue;
      const wrapped = app.usage.handedTo.some((name) => CSRF_MIDDLEWARE.has(name));
      if (wrapped || middleware.some((name) => CSRF_MIDDLEWARE.has(name)) || projectsValidating.has(app.module.projectRoot)) continue;
      const framework = app.className === 'fastapi.FastAPI' ? 'FastAPI' : 'Starlette';
      report({ file: app.module, range: app.call.range, message: `${framework} application ${describeApplication(app)} keeps sessions in a cookie (SessionMiddleware) but has no CSRF protection` });
    }
  },
});

/** fastapi-csrf-protect works by `await csrf_protect.validate_csrf(request)` in endpoints: any such call counts. */
function projectsUsingFastapiCsrfProtect(project: Project): Set<string> {
  const roots = new Set<string>();
  for (const module of project.modules) {
    const validates = module.facts.calls.some(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === 'validate_csrf');
    if (validates) roots.add(module.projectRoot);
  }
  return roots;
}
