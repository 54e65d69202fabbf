import type { Definition, Expr } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { enclosingClass } from '../../project/enclosing.js';
import { headerTokenRead } from '../../project/view-bodies.js';

interface FunctionSite {
  module: SourceModule;
  definition: Definition;
}

/** What a decorator's wrappers run the view inside: the function that swaps the session, and the header naming the one it swaps in. */
export interface SessionSwap {
  swappedBy: string;
  header: string;
}

/**
 * A decorator whose every wrapper (a nested function that calls the view it was given) hands the
 * request first to a function of the project that replaces `request.session` with a session of its
 * own making (`request.session = new_session()`), and looks one up by a header a method it calls
 * reads (`request.headers.get("x-session-token")`): django-allauth's headless app views run inside
 * such a context. The cookie's session never reaches the view, and a cross-site request cannot
 * send the header.
 */
export function sessionSwapOfDecorator(project: Project, module: SourceModule, decorator: Definition): SessionSwap | undefined {
  const scopes = module.symbols.scopesWithin(decorator.bodyScope);
  const wrappers = module.facts.definitions.filter((definition) => definition.kind === 'function' && scopes.has(definition.scope) && callsReceivedView(module, definition));
  if (wrappers.length === 0) return undefined;
  let found: SessionSwap | undefined;
  for (const wrapper of wrappers) {
    const swap = wrapperSessionSwap(project, module, wrapper);
    if (!swap) return undefined;
    found ??= swap;
  }
  return found;
}

/** A nested function that calls a parameter of the function it is made in (`view_func(request, ...)`). */
function callsReceivedView(module: SourceModule, wrapper: Definition): boolean {
  const maker = module.symbols.definitionOfScope(wrapper.scope);
  if (maker?.kind !== 'function') return false;
  const received = new Set(maker.parameters.map((parameter) => parameter.name));
  return module.symbols.itemsWithin(module.facts.calls, wrapper.bodyScope).some(({ call }) => call.callee.kind === 'name' && received.has(call.callee.id));
}

function wrapperSessionSwap(project: Project, module: SourceModule, wrapper: Definition): SessionSwap | undefined {
  const requestName = wrapper.parameters[0]?.name;
  if (requestName === undefined) return undefined;
  for (const { call, scope } of module.symbols.itemsWithin(module.facts.calls, wrapper.bodyScope)) {
    const position = call.args.findIndex((argument) => argument.name === undefined && argument.value.kind === 'name' && argument.value.id === requestName);
    if (position < 0) continue;
    const callee = project.resolve(module, call.callee, scope);
    const site = callee === undefined ? undefined : project.findDefinition(callee);
    const parameter = site?.definition.kind === 'function' ? site.definition.parameters[position]?.name : undefined;
    if (!site || parameter === undefined || !replacesSession(site, parameter)) continue;
    const header = headerOfCalledMethods(project, site, parameter);
    if (header !== undefined) return { swappedBy: site.definition.name, header };
  }
  return undefined;
}

/** `request.session = new_session()`: a session of the function's making, not one the cookie names. */
function replacesSession({ module, definition }: FunctionSite, requestName: string): boolean {
  return module.symbols.itemsWithin(module.facts.assignments, definition.bodyScope).some(({ target, value, operator }) => {
    if (operator !== '=' || target.kind !== 'attribute' || target.attribute !== 'session' || target.object.kind !== 'name' || target.object.id !== requestName) return false;
    return value?.kind === 'call' && !readsCookies(value);
  });
}

function readsCookies(value: Expr): boolean {
  return [...walkExpr(value)].some((part) => part.kind === 'attribute' && part.attribute === 'COOKIES');
}

/**
 * The header a method the function hands the request to reads (`strategy.get_session_token(request)`,
 * whichever class of the project defines it: the strategy is picked by a setting).
 */
function headerOfCalledMethods(project: Project, { module, definition }: FunctionSite, requestName: string): string | undefined {
  for (const { call } of module.symbols.itemsWithin(module.facts.calls, definition.bodyScope)) {
    if (call.callee.kind !== 'attribute') continue;
    const position = call.args.findIndex((argument) => argument.name === undefined && argument.value.kind === 'name' && argument.value.id === requestName);
    if (position < 0) continue;
    for (const method of methodsNamed(project, call.callee.attribute)) {
      const parameter = method.definition.parameters[position + 1]?.name;
      const header = parameter === undefined ? undefined : headerTokenRead(method.module, method.definition, parameter);
      if (header !== undefined) return header;
    }
  }
  return undefined;
}

function methodsNamed(project: Project, name: string): FunctionSite[] {
  return project.modules.flatMap((module) => module.facts.definitions.filter((definition) => definition.kind === 'function' && definition.name === name && enclosingClass(module, definition) !== undefined).map((definition) => ({ module, definition })));
}
