import type { Argument } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue } from '../../project/values.js';

/** Authentication policies that read only a request header (`pyramid_jwt`'s, `http_header=...`). */
const HEADER_POLICIES = new Set(['pyramid_jwt.JWTAuthenticationPolicy', 'pyramid_jwt.policy.JWTAuthenticationPolicy']);
/** `pyramid_jwt`'s cookie flavour derives from the header one but reads a cookie. */
const COOKIE_POLICIES = new Set(['pyramid_jwt.JWTCookieAuthenticationPolicy', 'pyramid_jwt.policy.JWTCookieAuthenticationPolicy']);

const VIEW_CONFIG = 'pyramid.view.view_config';

/**
 * The routes whose users are authenticated by a request header alone: a project's per-route policy
 * pairs a route name with a header policy (`policy.add_policy(API_ROUTE_NAME, JWTAuthenticationPolicy(...))`)
 * and pairs it with nothing else. A cross-site form cannot send that header, so a forged request to
 * a view of such a route carries no credential, whatever cookie other routes log users in with.
 */
export function headerAuthenticatedRoutes(project: Project, modules: readonly SourceModule[]): Set<string> {
  const headerOnly = new Set<string>();
  const otherwise = new Set<string>();
  for (const module of modules) {
    if (module.context === 'test') continue;
    for (const { call, scope } of module.facts.calls) {
      const positional = call.args.filter((argument) => argument.name === undefined && !argument.unpack);
      if (positional.length !== 2) continue;
      const [route, policy] = positional.map((argument) => argument.value);
      const routeName = stringValue(project, { module, scope, expr: route! });
      if (routeName === undefined) continue;
      const classes = project.instanceClasses(module, policy!, scope);
      if (classes.length === 0) continue;
      const readsHeader = classes.every((className) => isHeaderPolicy(project, className));
      (readsHeader ? headerOnly : otherwise).add(routeName);
    }
  }
  for (const route of otherwise) headerOnly.delete(route);
  return headerOnly;
}

function isHeaderPolicy(project: Project, className: string): boolean {
  if (project.inheritsFrom(className, (name) => COOKIE_POLICIES.has(name))) return false;
  return project.inheritsFrom(className, (name) => HEADER_POLICIES.has(name));
}

/**
 * The route a view is declared on: its own `route_name=`, or the one a project's subclass of
 * `view_config` puts into every view it declares (`settings = {"route_name": API_ROUTE_NAME, ...}`).
 */
export function declaredRouteName(project: Project, module: SourceModule, scope: number, args: Argument[], decorator: string | undefined): string | undefined {
  const own = args.find((argument) => argument.name === 'route_name');
  if (own) return stringValue(project, { module, scope, expr: own.value });
  return decorator === undefined ? undefined : decoratorRouteName(project, decorator);
}

function decoratorRouteName(project: Project, className: string): string | undefined {
  const site = project.findDefinition(className);
  if (site?.definition.kind !== 'class' || !isViewConfigClass(project, className)) return undefined;
  const { module, definition } = site;
  for (const { value, scope } of module.symbols.itemsWithin(module.facts.assignments, definition.bodyScope)) {
    if (value?.kind !== 'dict') continue;
    const entry = value.entries.find(({ key }) => key !== null && stringValue(project, { module, scope, expr: key }) === 'route_name');
    if (entry) return stringValue(project, { module, scope, expr: entry.value });
  }
  return undefined;
}

/** A scanned subclass of `view_config`: a decorator that declares views the way `view_config` does. */
export function isViewConfigClass(project: Project, className: string): boolean {
  return project.isScannedName(className) && project.inheritsFrom(className, (name) => name === VIEW_CONFIG);
}

/** Whether `scope` lies in a method of a scanned subclass of `view_config` (its own `add_view` call registers the views it decorates). */
export function insideViewConfigClass(project: Project, module: SourceModule, scope: number): boolean {
  for (let definition = module.symbols.definitionOfScope(scope); definition; definition = module.symbols.definitionOfScope(definition.scope)) {
    if (definition.kind === 'class') return isViewConfigClass(project, module.symbols.definitionName(definition));
  }
  return false;
}
