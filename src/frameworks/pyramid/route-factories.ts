import type { Definition, Expr } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue } from '../../project/values.js';
import { keywordArgument, methodCalls } from './configuration.js';

const EVERYONE = new Set(['pyramid.security.Everyone', 'pyramid.authorization.Everyone']);

/**
 * The route factory (`config.add_route(name, pattern, factory=...)`) every one of the routes
 * uses, when its ACL grants permissions to `Everyone` and nobody else: a view on those routes
 * needs no signed-in principal, so the browser's cookie gives a forged request nothing. The
 * factory may still decide whether to grant anything (an API key the request carries).
 */
export function everyoneOnlyRouteFactory(project: Project, routeNames: readonly string[]): string | undefined {
  if (routeNames.length === 0) return undefined;
  const factories = routeFactories(project);
  const [first] = routeNames.map((name) => factories.get(name));
  if (first === undefined || !routeNames.every((name) => factories.get(name) === first)) return undefined;
  const site = project.findDefinition(first);
  if (site?.definition.kind !== 'class' || !grantsOnlyEveryone(project, site.module, site.definition)) return undefined;
  return site.definition.name;
}

const factoriesByProject = new WeakMap<Project, Map<string, string>>();

/** The factory class of each route that names one, by route name. */
function routeFactories(project: Project): Map<string, string> {
  project.noteEveryModuleRead();
  const known = factoriesByProject.get(project);
  if (known) return known;
  const factories = new Map<string, string>();
  for (const { module, scope, call } of methodCalls(project, 'add_route')) {
    const [name] = call.args.filter((argument) => !argument.name && !argument.unpack);
    const factory = keywordArgument(call, 'factory');
    const routeName = name && stringValue(project, { module, scope, expr: name.value });
    const className = factory && factoryName(project, module, factory.value, scope);
    if (routeName !== undefined && className !== undefined) factories.set(routeName, className);
  }
  factoriesByProject.set(project, factories);
  return factories;
}

/** `factory="pkg.security.APIFactory"` or `factory=APIFactory`. */
function factoryName(project: Project, module: SourceModule, expr: Expr, scope: number): string | undefined {
  const dotted = stringValue(project, { module, scope, expr });
  if (dotted === undefined) return project.resolve(module, expr, scope);
  return project.canonical(dotted.replace(':', '.'), module);
}

/**
 * Every ACL the class writes (`__acl__ = [...]`, `self.__acl__ = [...]`, `self.__acl__.append(...)`,
 * a `__acl__` method's returns) holds only `(Allow, Everyone, ...)` entries, and there is one.
 * An ACL taken from elsewhere (`self.__acl__ = self.resource.__acl__`) is not known: not judged so.
 */
function grantsOnlyEveryone(project: Project, module: SourceModule, factory: Definition): boolean {
  const entries: Array<{ expr: Expr; scope: number }> = [];
  let unknown = false;
  const addList = (expr: Expr, scope: number) => {
    if (expr.kind === 'list' || expr.kind === 'tuple') entries.push(...expr.items.map((item) => ({ expr: item, scope })));
    else unknown = true;
  };
  for (const { target, value, scope } of module.symbols.itemsWithin(module.facts.assignments, factory.bodyScope)) {
    if (isAcl(target) && value) addList(value, scope);
  }
  for (const { call, scope } of module.symbols.itemsWithin(module.facts.calls, factory.bodyScope)) {
    const { callee } = call;
    if (callee.kind !== 'attribute' || !isAcl(callee.object)) continue;
    const [argument] = call.args;
    if (callee.attribute === 'append' && argument) entries.push({ expr: argument.value, scope });
    else if (callee.attribute === 'extend' && argument) addList(argument.value, scope);
    else unknown = true;
  }
  const method = module.facts.definitions.find((definition) => definition.name === '__acl__' && definition.scope === factory.bodyScope);
  if (method) {
    for (const { value, scope } of module.symbols.itemsWithin(module.facts.returns, method.bodyScope)) if (value) addList(value, scope);
  }
  return !unknown && entries.length > 0 && entries.every(({ expr, scope }) => grantsToEveryone(project, module, expr, scope));
}

function isAcl(expr: Expr): boolean {
  return (expr.kind === 'name' && expr.id === '__acl__') || (expr.kind === 'attribute' && expr.attribute === '__acl__' && expr.object.kind === 'name' && expr.object.id === 'self');
}

/** `(Allow, Everyone, "create")`. */
function grantsToEveryone(project: Project, module: SourceModule, entry: Expr, scope: number): boolean {
  if (entry.kind !== 'tuple' && entry.kind !== 'list') return false;
  const principal = entry.items[1];
  return principal !== undefined && EVERYONE.has(project.resolve(module, principal, scope) ?? '');
}
