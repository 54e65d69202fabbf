import type { Argument, CallExpr, Expr } from '../../python/facts.js';
import { checksCsrf } from '../../project/csrf-checks.js';
import type { ApplicationKind } from '../../project/applications.js';
import type { DefinitionSite, Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { dereference, stringValue, truthiness } from '../../project/values.js';

export const PYRAMID = {
  configurator: 'pyramid.config.Configurator',
  viewDecorators: new Set(['pyramid.view.view_config', 'pyramid.view.view_defaults']),
} as const;

/** A call of the scanned code with where it sits. */
export interface CallSiteIn {
  module: SourceModule;
  scope: number;
  call: CallExpr;
}

export function keywordArgument(call: CallExpr, name: string): Argument | undefined {
  return call.args.find((argument) => argument.name === name);
}

/** Calls of a method by name (`config.set_default_csrf_options(...)`), by project root. */
export function methodCalls(project: Project, method: string): CallSiteIn[] {
  return project.modules.flatMap((module) =>
    module.facts.calls.filter(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === method).map(({ call, scope }) => ({ module, scope, call })),
  );
}

/**
 * How `set_default_csrf_options(...)` sets the default check: `on` (its own default is
 * `require_csrf=True`), `off` (`require_csrf=False`, or neither a token nor a header to read).
 */
export function defaultCsrfSetting(project: Project, { module, scope, call }: CallSiteIn): 'on' | 'off' | 'unknown' {
  const required = keywordArgument(call, 'require_csrf') ?? call.args.find((argument) => argument.name === undefined && !argument.unpack);
  if (required) {
    const value = truthiness(project, { module, scope, expr: required.value });
    if (value !== 'truthy') return value === 'falsy' ? 'off' : 'unknown';
  }
  const token = keywordArgument(call, 'token');
  const header = keywordArgument(call, 'header');
  const isNone = (argument: Argument | undefined) => argument !== undefined && argument.value.kind === 'constant' && argument.value.value === null;
  return isNone(token) && isNone(header) ? 'off' : 'on';
}

/** The methods Pyramid's CSRF check lets through unchecked (`safe_methods` of `set_default_csrf_options`). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** `request_method="GET"` or `request_method=("GET", "HEAD")`: Pyramid's CSRF check skips these methods anyway. */
export function answersOnlySafeMethods(project: Project, module: SourceModule, scope: number, args: Argument[]): boolean {
  const argument = args.find((candidate) => candidate.name === 'request_method');
  if (!argument) return false;
  const value = dereference(project, { module, scope, expr: argument.value });
  const items = value.expr.kind === 'list' || value.expr.kind === 'tuple' || value.expr.kind === 'set' ? value.expr.items : [value.expr];
  const methods = items.map((item) => stringValue(project, { ...value, expr: item })?.toUpperCase());
  return methods.length > 0 && methods.every((method) => method !== undefined && SAFE_METHODS.has(method));
}

/**
 * A view whose `context` is an exception class and that no `route_name` ties to a URL: Pyramid calls
 * it only as an exception view, and its CSRF check skips exception views unless `require_csrf` is
 * given, so `require_csrf=False` there turns nothing off.
 */
export function isExceptionView(project: Project, module: SourceModule, scope: number, args: Argument[]): boolean {
  if (args.some((argument) => argument.name === 'route_name')) return false;
  const context = args.find((argument) => argument.name === 'context');
  const className = context && contextClassName(project, module, scope, context.value);
  return className !== undefined && project.inheritsFrom(className, isExceptionClassName);
}

/** `context=HTTPNotFound`, or the dotted name Pyramid resolves: `context="pyramid.exceptions.NotFound"`. */
function contextClassName(project: Project, module: SourceModule, scope: number, expr: Expr): string | undefined {
  const dotted = stringValue(project, { module, scope, expr });
  if (dotted === undefined) return project.resolve(module, expr, scope);
  return dotted.startsWith('.') ? undefined : project.canonical(dotted.replace(':', '.'), module);
}

const PYRAMID_EXCEPTION_MODULES = ['pyramid.httpexceptions.', 'pyramid.exceptions.'];

/** Exceptions of libraries outside the scan whose names do not say so. */
const KNOWN_EXCEPTIONS = new Set(['colander.Invalid']);

function isExceptionClassName(name: string): boolean {
  if (PYRAMID_EXCEPTION_MODULES.some((prefix) => name.startsWith(prefix)) || KNOWN_EXCEPTIONS.has(name)) return true;
  const last = name.slice(name.lastIndexOf('.') + 1);
  return last.endsWith('Exception') || last.endsWith('Error');
}

/** What `config.include(...)` brings in: functions of the scanned code, a package from outside it, or something that cannot be read. */
type IncludeTarget = { kind: 'scanned'; functions: DefinitionSite[] } | { kind: 'external'; name: string } | { kind: 'unknown' };

/**
 * What a `config.include(...)` call includes: `"pkg.views"` (its `includeme`), `".views"` (relative
 * to the caller's package), `"pkg.views:setup"`, `__name__`, a module or a function. `undefined`
 * for a call that is no include.
 */
export function includeTarget(project: Project, module: SourceModule, call: CallExpr, scope: number): IncludeTarget | undefined {
  if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'include') return undefined;
  const argument = keywordArgument(call, 'callable') ?? call.args.find((candidate) => candidate.name === undefined && !candidate.unpack);
  const spelled = argument && includedName(project, module, argument.value, scope);
  if (spelled === undefined) return { kind: 'unknown' };
  const [moduleName = '', functionName] = spelled.split(':');
  const included = project.moduleNamed(moduleName, module);
  if (included) {
    const site = project.findDefinition(`${included.key}.${functionName ?? 'includeme'}`);
    return { kind: 'scanned', functions: site?.definition.kind === 'function' ? [site] : [] };
  }
  const site = project.findDefinition(project.canonical(spelled, module));
  if (site?.definition.kind === 'function') return { kind: 'scanned', functions: [site] };
  return project.isScannedName(moduleName) ? { kind: 'unknown' } : { kind: 'external', name: moduleName };
}

function includedName(project: Project, module: SourceModule, expr: Expr, scope: number): string | undefined {
  if (expr.kind === 'name' && expr.id === '__name__') return module.name;
  const text = stringValue(project, { module, scope, expr });
  if (text === undefined) return project.resolve(module, expr, scope);
  const level = /^\.*/.exec(text)![0].length;
  return level === 0 ? text : module.symbols.absoluteModule(text.slice(level), level);
}

/** Configurators, followed like applications: through factories, helpers and `config.include(...)`. */
export const PYRAMID_CONFIGURATORS: ApplicationKind = {
  appClasses: new Set([PYRAMID.configurator]),
  protectorClasses: new Set(),
  formClasses: new Set(),
  includedFunctions(project, module, call, scope) {
    const target = includeTarget(project, module, call, scope);
    return target?.kind === 'scanned' ? target.functions : [];
  },
};

/** The events Pyramid sends for every request before its view runs. */
const EVERY_REQUEST_EVENTS = new Set(['pyramid.events.NewRequest', 'pyramid.interfaces.INewRequest', 'pyramid.events.ContextFound', 'pyramid.interfaces.IContextFound']);

/**
 * A subscriber to every request that checks a CSRF token itself (`@subscriber(NewRequest)` found by
 * `config.scan()`, or `config.add_subscriber(check, NewRequest)`), or a tween that does
 * (`config.add_tween("pkg.tweens.csrf_tween_factory")`): Pyramid's twin of Flask's
 * `before_request` hook, judged by `checksCsrf`. A test's subscriber protects only a test's Configurator.
 */
export function csrfCheckingSubscriber(project: Project, configurator: SourceModule): DefinitionSite | undefined {
  const sameApp = (module: SourceModule) => module.projectRoot === configurator.projectRoot && (module.context !== 'test' || configurator.context === 'test');
  // `@subscriber` registers nothing by itself: only a `config.scan()` runs it.
  const scans = methodCalls(project, 'scan').some(({ module }) => sameApp(module));
  for (const module of project.modules) {
    if (!sameApp(module)) continue;
    for (const site of everyRequestSubscribers(project, module, scans)) {
      if (checksCsrf(project, site.module, site.definition)) return site;
    }
  }
  return undefined;
}

function everyRequestSubscribers(project: Project, module: SourceModule, decoratorsScanned: boolean): DefinitionSite[] {
  const isEveryRequestEvent = (expr: Expr | undefined, scope: number) => expr !== undefined && EVERY_REQUEST_EVENTS.has(project.resolve(module, expr, scope) ?? '');
  const decorated = module.facts.definitions.filter((definition) =>
    definition.kind === 'function' &&
    definition.decorators.some(({ expression }) => expression.kind === 'call' && project.resolve(module, expression.callee, definition.scope) === 'pyramid.events.subscriber' && expression.args.some((argument) => isEveryRequestEvent(argument.value, definition.scope))),
  );
  const added = module.facts.calls.flatMap(({ call, scope }) => {
    if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'add_subscriber') return [];
    const [subscriber, event] = call.args;
    if (!isEveryRequestEvent(event?.value, scope)) return [];
    const name = subscriber && project.resolve(module, subscriber.value, scope);
    const site = name === undefined ? undefined : project.findDefinition(name);
    return site?.definition.kind === 'function' ? [site] : [];
  });
  return [...(decoratorsScanned ? decorated : []).map((definition) => ({ module, definition })), ...added, ...tweenFactories(project, module)];
}

/**
 * `config.add_tween("pkg.tweens.csrf_tween_factory")`: a tween wraps every request, so a factory
 * whose tween checks a CSRF token is the project's own check, like a subscriber to every request.
 */
function tweenFactories(project: Project, module: SourceModule): DefinitionSite[] {
  return module.facts.calls.flatMap(({ call, scope }) => {
    if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'add_tween') return [];
    const [factory] = call.args;
    const name = factory && !factory.name ? includedName(project, module, factory.value, scope) : undefined;
    const site = name === undefined ? undefined : project.findDefinition(name);
    return site?.definition.kind === 'function' ? [site] : [];
  });
}
