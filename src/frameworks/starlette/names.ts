import type { ApplicationKind } from '../../project/applications.js';

export const STARLETTE_APPLICATIONS: ApplicationKind = {
  appClasses: new Set(['starlette.applications.Starlette', 'fastapi.FastAPI']),
  protectorClasses: new Set(),
  formClasses: new Set(),
};

/** Middleware that keeps a session in a cookie. */
export const SESSION_MIDDLEWARE = new Set(['starlette.middleware.sessions.SessionMiddleware', 'starsessions.SessionMiddleware', 'starsessions.middleware.SessionMiddleware']);
/** Middleware that checks the CSRF token of every unsafe request. */
export const CSRF_MIDDLEWARE = new Set(['starlette_csrf.CSRFMiddleware', 'asgi_csrf.asgi_csrf']);
