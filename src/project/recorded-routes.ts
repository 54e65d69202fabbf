import type { CallExpr, Definition, Expr } from '../python/facts.js';
import { contains } from './enclosing.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

/** A route a method of a blueprint class records for its class to add: `@route("/login", methods=["POST"])`. */
export interface RecordedRoute {
  module: SourceModule;
  method: Definition;
  decorator: CallExpr;
}

/**
 * The routes a blueprint class adds to itself from its methods' decorators (Hedy's `WebsiteModule`):
 * a project decorator stores its arguments on the method (`setattr(fn, "_routing_data", ...)`), and
 * a constructor of the class reads them back (`getattr(fn, "_routing_data", [])`) and hands them to
 * `self.route(*args, **kwargs)`. Only a decorator that writes an attribute the constructor replays counts.
 */
export function recordedRoutes(project: Project, className: string): RecordedRoute[] {
  const replayed = replayedAttributes(project, className);
  if (replayed.size === 0) return [];
  const routes: RecordedRoute[] = [];
  for (const { module, definition } of classesOf(project, className)) {
    for (const method of module.facts.definitions) {
      if (method.kind !== 'function' || method.scope !== definition.bodyScope) continue;
      for (const { expression } of method.decorators) {
        if (expression.kind === 'call' && recordsAttribute(project, module, method.scope, expression.callee, replayed)) routes.push({ module, method, decorator: expression });
      }
    }
  }
  return routes;
}

/** The scanned definitions of the class and its ancestors. */
function classesOf(project: Project, className: string): Array<{ module: SourceModule; definition: Definition }> {
  const found: Array<{ module: SourceModule; definition: Definition }> = [];
  project.inheritsFrom(className, (name) => {
    const site = project.findDefinition(name);
    if (site?.definition.kind === 'class') found.push(site);
    return false;
  });
  return found;
}

/** Attributes a constructor of the class reads with `getattr(x, "<name>", ...)` and replays through `self.route(*...)`. */
function replayedAttributes(project: Project, className: string): Set<string> {
  const names = new Set<string>();
  for (const { module, definition } of classesOf(project, className)) {
    const constructor = module.facts.definitions.find((candidate) => candidate.kind === 'function' && candidate.name === '__init__' && candidate.scope === definition.bodyScope);
    if (!constructor) continue;
    const calls = module.facts.calls.filter(({ call }) => contains(constructor.range, call.range)).map(({ call }) => call);
    if (!calls.some(isUnpackedSelfRoute)) continue;
    for (const call of calls) {
      const name = attributeNamed(call, 'getattr');
      if (name !== undefined) names.add(name);
    }
  }
  return names;
}

/** `self.route(*rd.args, **rd.kwargs)`: a rule and options the constructor did not write itself. */
function isUnpackedSelfRoute(call: CallExpr): boolean {
  const { callee } = call;
  if (callee.kind !== 'attribute' || callee.attribute !== 'route' || callee.object.kind !== 'name' || callee.object.id !== 'self') return false;
  return call.args.some((argument) => argument.unpack !== undefined);
}

/** The attribute name a `getattr(x, "name", ...)` or `setattr(x, "name", value)` call reads or writes. */
function attributeNamed(call: CallExpr, builtin: 'getattr' | 'setattr'): string | undefined {
  if (call.callee.kind !== 'name' || call.callee.id !== builtin) return undefined;
  const name = call.args[1];
  return name && name.name === undefined && name.value.kind === 'string' ? name.value.value : undefined;
}

/** The decorator is a scanned function that stores one of `attributes` on what it decorates. */
function recordsAttribute(project: Project, module: SourceModule, scope: number, callee: Expr, attributes: ReadonlySet<string>): boolean {
  const name = project.resolve(module, callee, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (site?.definition.kind !== 'function') return false;
  const { definition } = site;
  return site.module.facts.calls.some(({ call }) => contains(definition.range, call.range) && attributes.has(attributeNamed(call, 'setattr') ?? ''));
}
