/**
 * A class-based view's `dispatch` override that only prepares the request (copies `request.GET`,
 * reads a header, logs) and hands it on to the inherited `dispatch`, which picks the handler by
 * method. Whatever such an override does, a GET makes it do the same, and CSRF never checks a GET:
 * on a class that handles no unsafe method, exempting it changes nothing (archesproject/arches'
 * `APIBase`, under a dozen GET-only API views).
 */
import type { CallExpr, Definition, Expr } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';

/** What a request holds only for the methods that carry a body: reading them treats a POST its own way. */
const METHOD_DEPENDENT_ATTRIBUTES = new Set(['method', 'POST', 'FILES', 'body', 'read', 'readline', 'readlines', 'data', 'stream']);

/**
 * Whether every `dispatch` the class and its scanned bases define passes each request on to the
 * inherited one without looking at its method or body, nor handing it (or `self`) to other code.
 * A class that defines no `dispatch` of its own passes trivially.
 */
export function dispatchesIgnoringMethod(project: Project, className: string): boolean {
  return !project.inheritsFrom(className, (name) => {
    const site = project.findDefinition(`${name}.dispatch`);
    return site?.definition.kind === 'function' && !passesRequestOnBlindly(site.module, site.definition);
  });
}

function passesRequestOnBlindly(module: SourceModule, dispatch: Definition): boolean {
  const requestName = dispatch.parameters.filter((parameter) => parameter.unpack === undefined)[1]?.name;
  const requestNames = requestName === undefined ? ['self.request'] : [requestName, 'self.request'];
  const calls = module.symbols.itemsWithin(module.facts.calls, dispatch.bodyScope).map(({ call }) => call);
  return calls.some(isInheritedDispatchCall) && !readsMethodDependentPart(module, dispatch, requestNames) && calls.every((call) => isInheritedDispatchCall(call) || !handsOn(call, requestNames));
}

/** `super().dispatch(...)`, `super(View, self).dispatch(...)` or `Base.dispatch(self, ...)`. */
function isInheritedDispatchCall(call: CallExpr): boolean {
  const { callee } = call;
  if (callee.kind !== 'attribute' || callee.attribute !== 'dispatch') return false;
  const { object } = callee;
  if (object.kind === 'call') return object.callee.kind === 'name' && object.callee.id === 'super';
  return object.kind === 'name' && object.id !== 'self';
}

function readsMethodDependentPart(module: SourceModule, dispatch: Definition, requestNames: readonly string[]): boolean {
  const scopes = module.symbols.scopesWithin(dispatch.bodyScope);
  const reads = module.facts.scopes.filter((scope) => scopes.has(scope.id)).flatMap((scope) => scope.reads);
  return reads.some((read) => requestNames.some((name) => read.startsWith(`${name}.`) && METHOD_DEPENDENT_ATTRIBUTES.has(read.slice(name.length + 1))));
}

/**
 * A call given the request or `self` (whose `request` the callee may read), alone or in a literal
 * container, or made on `self` (a method reading `self.request`); `super(View, self)` only names the class.
 */
function handsOn(call: CallExpr, requestNames: readonly string[]): boolean {
  const { callee } = call;
  if (callee.kind === 'name' && callee.id === 'super') return false;
  if (callee.kind === 'attribute' && callee.object.kind === 'name' && callee.object.id === 'self') return true;
  return call.args.some(({ value }) => [value, ...containerItems(value)].some((item) => holdsRequest(item, requestNames)));
}

function containerItems(value: Expr): Expr[] {
  const items = value.kind === 'dict' ? value.entries.map((entry) => entry.value) : value.kind === 'list' || value.kind === 'tuple' || value.kind === 'set' ? value.items : [];
  return items.flatMap((item) => [item, ...containerItems(item)]);
}

function holdsRequest(value: Expr, requestNames: readonly string[]): boolean {
  if (value.kind === 'name') return value.id === 'self' || requestNames.includes(value.id);
  return value.kind === 'attribute' && value.object.kind === 'name' && requestNames.includes(`${value.object.id}.${value.attribute}`);
}

/**
 * Whether the `dispatch` the class runs (its own or a scanned base's) answers the request itself:
 * it neither hands it to the inherited `dispatch` nor looks at its method. Django then never picks
 * a handler by method, so the view runs for every method (shuup's `ProcessPaymentView`).
 */
export function answersEveryMethod(project: Project, className: string): boolean {
  const site = project.findMethod(className, 'dispatch');
  if (site?.definition.kind !== 'function') return false;
  const { module, definition } = site;
  const calls = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).map(({ call }) => call);
  return !calls.some(isInheritedDispatchCall) && !readsRequestMethod(module, definition);
}

function readsRequestMethod(module: SourceModule, dispatch: Definition): boolean {
  const requestName = dispatch.parameters.filter((parameter) => parameter.unpack === undefined)[1]?.name;
  const methodReads = new Set(['self.request.method', ...(requestName === undefined ? [] : [`${requestName}.method`])]);
  const scopes = module.symbols.scopesWithin(dispatch.bodyScope);
  return module.facts.scopes.some((scope) => scopes.has(scope.id) && scope.reads.some((read) => methodReads.has(read)));
}
