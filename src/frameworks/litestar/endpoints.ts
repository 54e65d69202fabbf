import { type Application, findApplications } from '../../project/applications.js';
import { appKeepsSessions, appRoutes, csrfConfigArgument, LITESTAR_APPLICATIONS, type RouteHandler, routeHandlersOfProject } from './routes.js';
import { appMiddlewares } from '../../project/middleware.js';
import type { CredentialEvidence } from '../../project/credentials.js';
import { appCookieJwtAuth, jwtCookieEvidence } from './cookie-jwt-auth.js';
import type { Project } from '../../project/project.js';
import { appAuthentication, appSite, withTargetReason } from '../../endpoints/apps.js';
import { ANY_METHOD, type AppContext, type Protection, type RoutedEndpoint, sortedMethods } from '../../endpoints/endpoint.js';

/**
 * The route handlers of every Litestar app: `Litestar(route_handlers=[...])` through routers and
 * controllers, each handler a function decorated with `@post("/x")`, `@route(..., http_method=[...])`.
 * The app's `csrf_config` protects them all. When the app's list cannot be read (controllers added
 * by a plugin's `on_app_init`), it may serve every handler of its project: those are listed too.
 */
export function litestarEndpoints(project: Project): RoutedEndpoint[] {
  return findApplications(project, LITESTAR_APPLICATIONS).flatMap((app) => {
    const context = appContext(project, app);
    const { handlers, complete } = appRoutes(project, app);
    const listed = new Set(handlers.map(({ definition }) => definition));
    const unlisted = complete ? [] : routeHandlersOfProject(project, app.module.projectRoot).filter(({ definition }) => !listed.has(definition));
    return [...handlers, ...unlisted].flatMap((handler) => handlerEndpoint(handler, context));
  });
}

function handlerEndpoint(handler: RouteHandler, context: AppContext): RoutedEndpoint[] {
  const { module, definition, controller, kind, methods, path } = handler;
  if (kind === 'websocket') return [];
  const view = controller ? `${controller.name}.${definition.name}` : definition.name;
  return [{ app: context.site, module, definition, view, route: path, methods: methods ? sortedMethods(methods) : [ANY_METHOD], protection: context.protection, credentials: context.credentials }];
}

/** Why an app without `csrf_config` and without sessions has no finding: the rule reports only apps that keep a session. */
const NO_SESSION = 'no session middleware, `SessionAuth` or JWT cookie backend: no logged-in session for a forged request to ride on';

function appContext(project: Project, app: Application): AppContext {
  const site = appSite(app, 'litestar');
  const session = appMiddlewares(project, app).find((entry) => /session/i.test(entry.name));
  const jwtCookie = appCookieJwtAuth(project, app);
  const evidence: CredentialEvidence[] = [
    ...(session ? [{ kind: 'session-cookie' as const, what: `\`${session.name}\``, path: session.module.path, line: session.range.line || app.call.range.line }] : []),
    ...(jwtCookie ? [jwtCookieEvidence(jwtCookie)] : []),
  ];
  const authentication = appAuthentication(project, app, evidence);
  const config = csrfConfigArgument(app);
  const protection: Protection = config
    ? { state: 'protected', check: 'csrf_config', evidence: { file: app.module, line: config.range.line } }
    : { state: 'unprotected', check: 'no csrf_config', evidence: site.anchor, ...(appKeepsSessions(project, app) || jwtCookie ? {} : { reason: NO_SESSION }) };
  return { site, credentials: authentication.credentials, protection: withTargetReason(protection, authentication) };
}

