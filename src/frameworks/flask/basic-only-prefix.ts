/**
 * A decorator of the project that signs a request under a path prefix in only by HTTP Basic, and
 * answers 401 without it: eNMS's `process_requests` on `/rest/<path:page>`
 * (`if request.path.startswith("/rest/")` ... `authenticate_user(**request.authorization)` ... 401).
 * Where the project never asks a browser for a Basic password (no `WWW-Authenticate` written), no
 * browser has one cached for the site, so a forged request carries no credential the view accepts.
 */
import type { Definition, Expr } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import { finalIdentifier, type Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue } from '../../project/values.js';
import { expressionsWithin } from '../../project/view-bodies.js';
import { routeDecorators } from './route-methods.js';
import { asksForBasic } from './same-site.js';

/** Words of a function that checks the credentials it is given. */
const AUTHENTICATING = /authenticat|check|verify|login/i;
const UNAUTHORIZED = 401;

/** The check, as the hint names it, when a decorator of the view signs its every route in by HTTP Basic alone. */
export function basicOnlyPrefixCheck(project: Project, module: SourceModule, view: Definition): string | undefined {
  const paths = routedPaths(project, module, view);
  if (paths === undefined || asksForBasic(project, module.projectRoot)) return undefined;
  for (const { expression } of view.decorators) {
    const decorator = decoratorDefinition(project, module, expression, view);
    if (decorator === undefined) continue;
    const { module: home, definition } = decorator;
    const scopes = home.symbols.scopesWithin(definition.bodyScope);
    const wrappers = [definition, ...home.facts.definitions.filter((inner) => inner.kind === 'function' && scopes.has(inner.scope))];
    for (const wrapper of wrappers) {
      const prefix = testedPathPrefix(project, home, wrapper);
      if (prefix === undefined || !paths.every((path) => path.startsWith(prefix))) continue;
      const check = basicCheckAnswering401(project, home, wrapper);
      if (check !== undefined) return `\`@${finalIdentifier(expression.kind === 'call' ? expression.callee : expression)}\` signs a request under \`${prefix}\` in only by its HTTP Basic credentials (\`${check}(...)\`) and answers 401 without them; the project never asks a browser for a Basic password (no \`WWW-Authenticate\` header), so no browser sends one by itself`;
    }
  }
  return undefined;
}

/** The URL rules of the view's own route decorators, when each is a string and no other call routes it. */
function routedPaths(project: Project, module: SourceModule, view: Definition): string[] | undefined {
  const routes = routeDecorators(view);
  if (routes.length === 0) return undefined;
  const paths = routes.map((route) => {
    const [rule] = route.args.filter((argument) => argument.name === undefined || argument.name === 'rule');
    return rule && stringValue(project, { module, scope: view.scope, expr: rule.value });
  });
  return paths.every((path) => path !== undefined) ? (paths as string[]) : undefined;
}

/** A decorator defined in the project: a function it names, or a method of the view's class reached through `self` (`@self.process_requests`). */
function decoratorDefinition(project: Project, module: SourceModule, expression: Expr, view: Definition): { module: SourceModule; definition: Definition } | undefined {
  const named = expression.kind === 'call' ? expression.callee : expression;
  const name = project.resolve(module, named, view.scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (site?.definition.kind === 'function') return site;
  if (named.kind !== 'attribute' || named.object.kind !== 'name' || named.object.id !== 'self') return undefined;
  const owner = classAround(module, view);
  const method = owner === undefined ? undefined : project.findMethod(module.symbols.definitionName(owner), named.attribute);
  return method?.definition.kind === 'function' ? method : undefined;
}

/** The class a view is defined in, directly or inside one of its methods (\`def register_routes(self): @app.route(...) def view(): ...\`). */
function classAround(module: SourceModule, view: Definition): Definition | undefined {
  let owner = module.symbols.definitionOfScope(view.scope);
  while (owner !== undefined && owner.kind !== 'class') owner = module.symbols.definitionOfScope(owner.scope);
  return owner;
}

/** `request.path.startswith("/rest/")` in the wrapper's own body: the literal prefix, a whole segment or more. */
function testedPathPrefix(project: Project, module: SourceModule, wrapper: Definition): string | undefined {
  for (const { call, scope } of module.facts.calls) {
    if (scope !== wrapper.bodyScope || call.callee.kind !== 'attribute' || call.callee.attribute !== 'startswith') continue;
    const tested = call.callee.object;
    if (tested.kind !== 'attribute' || tested.attribute !== 'path' || finalIdentifier(tested.object) !== 'request') continue;
    const [argument] = call.args;
    const prefix = argument && argument.name === undefined ? stringValue(project, { module, scope, expr: argument.value }) : undefined;
    if (prefix !== undefined && prefix.startsWith('/') && prefix.replace(/\//g, '').length > 0) return prefix;
  }
  return undefined;
}

/** The wrapper hands `request.authorization` to a function that checks it, and answers 401: the checking function's name. */
function basicCheckAnswering401(project: Project, module: SourceModule, wrapper: Definition): string | undefined {
  const answers401 = expressionsWithin(module, wrapper.bodyScope).some((expression) => [...walkExpr(expression)].some((part) => part.kind === 'number' && part.value === UNAUTHORIZED));
  if (!answers401) return undefined;
  for (const { call, scope } of module.facts.calls) {
    if (scope !== wrapper.bodyScope) continue;
    const name = finalIdentifier(call.callee);
    if (name === undefined || !AUTHENTICATING.test(name)) continue;
    if (call.args.some((argument) => isAuthorization(argument.value))) return project.resolve(module, call.callee, scope)?.split('.').pop() ?? name;
  }
  return undefined;
}

/** `request.authorization`. */
function isAuthorization(expr: Expr): boolean {
  return expr.kind === 'attribute' && expr.attribute === 'authorization' && finalIdentifier(expr.object) === 'request';
}
