import type { Argument, Assignment, CallExpr, Definition, Expr } from '../python/facts.js';
import { itemPart, type Project } from './project.js';
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
  const args: SitedArgument[] = [];
  for (const argument of call.args) {
    if (argument.unpack === '*' && isName(argument.value, bindings.varargs)) args.push(...bindings.extraPositional.map((value) => ({ value })));
    else if (argument.unpack === '**' && isName(argument.value, bindings.kwargs)) args.push(...bindings.extraKeywords);
    else if (!argument.unpack) {
      const forwarded = parameterValue(module, argument.value, scope, bindings);
      args.push({ ...(argument.name !== undefined ? { name: argument.name } : {}), value: forwarded ?? { module, scope, expr: argument.value } });
    }
  }
  const method = call.callee.attribute;
  const perItem = perItemArguments(project, module, scope, args, (loop) => passedItems(project, module, loop, bindings));
  if (!perItem) return [{ method, receiver, args, line }];
  return perItem.map((itemArgs) => ({ method, receiver, line, args: itemArgs }));
}

function isName(expr: Expr, name: string | undefined): boolean {
  return name !== undefined && expr.kind === 'name' && expr.id === name;
}

function isParameter(module: SourceModule, expr: Expr, scope: number): boolean {
  return isOwnParameter(module, expr, scope);
}

/** A parameter of the function whose body is \`scope\`, not one of a function around it. */
function isOwnParameter(module: SourceModule, expr: Expr, scope: number): boolean {
  if (expr.kind !== 'name') return false;
  const binding = module.symbols.lookup(expr.id, scope);
  return binding?.kind === 'parameter' && binding.scope === scope;
}

/** What the caller passes for a name that is one of the helper's parameters, or for the view class of \`view_func = view.as_view(endpoint)\`. */
function parameterValue(module: SourceModule, expr: Expr, scope: number, bindings: ParameterBindings): ValueSite | undefined {
  const viewClass = asViewOfParameter(module, expr, scope);
  if (viewClass !== undefined) return bindings.named.get(viewClass);
  if (expr.kind !== 'name' || module.symbols.lookup(expr.id, scope)?.kind !== 'parameter') return undefined;
  return bindings.named.get(expr.id);
}

/**
 * \`view_func\` bound once, in the helper, to \`view.as_view(endpoint)\` where \`view\` is a parameter
 * (scrapydweb's \`register_view(view, endpoint, ...)\`): the parameter's name, since routing the
 * class's \`as_view\` routes the class the caller passes.
 */
function asViewOfParameter(module: SourceModule, expr: Expr, scope: number): string | undefined {
  if (expr.kind !== 'name') return undefined;
  const binding = module.symbols.lookup(expr.id, scope);
  const assignment = binding?.kind === 'assignment' && binding.assignmentIndex !== undefined ? module.facts.assignments[binding.assignmentIndex] : undefined;
  const value = assignment?.operator === '=' ? assignment.value : null;
  if (!value || !isAsViewCall(value) || value.callee.object.kind !== 'name') return undefined;
  return module.symbols.lookup(value.callee.object.id, scope)?.kind === 'parameter' ? value.callee.object.id : undefined;
}

/** `route` of `for route in routes:`, `routes` a parameter: each item of the list the caller passes. */
function passedItems(project: Project, module: SourceModule, loop: Assignment, bindings: ParameterBindings): ValueSite[] | undefined {
  const iterated = loop.value && parameterValue(module, loop.value, loop.scope, bindings);
  if (!iterated) return undefined;
  const list = dereference(project, iterated);
  if (list.expr.kind !== 'list' && list.expr.kind !== 'tuple' && list.expr.kind !== 'set') return undefined;
  return list.expr.items.map((item) => ({ ...list, expr: item }));
}

/** The loop an argument takes its value from, and which part of each item (`view` of `for path, view in ROUTES:`). */
interface LoopPart {
  loop: Assignment;
  unpackIndex: number | undefined;
}

/**
 * `path` of `for path, view in ROUTES:`; also `view_func` bound in the loop's body to
 * `view.as_view(...)` (what it may be wrapped in later does not change the view it routes).
 */
function loopPartOf(project: Project, module: SourceModule, expr: Expr, scope: number, depth = 0): LoopPart | undefined {
  if (depth > MAX_LOOP_PART_DEPTH) return undefined;
  if (isAsViewCall(expr)) return loopPartOf(project, module, expr.callee.object, scope, depth + 1);
  if (expr.kind !== 'name') return undefined;
  const assignments = project.assignmentsOf(module, expr, scope);
  const loops = assignments.filter(({ assignment }) => assignment.operator === 'in');
  if (loops.length === 1) return { loop: loops[0]!.assignment, unpackIndex: loops[0]!.assignment.unpackIndex };
  if (loops.length > 0) return undefined;
  const asView = assignments.find(({ assignment }) => assignment.value !== null && isAsViewCall(assignment.value));
  return asView && loopPartOf(project, asView.module, asView.assignment.value!, asView.assignment.scope, depth + 1);
}

const MAX_LOOP_PART_DEPTH = 4;

/** The targets of one `for a, b in ...` are recorded apart, each with the statement's range. */
function isSameLoop(first: Assignment, second: Assignment): boolean {
  return first.scope === second.scope && first.range.line === second.range.line && first.range.column === second.range.column;
}

function isAsViewCall(expr: Expr): expr is CallExpr & { callee: { kind: 'attribute'; object: Expr } } {
  return expr.kind === 'call' && expr.callee.kind === 'attribute' && expr.callee.attribute === 'as_view';
}

/**
 * A registering call made in a loop (`for path, view in ROUTES: bp.add_url_rule(path, view_func=view)`):
 * its arguments once per item of the loop, each argument the loop binds replaced by its part of
 * the item. `undefined` when no argument comes from a loop whose items are known.
 */
export function perItemArguments(project: Project, module: SourceModule, scope: number, args: SitedArgument[], itemsOf: (loop: Assignment) => ValueSite[] | undefined): SitedArgument[][] | undefined {
  const parts = args.map((argument) => (argument.value.module === module && argument.value.scope === scope ? loopPartOf(project, module, argument.value.expr, scope) : undefined));
  const loop = parts.find((part) => part !== undefined)?.loop;
  const items = loop && itemsOf(loop);
  if (!loop || !items || items.length === 0) return undefined;
  return items.flatMap((item) => {
    const replaced = args.map((argument, position) => {
      const part = parts[position];
      if (!part || !isSameLoop(part.loop, loop)) return argument;
      const [value] = part.unpackIndex === undefined ? [item] : itemPart(dereference(project, item), part.unpackIndex);
      return value && { ...argument, value };
    });
    return replaced.every((argument) => argument !== undefined) ? [replaced as SitedArgument[]] : [];
  });
}

/**
 * The helpers of the project, by canonical name, with the calls of `methods` they make on a
 * parameter; the last part of each name is also a key (`.register_view`), so that most calls are
 * passed over before their callee is resolved.
 */
function helperIndex(project: Project, methods: readonly string[]): HelperIndex {
  const key = methods.join(',');
  project.noteEveryModuleRead();
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
      const passedOn = call.args.some(({ value }) => isOwnParameter(module, value, scope) || asViewOfParameter(module, value, scope) !== undefined);
      // A helper nested in the one given the app (`register_view(view, ...)` inside `handle_route(app)`) is the helper its callers call.
      const ownReceiver = binding?.kind === 'parameter' && (binding.scope === scope || !passedOn);
      const owner = ownReceiver ? binding.scope : passedOn ? scope : undefined;
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
