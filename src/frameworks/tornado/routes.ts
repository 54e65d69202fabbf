import { describeExpr } from '../../python/describe.js';
import { type Argument, type CallExpr, type Expr, MODULE_SCOPE } from '../../python/facts.js';
import { checksCsrf } from '../../project/csrf-checks.js';
import { isVendoredModule } from '../../project/context.js';
import { type DefinitionSite, finalIdentifier, type Project } from '../../project/project.js';
import { ProjectWideMemo } from '../../project/project-wide-memo.js';
import type { SourceModule } from '../../project/source-module.js';
import { builtListItems, dereference, type MappingEntry, type ValueSite, type MappingWrite, mappingEntries, mappingWrites, type Truthiness, truthiness } from '../../project/values.js';
import { type HandlerList, UNSAFE_METHODS } from '../../project/views.js';
import { findHandlerMethod } from '../../project/handler-methods.js';

export const TORNADO = {
  application: 'tornado.web.Application',
  requestHandler: 'tornado.web.RequestHandler',
  fallbackHandler: 'tornado.web.FallbackHandler',
} as const;

/** Tornado's own handlers that answer no form: they add no state-changing endpoint. */
const READ_ONLY_HANDLERS = new Set(['tornado.web.StaticFileHandler', 'tornado.web.RedirectHandler', 'tornado.web.ErrorHandler', 'tornado.websocket.WebSocketHandler']);

/** One entry of an application's handler list: its URL pattern, as written, and its handler class. */
export interface HandlerRoute {
  pattern: ValueSite | undefined;
  /** The handler's canonical name, `undefined` when it cannot be resolved. */
  handler: string | undefined;
}

/**
 * The entries of `Application([(r"/", Handler), url(r"/x", Other)], ...)` (or of
 * `super().__init__(handlers, ...)`). A list that is not written in the code, a handler from outside
 * the scan, handlers that may come in a `**kwargs`, or handlers added in the same module with
 * `add_handlers` make the list incomplete.
 */
export function applicationRoutes(project: Project, module: SourceModule, call: CallExpr, scope: number): { routes: HandlerRoute[]; complete: boolean } {
  const argument = call.args.find((candidate) => candidate.name === 'handlers') ?? call.args.find((candidate) => candidate.name === undefined && !candidate.unpack);
  if (!argument) return { routes: [], complete: !addsHandlersLater(module) && !call.args.some((candidate) => candidate.unpack === '**') };
  const site = { module, scope, expr: argument.value };
  const list = dereference(project, site);
  if ((list.expr.kind !== 'list' && list.expr.kind !== 'tuple') || handedToOtherCalls(module, call, site)) return { routes: [], complete: false };
  // `handlers = []` then `handlers.extend(more_handlers())`: what is grown into the list counts too, a call's result as an item the scan cannot read.
  const routes = builtListItems(project, site, () => undefined).map((item) => handlerRoute(project, item));
  const complete = routes.every(({ handler }) => handler !== undefined && isReadable(project, handler)) && !addsHandlersLater(module);
  return { routes, complete };
}

/** \`add_routes(handlers)\` before the app is made: a list held in a name and given to another call may be grown there. */
function handedToOtherCalls(module: SourceModule, application: CallExpr, { scope, expr }: ValueSite): boolean {
  if (expr.kind !== 'name') return false;
  return module.facts.calls.some(({ call, scope: callScope }) => callScope === scope && call !== application && call.args.some((argument) => argument.value.kind === 'name' && argument.value.id === expr.id));
}

/** Which handlers of an application define a state-changing method. */
export function applicationHandlers(project: Project, module: SourceModule, call: CallExpr, scope: number): HandlerList & { unsafeClasses: string[] } {
  const { routes, complete } = applicationRoutes(project, module, call, scope);
  const unsafeClasses = routes.flatMap(({ handler }) => (handler !== undefined && definesUnsafeMethod(project, handler) && !forwardsToFallback(project, handler) ? [handler] : []));
  const unsafe = unsafeClasses.map((handler) => handler.slice(handler.lastIndexOf('.') + 1));
  return { unsafe, complete, unsafeClasses };
}

/** How deep `prepare()` is followed into the methods it calls. */
const MAX_PREPARE_DEPTH = 3;

/**
 * Whether a handler checks a CSRF token before every request itself, in a `prepare()` it defines or
 * inherits (`self.check_xsrf_cookie()`, or a token read from the request compared and refused),
 * or in a method that `prepare()` calls on `self` or on its parent (`super().prepare()`).
 */
export function checksTokenInPrepare(project: Project, handler: string): boolean {
  return checksTokenIn(project, handler, project.findMethod(handler, 'prepare'), 0);
}

/**
 * JupyterHub's mixins for the handlers of its services. \`HubAuthenticated\` asks the Hub about a
 * token the client sends in the \`Authorization\` header or the URL, never a cookie; \`HubOAuthenticated\`
 * also reads its OAuth cookie, but runs \`check_xsrf_cookie()\` itself before it trusts that cookie
 * on a state-changing request (JupyterHub 4.1 and later). A forged request is authenticated by neither.
 */
const JUPYTERHUB_GUARDED_MIXINS = new Set(['jupyterhub.services.auth.HubAuthenticated', 'jupyterhub.services.auth.HubOAuthenticated']);

/** Whether a handler is built on a library mixin that authenticates no forged request (JupyterHub's service mixins). */
export function guardedByLibraryMixin(project: Project, handler: string): boolean {
  return project.inheritsFrom(handler, (name) => JUPYTERHUB_GUARDED_MIXINS.has(name));
}

/**
 * Jupyter Server's handlers are built on its \`JupyterHandler\`, whose \`prepare()\` calls
 * \`check_xsrf_cookie()\` on every state-changing request whatever the application's \`xsrf_cookies\`
 * (Jupyter Server 2; JupyterHub's single-user server turns Tornado's own check off for that reason).
 */
export function builtOnJupyterServerHandler(project: Project, handler: string): boolean {
  return project.inheritsFrom(handler, (name) => name.startsWith('jupyter_server.') && name.endsWith('Handler'));
}

/** Whether a handler refuses forged requests itself: by a token check in \`prepare()\` (its own or Jupyter Server's), or by a library mixin it is built on. */
export function guardsItself(project: Project, handler: string): boolean {
  return checksTokenInPrepare(project, handler) || guardedByLibraryMixin(project, handler) || builtOnJupyterServerHandler(project, handler);
}

function checksTokenIn(project: Project, handler: string, method: DefinitionSite | undefined, depth: number): boolean {
  if (!method || depth > MAX_PREPARE_DEPTH) return false;
  if (checksCsrf(project, method.module, method.definition)) return true;
  return methodsCalledBy(project, handler, method).some((called) => checksTokenIn(project, handler, called, depth + 1));
}

/**
 * The methods a handler's method calls: `self.verify()` as the handler resolves it,
 * `super().prepare()` and `BaseHandler.prepare(self)` in the class's bases.
 */
function methodsCalledBy(project: Project, handler: string, { module, definition }: DefinitionSite): DefinitionSite[] {
  const owner = module.symbols.definitionOfScope(definition.scope);
  const bases = owner?.kind === 'class' ? owner.bases.filter((base) => base.name === undefined && !base.unpack).map((base) => project.resolve(module, base.value, owner.scope)) : [];
  return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).flatMap(({ call: { callee }, scope }) => {
    if (callee.kind !== 'attribute') return [];
    const { object, attribute } = callee;
    if (object.kind === 'name' && object.id === 'self') return found(project.findMethod(handler, attribute));
    const isSuper = object.kind === 'call' && object.callee.kind === 'name' && object.callee.id === 'super';
    const classes = isSuper ? bases : [project.resolve(module, object, scope)].filter((name) => bases.includes(name));
    return classes.flatMap((base) => (base === undefined ? [] : found(project.findMethod(base, attribute))));
  });
}

/** Methods that run a state-changing request: those and what they call on `self` are where a handler reads its user. */
const REQUEST_METHODS = ['prepare', 'post', 'put', 'patch', 'delete'];

/** Tornado's ways to read who the user is: its cookie-backed current user, and the cookies themselves. */
const USER_READS = new Set(['self.current_user', 'self.get_current_user', 'self.get_secure_cookie', 'self.get_signed_cookie', 'self.get_cookie', 'self.cookies', 'self.request.cookies']);
const REQUEST_HEADERS = 'self.request.headers';
/** Headers that say what a request is and where it comes from, never who sends it: a handler that reads only these reads no credential. */
const DESCRIPTIVE_HEADERS = new Set(['content-type', 'content-length', 'origin', 'referer', 'host', 'user-agent', 'accept', 'accept-language', 'accept-encoding', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip']);

/**
 * Whether a handler, or a subclass of it, can act for a browser's user: \`prepare()\` or a
 * state-changing method (or a method of \`self\` they call) is \`@authenticated\`, reads
 * \`self.current_user\`, a cookie, or a header. One that authenticates by an API key in its URL path
 * (\`_grant_access(keys, route)\`), or not at all (a media-center callback), carries no credential a
 * forged request could borrow, even where its base class defines a cookie \`get_current_user\`.
 */
export function readsBrowserUser(project: Project, handler: string): boolean {
  const starts = [...project.classFamily(new Set([handler]))].flatMap((name) =>
    REQUEST_METHODS.flatMap((method) => {
      const site = project.findMethod(name, method);
      return site && site.module.symbols.scopeQualifiedName(site.definition.scope) !== TORNADO.requestHandler ? [{ handler: name, site }] : [];
    }),
  );
  const seen = new Set<object>();
  const pending = starts.map((start) => ({ ...start, depth: 0 }));
  while (pending.length > 0) {
    const { handler: owner, site, depth } = pending.pop()!;
    if (seen.has(site.definition)) continue;
    seen.add(site.definition);
    if (readsUser(project, site)) return true;
    if (depth < MAX_PREPARE_DEPTH) pending.push(...methodsCalledBy(project, owner, site).map((called) => ({ handler: owner, site: called, depth: depth + 1 })));
  }
  return false;
}

/**
 * \`@authenticated\`, or a decorator of the project whose wrapper reads the user (\`@check_auth\`
 * testing \`self.current_user\`); a read of the user or a cookie; a header other than a descriptive
 * one (\`Content-Type\`, \`Origin\`).
 */
function readsUser(project: Project, site: DefinitionSite): boolean {
  const { module, definition } = site;
  const decorated = definition.decorators.some(({ expression }) => {
    const name = project.resolve(module, expression.kind === 'call' ? expression.callee : expression, definition.scope);
    if (name === TORNADO_AUTHENTICATED) return true;
    const decorator = name === undefined || name.startsWith('tornado.') ? undefined : project.findDefinition(name);
    return decorator?.definition.kind === 'function' && !isVendoredModule(decorator.module) && readsUserInBody(decorator);
  });
  return decorated || readsUserInBody(site);
}

function readsUserInBody({ module, definition }: DefinitionSite): boolean {
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  const reads = module.facts.scopes.filter((scope) => scopes.has(scope.id)).flatMap((scope) => scope.reads);
  if (reads.some((read) => USER_READS.has(read))) return true;
  const calls = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).map(({ call }) => call);
  return reads.includes(REQUEST_HEADERS) && !readsOnlyDescriptiveHeaders(calls);
}
/**
 * Every \`self.request.headers.get(...)\` names a descriptive header, and there is one: the JSON-RPC
 * handler that checks \`Content-Type\` and \`Origin\`. A header read by subscript is not seen.
 */
function readsOnlyDescriptiveHeaders(calls: readonly CallExpr[]): boolean {
  const keys = calls.flatMap(({ callee, args }) => {
    if (callee.kind !== 'attribute' || callee.attribute !== 'get' || describeExpr(callee.object) !== REQUEST_HEADERS) return [];
    const [key] = args;
    return [key?.value.kind === 'string' ? key.value.value.toLowerCase() : undefined];
  });
  return keys.length > 0 && keys.every((key) => key !== undefined && DESCRIPTIVE_HEADERS.has(key));
}

const TORNADO_AUTHENTICATED = 'tornado.web.authenticated';

function found(site: DefinitionSite | undefined): DefinitionSite[] {
  return site ? [site] : [];
}

/**
 * The scanned handler classes of a project root that accept a state-changing method: when an app's
 * handler list cannot be read, these are the ones it may route to. A library vendored in the
 * project keeps its own handlers (sockjs's transports, authenticated by a session id in the URL),
 * and a handler that forwards to a fallback app leaves the check to that app.
 */
export function unsafeHandlersOfProject(project: Project, projectRoot: string): string[] {
  project.noteEveryModuleRead();
  let byRoot = unsafeHandlersByRoot.get(project);
  if (!byRoot) {
    byRoot = groupUnsafeHandlersByRoot(project);
    unsafeHandlersByRoot.set(project, byRoot);
  }
  return byRoot.get(projectRoot) ?? [];
}

// Asked for every app whose handler list cannot be read: the class family walks the whole project, so it is walked once.
const unsafeHandlersByRoot = new WeakMap<Project, Map<string, string[]>>();

function groupUnsafeHandlersByRoot(project: Project): Map<string, string[]> {
  const byRoot = new Map<string, string[]>();
  for (const name of project.classFamily(new Set([TORNADO.requestHandler]))) {
    const site = project.findDefinition(name);
    if (site === undefined || site.module.context === 'test' || isVendoredModule(site.module)) continue;
    if (!definesUnsafeMethod(project, name) || forwardsToFallback(project, name)) continue;
    const handlers = byRoot.get(site.module.projectRoot) ?? [];
    handlers.push(name);
    byRoot.set(site.module.projectRoot, handlers);
  }
  return byRoot;
}

/** The project routes requests to another app through a handler of its own that forwards to a fallback. */
export function forwardsToFallbackApp(project: Project, projectRoot: string): boolean {
  const family = project.classFamily(new Set([TORNADO.requestHandler]));
  return [...family].some((name) => {
    const site = project.findDefinition(name);
    return site !== undefined && site.module.projectRoot === projectRoot && site.module.context !== 'test' && forwardsToFallback(project, name);
  });
}

/**
 * Tornado's `FallbackHandler`, or a handler built like it (its `initialize` takes a `fallback`):
 * it hands each request to another app, typically a `WSGIContainer` around a Flask or Django app,
 * which checks CSRF itself or is reported by its own framework's rule.
 */
export function forwardsToFallback(project: Project, handler: string): boolean {
  if (project.isSubclassOf(handler, new Set([TORNADO.fallbackHandler]))) return true;
  const initialize = project.findMethod(handler, 'initialize');
  return initialize !== undefined && initialize.definition.parameters.some((parameter) => parameter.name === 'fallback');
}

/**
 * The patterns a project's route tables give each handler: module-level lists of
 * \`(r"/api/x", Handler)\` pairs (Jupyter Server's \`default_handlers\` in each service module) that an
 * app gathers by a way the scan cannot follow (\`__import__(name).default_handlers\`). Only an app
 * whose own list cannot be read asks: it may route to every handler of its project, and a table is
 * where the project writes the pattern of each. Tables in tests and vendored libraries are not read.
 */
export function routeTablePatterns(project: Project, projectRoot: string): Map<string, ValueSite[]> {
  return routeTablesByRoot.get(project, projectRoot);
}

// Asked once per app whose list cannot be read: every module's top level is read once per root.
const routeTablesByRoot = new ProjectWideMemo(readRouteTables);

function readRouteTables(project: Project, projectRoot: string): Map<string, ValueSite[]> {
  const family = project.classFamily(new Set([TORNADO.requestHandler]));
  const patterns = new Map<string, ValueSite[]>();
  for (const module of project.modules) {
    if (module.projectRoot !== projectRoot || module.context === 'test' || isVendoredModule(module)) continue;
    for (const { scope, target, value } of module.facts.assignments) {
      if (scope !== MODULE_SCOPE || target.kind !== 'name' || (value?.kind !== 'list' && value?.kind !== 'tuple')) continue;
      for (const item of value.items) {
        if (!looksLikeHandlerPair(item)) continue;
        const { pattern, handler } = handlerRoute(project, { module, scope, expr: item });
        if (!pattern || handler === undefined || !family.has(handler)) continue;
        patterns.set(handler, [...(patterns.get(handler) ?? []), pattern]);
      }
    }
  }
  return patterns;
}

/** \`(pattern, Handler, ...)\` with a name or dotted name second: what is worth resolving. */
function looksLikeHandlerPair(item: Expr): boolean {
  if (item.kind !== 'tuple' && item.kind !== 'list' && item.kind !== 'call') return false;
  const parts = item.kind === 'call' ? item.args.filter((argument) => !argument.name).map((argument) => argument.value) : item.items;
  const handler = parts[1];
  return parts.length >= 2 && handler !== undefined && (handler.kind === 'name' || handler.kind === 'attribute');
}

/** The scanned handler classes of a project root, outside its tests. */
export function handlersOfProject(project: Project, projectRoot: string): string[] {
  const family = project.classFamily(new Set([TORNADO.requestHandler]));
  return [...family].filter((name) => {
    const site = project.findDefinition(name);
    return site !== undefined && site.module.projectRoot === projectRoot && site.module.context !== 'test' && !isVendoredModule(site.module);
  });
}

/** `(r"/", Handler)`, `(r"/", Handler, {...})`, `url(r"/", Handler, name="x")`: the pattern and the handler's class. */
function handlerRoute(project: Project, item: ValueSite): HandlerRoute {
  const { expr } = item;
  const parts = expr.kind === 'tuple' || expr.kind === 'list' ? expr.items : expr.kind === 'call' ? expr.args.filter((argument) => !argument.name).map((argument) => argument.value) : [];
  const [pattern, handler] = parts;
  const handlerName = handler && (handler.kind === 'name' || handler.kind === 'attribute') ? project.resolve(item.module, handler, item.scope) : undefined;
  return { pattern: pattern && { ...item, expr: pattern }, handler: handlerName };
}

/** `post`, `put`, `patch` or `delete` of the handler or a base; `RequestHandler`'s own only answer 405. */
export function definesUnsafeMethod(project: Project, handler: string): boolean {
  return [...UNSAFE_METHODS].some((method) => {
    const site = findHandlerMethod(project, handler, method.toLowerCase());
    if (site === undefined || site.module.symbols.scopeQualifiedName(site.definition.scope) === TORNADO.requestHandler || onlyRaises(site) || onlyLogs(site) || onlyRedirects(site)) return false;
    return method !== 'POST' || !postRepeatsGet(project, handler, site);
  });
}

const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'critical', 'exception']);

/**
 * A method whose body only logs what it was sent (a CSP violation report): it changes nothing. Its
 * statements must all be expressions (`del`, an assignment, a loop or a `with` may change state).
 */
function onlyLogs({ module, definition }: DefinitionSite): boolean {
  if (!definition.bodyStatements.every((type) => type === 'expression_statement')) return false;
  const calls = module.facts.calls.filter(({ scope }) => scope === definition.bodyScope);
  if (calls.length === 0 || module.facts.assignments.some(({ scope }) => scope === definition.bodyScope)) return false;
  const logging = calls.filter(({ call }) => isLogCall(call));
  // The logged message's own calls (`self.request.body.decode(...)`) sit inside a logging call.
  return logging.length > 0 && calls.every(({ call }) => logging.some((log) => log.call.range.line <= call.range.line && call.range.endLine <= log.call.range.endLine));
}

function isLogCall(call: CallExpr): boolean {
  return call.callee.kind === 'attribute' && LOG_METHODS.has(call.callee.attribute) && /log/i.test(finalIdentifier(call.callee.object) ?? '');
}

/**
 * A method that only sends the browser elsewhere (a deprecated endpoint's \`self.redirect(new_url)\`),
 * logging and building the address on the way: it changes nothing. Its statements are expressions
 * and plain assignments to local names; every call is the redirect, a log call or a string's \`format\`.
 */
function onlyRedirects({ module, definition }: DefinitionSite): boolean {
  if (!definition.bodyStatements.every((type) => type === 'expression_statement')) return false;
  const assignments = module.facts.assignments.filter(({ scope }) => scope === definition.bodyScope);
  if (assignments.some(({ target, operator }) => target.kind !== 'name' || operator !== '=')) return false;
  const calls = module.facts.calls.filter(({ scope }) => scope === definition.bodyScope).map(({ call }) => call);
  const isRedirect = (call: CallExpr) => call.callee.kind === 'attribute' && call.callee.attribute === 'redirect' && call.callee.object.kind === 'name' && call.callee.object.id === 'self';
  const isFormat = (call: CallExpr) => call.callee.kind === 'attribute' && call.callee.attribute === 'format';
  return calls.some(isRedirect) && calls.every((call) => isRedirect(call) || isLogCall(call) || isFormat(call));
}

/** A method whose body only raises (`raise HTTPError(404, "removed")`): it answers every request with an error. */
function onlyRaises({ module, definition }: DefinitionSite): boolean {
  const raise = module.facts.raises.find((statement) => statement.scope === definition.bodyScope && !statement.conditional);
  if (!raise) return false;
  const inRaise = (range: { line: number; endLine: number }) => range.line >= raise.range.line && range.endLine <= raise.range.endLine;
  const calls = module.facts.calls.filter(({ scope }) => scope === definition.bodyScope);
  const assigns = module.facts.assignments.some(({ scope }) => scope === definition.bodyScope);
  return !assigns && calls.every(({ call }) => inRaise(call.range));
}

/**
 * A `post` that ends as its handler's `get` does, returning the same helper's result
 * (`return self._get_files_zip(files)` in both): POST only carries a request too long for a URL
 * (a list of files to bundle), and changes nothing GET does not.
 */
function postRepeatsGet(project: Project, handler: string, post: DefinitionSite): boolean {
  const get = project.findMethod(handler, 'get');
  if (!get) return false;
  const postHelpers = returnedSelfCalls(post);
  const getHelpers = new Set(returnedSelfCalls(get));
  return postHelpers.length > 0 && postHelpers.every((helper) => helper !== undefined && getHelpers.has(helper));
}

/** What each `return` of a method returns when it is `self.<helper>(...)`: the helper's name, else `undefined`. */
function returnedSelfCalls({ module, definition }: DefinitionSite): Array<string | undefined> {
  return module.facts.returns
    .filter((statement) => statement.scope === definition.bodyScope)
    .map(({ value }) => (value?.kind === 'call' && value.callee.kind === 'attribute' && value.callee.object.kind === 'name' && value.callee.object.id === 'self' ? value.callee.attribute : undefined));
}

/** A handler whose methods the scan can see: a scanned class built on Tornado's own, or one of Tornado's read-only ones. */
function isReadable(project: Project, handler: string): boolean {
  if (READ_ONLY_HANDLERS.has(handler)) return true;
  if (project.findDefinition(handler)?.definition.kind !== 'class') return false;
  // JupyterHub's mixins add authentication, not request methods: a handler built on one is still read whole.
  return !project.inheritsFrom(
    handler,
    (name) => !project.isScannedName(name) && name !== TORNADO.requestHandler && !READ_ONLY_HANDLERS.has(name) && !JUPYTERHUB_GUARDED_MIXINS.has(name) && name !== 'builtins.object',
  );
}

/** `app.add_handlers(...)` beside the application: handlers its own list does not show. */
function addsHandlersLater(module: SourceModule): boolean {
  return module.facts.calls.some(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === 'add_handlers');
}

/**
 * The value a setting ends with, the writes made after the dict is built included. A write that may
 * not run makes the value unknown; `setdefault` changes nothing once the key is there.
 */
export function finalSetting(project: Project, settings: Array<MappingEntry | MappingWrite>, key: string): { state: Truthiness; entry?: MappingEntry } {
  let final: { state: Truthiness; entry?: MappingEntry } = { state: 'falsy' };
  for (const entry of settings) {
    if (entry.key !== key || ('onlyIfMissing' in entry && entry.onlyIfMissing && final.entry)) continue;
    const state = truthiness(project, entry.value);
    const mayNotRun = 'conditional' in entry && entry.conditional;
    final = { state: mayNotRun && state !== final.state ? 'unknown' : state, entry };
  }
  return final;
}

/**
 * `Application(...)` itself, or `super().__init__(...)` in a subclass; an instance of a subclass
 * with its own `__init__` is judged at that `super()` call instead.
 */
export function createsApplication(project: Project, module: SourceModule, call: CallExpr, scope: number, family: ReadonlySet<string>, names: ReadonlySet<string>): boolean {
  const { callee } = call;
  if (callee.kind === 'attribute' && callee.attribute === '__init__') {
    const method = module.symbols.definitionOfScope(scope);
    const owner = method && module.symbols.definitionOfScope(method.scope);
    return owner?.kind === 'class' && family.has(module.symbols.definitionName(owner)) && module.symbols.definitionName(owner) !== TORNADO.application;
  }
  if (!names.has(finalIdentifier(callee) ?? '')) return false;
  const created = project.resolve(module, callee, scope);
  if (created === undefined || !family.has(created)) return false;
  return created === TORNADO.application || !project.findMethod(created, '__init__');
}

/** Keyword settings and those of `**settings` dicts, with what is written into them before the call; `undefined` when a part cannot be read. */
export function settingsOf(project: Project, module: SourceModule, call: CallExpr, scope: number): Array<MappingEntry | MappingWrite> | undefined {
  const entries: Array<MappingEntry | MappingWrite> = [];
  for (const argument of call.args) {
    if (argument.unpack === '**') {
      const site = { module, scope, expr: argument.value };
      const unpacked = mappingEntries(project, site);
      const writes = mappingWrites(project, site, call.range.line);
      if (!unpacked || !writes) return undefined;
      entries.push(...unpacked, ...writes);
    } else if (argument.name !== undefined) {
      entries.push(keywordEntry(module, scope, argument));
    }
  }
  return entries;
}

/** A write into the settings the scan cannot read: it may change any setting. */
export interface UnreadWrite {
  module: SourceModule;
  line: number;
  text: string;
}

/**
 * \`super().__init__(handlers, **settings)\` where \`settings = self.init_settings(...)\`: the dict that
 * method (or function) builds and returns, with the writes it makes before it returns, and the
 * call's keywords. A write the scan cannot read (\`settings.update(settings_overrides)\`) is returned
 * apart, unless a readable write names \`xsrf_cookies\`: then nothing is returned.
 */
export function returnedSettings(project: Project, module: SourceModule, call: CallExpr, scope: number): { settings: Array<MappingEntry | MappingWrite>; unreadWrite?: UnreadWrite } | undefined {
  const unpacked = call.args.filter((argument) => argument.unpack === '**');
  const [only] = unpacked;
  if (unpacked.length !== 1 || !only) return undefined;
  const held = dereference(project, { module, scope, expr: only.value });
  const builder = held.expr.kind === 'call' ? settingsBuilder(project, held.module, held.expr, held.scope) : undefined;
  if (!builder) return undefined;
  const returns = builder.module.facts.returns.filter((statement) => statement.scope === builder.definition.bodyScope);
  const [result] = returns;
  if (returns.length !== 1 || result?.value?.kind !== 'name') return undefined;
  const site = { module: builder.module, scope: builder.definition.bodyScope, expr: result.value };
  const entries = mappingEntries(project, site);
  if (!entries) return undefined;
  const keywords = call.args.filter((argument) => argument.name !== undefined).map((argument) => keywordEntry(module, scope, argument));
  const writes = mappingWrites(project, site, result.range.line);
  if (writes) return { settings: [...entries, ...writes, ...keywords] };
  if (namesXsrfSetting(builder.module, builder.definition.bodyScope)) return undefined;
  const unreadWrite = firstUpdate(builder.module, builder.definition.bodyScope, result.value.id);
  return unreadWrite ? { settings: [...entries, ...keywords], unreadWrite } : undefined;
}

/** \`self.init_settings(...)\` in a method of the class, or a function called by name. */
function settingsBuilder(project: Project, module: SourceModule, call: CallExpr, scope: number): DefinitionSite | undefined {
  const { callee } = call;
  if (callee.kind === 'attribute' && callee.object.kind === 'name' && callee.object.id === 'self') {
    const method = module.symbols.definitionOfScope(scope);
    const owner = method && module.symbols.definitionOfScope(method.scope);
    return owner?.kind === 'class' ? project.findMethod(module.symbols.definitionName(owner), callee.attribute) : undefined;
  }
  const name = project.resolve(module, callee, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  return site?.definition.kind === 'function' ? site : undefined;
}

function namesXsrfSetting(module: SourceModule, scope: number): boolean {
  const inScope = (candidate: number) => candidate === scope;
  const assigns = module.facts.assignments.some(({ target, scope: at }) => inScope(at) && target.kind === 'subscript' && target.index.kind === 'string' && target.index.value === 'xsrf_cookies');
  const updates = module.facts.calls.some(({ call, scope: at }) => inScope(at) && call.args.some((argument) => argument.name === 'xsrf_cookies'));
  return assigns || updates;
}

/** \`settings.update(...)\` in the scope: where an unread write is. */
function firstUpdate(module: SourceModule, scope: number, holder: string): UnreadWrite | undefined {
  const update = module.facts.calls.find(({ call: { callee }, scope: at }) => at === scope && callee.kind === 'attribute' && callee.attribute === 'update' && callee.object.kind === 'name' && callee.object.id === holder);
  return update && { module, line: update.call.range.line, text: describeExpr(update.call) };
}

function keywordEntry(module: SourceModule, scope: number, argument: Argument): MappingEntry {
  return { key: argument.name!, value: { module, scope, expr: argument.value }, range: argument.range };
}
