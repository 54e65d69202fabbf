import type { ApplicationKind } from './applications.js';

export const LITESTAR_APPLICATIONS: ApplicationKind = {
  appClasses: new Set(['litestar.Litestar', 'starlite.Starlite']),
  protectorClasses: new Set(),
  formClasses: new Set(),
};

export const LITESTAR = {
  csrfConfig: new Set(['litestar.config.csrf.CSRFConfig', 'starlite.CSRFConfig', 'starlite.config.CSRFConfig']),
  /** Route handler decorators: their extra keywords become the handler's `opt`. */
  handlerDecorators: /^(litestar|starlite)(\.handlers(\.http_handlers(\.decorators)?)?)?\.(get|post|put|patch|delete|route|head|websocket)$/,
  /** Layers whose `opt` every handler below them inherits. */
  routers: new Set(['litestar.Router', 'litestar.router.Router', 'starlite.Router', 'starlite.router.Router', 'litestar.Litestar', 'starlite.Starlite']),
  controllers: new Set(['litestar.Controller', 'litestar.controller.Controller', 'starlite.Controller', 'starlite.controller.Controller']),
  /** Authentication that keeps the user in a session: its `on_app_init` adds the session middleware. */
  sessionAuth: new Set(['litestar.security.session_auth.SessionAuth', 'litestar.security.session_auth.auth.SessionAuth', 'starlite.security.session_auth.SessionAuth', 'starlite.security.session_auth.auth.SessionAuth']),
  excludeKey: 'exclude_from_csrf',
} as const;
