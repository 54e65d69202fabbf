import type { Definition, Expr } from '../../python/facts.js';
import type { Credentials } from '../../endpoints/endpoint.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { globalHandlerActsForNobody, globalRequestDecoratorHeaderRead, type GlobalUserOptions } from '../../project/view-bodies.js';

/** Flask-HTTPAuth's password schemes: a browser that has cached the password sends it by itself. */
const PASSWORD_AUTH_CLASSES = new Set(['flask_httpauth.HTTPBasicAuth', 'flask_httpauth.HTTPDigestAuth']);
/** Flask-HTTPAuth's token scheme: the token is sent in a header a cross-site form cannot set. */
const TOKEN_AUTH_CLASSES = new Set(['flask_httpauth.HTTPTokenAuth']);

/**
 * What the users of one Flask view send, when its own decorator says it rather than the app: with
 * Flask-HTTPAuth's `@auth.login_required`, HTTP Basic for an `HTTPBasicAuth` (or Digest) `auth`,
 * a header token for an `HTTPTokenAuth`; a header token for a decorator of the project whose wrapper
 * reads the credential from a request header (`request.headers["Authorization"]`) in a view that
 * knows no session user. `undefined` when no decorator says.
 */
export function viewCredentials(project: Project, module: SourceModule, view: Definition): Credentials | undefined {
  for (const { expression } of view.decorators) {
    const credentials = httpAuthCredentials(project, module, expression, view.scope);
    if (credentials) return credentials;
  }
  return globalRequestDecoratorHeaderRead(project, module, view) === undefined ? undefined : 'header token only';
}

/** The decorators that only route a view: \`@bp.route(...)\`, \`@app.post(...)\`. */
const ROUTE_DECORATORS = new Set(['route', 'get', 'post', 'put', 'patch', 'delete']);

/**
 * A view with no decorator but its routes' (none to sign a user in or require one) that reads no
 * user or session by any name other than its own locals, imports neither in its module, and calls
 * project code that does neither (\`POST /api/users\`, which registers an account from a JSON body):
 * the browser's cookie goes along, but the view acts for nobody. Asked only of apps signed in by a
 * session cookie: another app's views may be authenticated by a hook of their blueprint.
 */
export function readsNoCredential(project: Project, module: SourceModule, view: Definition, options: Pick<GlobalUserOptions, 'unreadImportsAreNoUser'> = {}): boolean {
  if (view.kind !== 'function' || !view.decorators.every(({ expression }) => isRouteDecorator(expression))) return false;
  return globalHandlerActsForNobody(project, { module, definition: view }, undefined, { ...options, localsAreNoUser: true }) !== undefined;
}

function isRouteDecorator(expression: Expr): boolean {
  return expression.kind === 'call' && expression.callee.kind === 'attribute' && ROUTE_DECORATORS.has(expression.callee.attribute);
}

/** `@auth.login_required` or `@auth.login_required(role="admin")` of a Flask-HTTPAuth object. */
function httpAuthCredentials(project: Project, module: SourceModule, decorator: Expr, scope: number): Credentials | undefined {
  const target = decorator.kind === 'call' ? decorator.callee : decorator;
  if (target.kind !== 'attribute' || target.attribute !== 'login_required') return undefined;
  if (project.isInstanceOf(module, target.object, scope, PASSWORD_AUTH_CLASSES)) return 'HTTP Basic';
  if (project.isInstanceOf(module, target.object, scope, TOKEN_AUTH_CLASSES)) return 'header token only';
  return undefined;
}

/** \`request.cookies\`, read by the view or by a function of the project it calls: a cookie that names the caller. */
export function readsRequestCookie(project: Project, module: SourceModule, view: Definition): boolean {
  if (readsCookiesWithin(module, view)) return true;
  return module.symbols.itemsWithin(module.facts.calls, view.bodyScope).some(({ call, scope }) => {
    const name = project.resolve(module, call.callee, scope);
    const site = name === undefined ? undefined : project.findDefinition(name);
    return site?.definition.kind === 'function' && readsCookiesWithin(site.module, site.definition);
  });
}

function readsCookiesWithin(module: SourceModule, definition: Definition): boolean {
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  return module.facts.scopes.some((scope) => scopes.has(scope.id) && scope.reads.some((read) => read === 'request.cookies' || read.startsWith('request.cookies.')));
}
