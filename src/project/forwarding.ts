import type { Argument, CallExpr, Definition, Expr } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { dereference, type ValueSite } from './values.js';

/** An argument of a call, read where its value is written: in the caller for a forwarded parameter, in the helper otherwise. */
export interface SitedArgument {
  name?: string;
  value: ValueSite;
}

/** A registering call (`add_url_rule`, `register_blueprint`), as one caller of the helper that makes it has it made. */
export interface ForwardedCall {
  /** The method called: `add_url_rule`. */
  method: string;
  receiver: ValueSite;
  args: SitedArgument[];
  /** The line of the call as written: the helper's call for a forwarded one. */
  line: number;
}

/** The calls each helper makes on one of its own parameters, by the helper's canonical name. */
type HelperIndex = Map<string, HelperCall[]>;

/** A registering call made in a helper, on one of the helper's parameters. */
interface HelperCall {
  module: SourceModule;
  helper: Definition;
  call: CallExpr;
  scope: number;
}

const indexes = new WeakMap<Project, Map<string, HelperIndex>>();

/**
 * At most this many forwarded calls are made up in one pass over a project. A helper making N
 * registrations, called N times with different arguments, would otherwise expand to N² routes (a
 * repository can write that to exhaust time and memory); real projects forward a few hundred at
 * most. Past the cap, further helper calls are not expanded: their registrations are unknown, as
 * for any helper of a helper.
 */
export const MAX_FORWARDED_CALLS_PER_PROJECT = 10_000;

/** What one pass over a project (one index of its views) has expanded: each helper call once per distinct call text and scope, and how many calls in all. */
export class ForwardingBudget {
  private readonly expanded = new Set<string>();
  made = 0;

  get isSpent(): boolean {
    return this.made >= MAX_FORWARDED_CALLS_PER_PROJECT;
  }

  /** Whether this is the first call of the helper with these arguments, written the same way in the same scope: a repeat registers nothing new. */
  isFirstExpansion(helper: HelperCall[], module: SourceModule, call: CallExpr, scope: number): boolean {
    const first = helper[0];
    if (!first) return false;
    const helperName = first.module.symbols.definitionName(first.helper);
    const key = JSON.stringify([helperName, module.key, scope, call.callee, call.args], (name, value: unknown) => (name === 'range' || (name === 'id' && typeof value === 'number') ? undefined : value));
    if (this.expanded.has(key)) return false;
    this.expanded.add(key);
    return true;
  }
}

/** The arguments a direct call is made with, read in its own module and scope. */
export function sitedArguments(module: SourceModule, scope: number, args: readonly Argument[]): SitedArgument[] {
  return args.filter((argument) => !argument.unpack).map((argument) => ({ ...(argument.name !== undefined ? { name: argument.name } : {}), value: { module, scope, expr: argument.value } }));
}

/**
 * The calls of `methods` that a helper makes on its parameters (`bp_or_app.add_url_rule(route,
 * view_func=view_func, **kwargs)`), seen from one call of the helper
 * (`register_view(user, routes=["/a", "/b"], view_func=View.as_view("v"))`): each parameter is
 * replaced by what the caller passes, `*args` and `**kwargs` by the caller's extra arguments, and a
 * loop over a parameter (`for route in routes:`) by one call per item the caller lists. One level
 * only: a helper of a helper is not followed.
 */
export function forwardedCalls(project: Project, module: SourceModule, call: CallExpr, scope: number, methods: readonly string[], budget: ForwardingBudget): ForwardedCall[] {
  const index = helperIndex(project, methods);
  const callee = call.callee.kind === 'name' ? call.callee.id : call.callee.kind === 'attribute' ? call.callee.attribute : undefined;
  if (callee === undefined || !index.has(`.${callee}`)) return [];
  const inner = helperCalls(project, index, module, call, scope);
  if (!inner) return [];
  if (budget.isSpent || !budget.isFirstExpansion(inner, module, call, scope)) return [];
  const forwarded: ForwardedCall[] = [];
  for (const site of inner) {
    const isMethod = site.module.facts.scopes[site.helper.scope]?.kind === 'class';
    const boundSelf = isMethod && call.callee.kind === 'attribute' ? { name: site.helper.parameters[0]?.name, value: { module, scope, expr: call.callee.object } } : undefined;
    const bindings = bindParameters(site.helper, call, { module, scope }, boundSelf !== undefined);
    if (boundSelf?.name !== undefined) bindings.named.set(boundSelf.name, boundSelf.value);
    for (const made of substitute(project, site, bindings, call.range.line)) {
      if (budget.isSpent) return forwarded;
      budget.made += 1;
      forwarded.push(made);
    }
  }
  return forwarded;
}

/** The registering calls of the helper a call runs: a function, or a method of the class of the object it is called on (`api.add_org_resource(...)`). */
function helperCalls(project: Project, index: HelperIndex, module: SourceModule, call: CallExpr, scope: number): HelperCall[] | undefined {
  const name = project.resolve(module, call.callee, scope);
  const direct = name === undefined ? undefined : index.get(name);
  if (direct || call.callee.kind !== 'attribute') return direct;
  const { attribute } = call.callee;
  for (const owner of project.instanceClasses(module, call.callee.object, scope)) {
    const method = project.findMethod(owner, attribute);
    const calls = method && index.get(method.module.symbols.definitionName(method.definition));
    if (calls) return calls;
  }
  return undefined;
}

/**
 * What a call passes for the name `expr` inside the function it calls (a parameter of it), or the
 * parameter's default when the call passes nothing; `undefined` when `expr` is no parameter.
 */
export function passedForParameter(callee: { module: SourceModule; definition: Definition }, expr: Expr, call: CallExpr, caller: { module: SourceModule; scope: number }, skipsFirst: boolean): ValueSite | undefined {
  const { module, definition } = callee;
  if (expr.kind !== 'name' || module.symbols.lookup(expr.id, definition.bodyScope)?.kind !== 'parameter') return undefined;
  const passed = bindParameters(definition, call, caller, skipsFirst).named.get(expr.id);
  const fallback = definition.parameters.find((parameter) => parameter.name === expr.id)?.defaultValue;
  return passed ?? (fallback ? { module, scope: definition.scope, expr: fallback } : undefined);
}

/** Which caller argument each parameter of the helper receives; `*args` and `**kwargs` gather the rest. */
interface ParameterBindings {
  named: Map<string, ValueSite>;
  extraPositional: ValueSite[];
  extraKeywords: SitedArgument[];
  varargs?: string;
  kwargs?: string;
}

function bindParameters(helper: Definition, call: CallExpr, caller: { module: SourceModule; scope: number }, skipsFirst: boolean): ParameterBindings {
  const parameters = helper.parameters.slice(skipsFirst ? 1 : 0);
  const plain = parameters.filter((parameter) => !parameter.unpack);
  const varargs = parameters.find((parameter) => parameter.unpack === '*')?.name;
  const kwargs = parameters.find((parameter) => parameter.unpack === '**')?.name;
  const bindings: ParameterBindings = { named: new Map(), extraPositional: [], extraKeywords: [], ...(varargs ? { varargs } : {}), ...(kwargs ? { kwargs } : {}) };
  let position = 0;
  for (const argument of call.args) {
    if (argument.unpack) continue;
    const value = { ...caller, expr: argument.value };
    if (argument.name === undefined) {
      const parameter = plain[position++];
      if (parameter) bindings.named.set(parameter.name, value);
      else bindings.extraPositional.push(value);
    } else if (plain.some((parameter) => parameter.name === argument.name)) bindings.named.set(argument.name, value);
    else bindings.extraKeywords.push({ name: argument.name, value });
  }
  return bindings;
}

function substitute(project: Project, site: HelperCall, bindings: ParameterBindings, line: number): ForwardedCall[] {
  const { module, call, scope } = site;
  if (call.callee.kind !== 'attribute') return [];
  const receiver = parameterValue(module, call.callee.object, scope, bindings) ?? (isParameter(module, call.callee.object, scope) ? undefined : { module, scope, expr: call.callee.object });
  if (!receiver) return [];
  const loops: Array<{ position: number; items: ValueSite[] }> = [];
  const args: SitedArgument[] = [];
  for (const argument of call.args) {
    if (argument.unpack === '*' && isName(argument.value, bindings.varargs)) args.push(...bindings.extraPositional.map((value) => ({ value })));
    else if (argument.unpack === '**' && isName(argument.value, bindings.kwargs)) args.push(...bindings.extraKeywords);
    else if (!argument.unpack) {
      const forwarded = parameterValue(module, argument.value, scope, bindings);
      const items = forwarded ? undefined : loopItems(project, module, argument.value, scope, bindings);
      if (items) loops.push({ position: args.length, items });
      args.push({ ...(argument.name !== undefined ? { name: argument.name } : {}), value: forwarded ?? { module, scope, expr: argument.value } });
    }
  }
  const method = call.callee.attribute;
  const [loop] = loops;
  if (!loop) return [{ method, receiver, args, line }];
  return loop.items.map((item) => ({ method, receiver, line, args: args.map((argument, position) => (position === loop.position ? { ...argument, value: item } : argument)) }));
}

function isName(expr: Expr, name: string | undefined): boolean {
  return name !== undefined && expr.kind === 'name' && expr.id === name;
}

function isParameter(module: SourceModule, expr: Expr, scope: number): boolean {
  return expr.kind === 'name' && module.symbols.lookup(expr.id, scope)?.kind === 'parameter';
}

/** What the caller passes for a name that is one of the helper's parameters. */
function parameterValue(module: SourceModule, expr: Expr, scope: number, bindings: ParameterBindings): ValueSite | undefined {
  if (expr.kind !== 'name' || module.symbols.lookup(expr.id, scope)?.kind !== 'parameter') return undefined;
  return bindings.named.get(expr.id);
}

/** `route` of `for route in routes:`, `routes` a parameter: each item of the list the caller passes. */
function loopItems(project: Project, module: SourceModule, expr: Expr, scope: number, bindings: ParameterBindings): ValueSite[] | undefined {
  if (expr.kind !== 'name') return undefined;
  const [loop, ...others] = project.assignmentsOf(module, expr, scope).filter(({ assignment }) => assignment.operator === 'in');
  if (!loop || others.length > 0 || !loop.assignment.value) return undefined;
  const iterated = parameterValue(loop.module, loop.assignment.value, loop.assignment.scope, bindings);
  if (!iterated) return undefined;
  const list = dereference(project, iterated);
  if (list.expr.kind !== 'list' && list.expr.kind !== 'tuple' && list.expr.kind !== 'set') return undefined;
  return list.expr.items.map((item) => ({ ...list, expr: item }));
}

/**
 * The helpers of the project, by canonical name, with the calls of `methods` they make on a
 * parameter; the last part of each name is also a key (`.register_view`), so that most calls are
 * passed over before their callee is resolved.
 */
function helperIndex(project: Project, methods: readonly string[]): HelperIndex {
  const key = methods.join(',');
  let byMethods = indexes.get(project);
  if (!byMethods) indexes.set(project, (byMethods = new Map()));
  const known = byMethods.get(key);
  if (known) return known;
  const index: HelperIndex = new Map();
  for (const module of project.modules) {
    for (const { call, scope } of module.facts.calls) {
      if (call.callee.kind !== 'attribute' || !methods.includes(call.callee.attribute) || call.callee.object.kind !== 'name') continue;
      const binding = module.symbols.lookup(call.callee.object.id, scope);
      // `bp.add_url_rule(url, view_func=resource)` on a blueprint of the module, with what the helper is given.
      const passedOn = binding?.kind !== 'parameter' && call.args.some(({ value }) => value.kind === 'name' && module.symbols.lookup(value.id, scope)?.kind === 'parameter');
      const owner = binding?.kind === 'parameter' ? binding.scope : passedOn ? scope : undefined;
      const helper = owner === undefined ? undefined : module.symbols.definitionOfScope(owner);
      if (helper?.kind !== 'function') continue;
      const name = module.symbols.definitionName(helper);
      index.set(name, [...(index.get(name) ?? []), { module, helper, call, scope }]);
      index.set(`.${helper.name}`, []);
    }
  }
  byMethods.set(key, index);
  return index;
}
