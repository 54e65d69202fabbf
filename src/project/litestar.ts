import type { ApplicationKind } from './applications.js';

export const LITESTAR_APPLICATIONS: ApplicationKind = {
  appClasses: new Set(['litestar.Litestar', 'starlite.Starlite']),
  protectorClasses: new Set(),
  formClasses: new Set(),
};

export const LITESTAR = {
  csrfConfig: new Set(['litestar.config.csrf.CSRFConfig', 'starlite.CSRFConfig', 'starlite.config.CSRFConfig']),
  /** Route handler decorators: their extra keywords become the handler's `opt`. */
  handlerDecorators: /^(litestar|starlite)(\.handlers(\.http_handlers)?)?\.(get|post|put|patch|delete|route|head|websocket)$/,
  excludeKey: 'exclude_from_csrf',
} as const;
