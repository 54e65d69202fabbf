import type { CallExpr, Expr } from '../python/facts.js';
import { checksCsrf } from './applications.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { dereference } from './values.js';
import { type HandlerList, UNSAFE_METHODS } from './views.js';

export const TORNADO = {
  application: 'tornado.web.Application',
  requestHandler: 'tornado.web.RequestHandler',
} as const;

/** Tornado's own handlers that answer no form: they add no state-changing endpoint. */
const READ_ONLY_HANDLERS = new Set(['tornado.web.StaticFileHandler', 'tornado.web.RedirectHandler', 'tornado.web.ErrorHandler', 'tornado.websocket.WebSocketHandler']);

/**
 * The handlers of `Application([(r"/", Handler), url(r"/x", Other)], ...)` (or of
 * `super().__init__(handlers, ...)`): which of them define a state-changing method. A list that is
 * not written in the code, a handler from outside the scan, handlers that may come in a `**kwargs`,
 * or handlers added in the same module with `add_handlers` make the list incomplete.
 */
export function applicationHandlers(project: Project, module: SourceModule, call: CallExpr, scope: number): HandlerList & { unsafeClasses: string[] } {
  const argument = call.args.find((candidate) => candidate.name === 'handlers') ?? call.args.find((candidate) => candidate.name === undefined && !candidate.unpack);
  if (!argument) return { unsafe: [], complete: !addsHandlersLater(module) && !call.args.some((candidate) => candidate.unpack === '**'), unsafeClasses: [] };
  const list = dereference(project, { module, scope, expr: argument.value });
  if (list.expr.kind !== 'list' && list.expr.kind !== 'tuple') return { unsafe: [], complete: false, unsafeClasses: [] };
  const handlers = list.expr.items.map((item) => handlerClass(project, list.module, item, list.scope));
  const unsafeClasses = handlers.filter((handler): handler is string => handler !== undefined && definesUnsafeMethod(project, handler));
  const unsafe = unsafeClasses.map((handler) => handler.slice(handler.lastIndexOf('.') + 1));
  const complete = handlers.every((handler) => handler !== undefined && isReadable(project, handler)) && !addsHandlersLater(module);
  return { unsafe, complete, unsafeClasses };
}

/**
 * Whether a handler checks a CSRF token before every request itself, in a `prepare()` it defines or
 * inherits (`self.check_xsrf_cookie()`, or a token read from the request compared and refused).
 */
export function checksTokenInPrepare(project: Project, handler: string): boolean {
  const prepare = project.findMethod(handler, 'prepare');
  return prepare !== undefined && checksCsrf(project, prepare.module, prepare.definition);
}

/**
 * The scanned handler classes of a project root that accept a state-changing method: when an app's
 * handler list cannot be read, these are the ones it may route to.
 */
export function unsafeHandlersOfProject(project: Project, projectRoot: string): string[] {
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
    if (site === undefined || site.module.context === 'test' || !definesUnsafeMethod(project, name)) continue;
    const handlers = byRoot.get(site.module.projectRoot) ?? [];
    handlers.push(name);
    byRoot.set(site.module.projectRoot, handlers);
  }
  return byRoot;
}

/** `(r"/", Handler)`, `(r"/", Handler, {...})`, `url(r"/", Handler, name="x")`: the handler's class. */
function handlerClass(project: Project, module: SourceModule, item: Expr, scope: number): string | undefined {
  const parts = item.kind === 'tuple' || item.kind === 'list' ? item.items : item.kind === 'call' ? item.args.filter((argument) => !argument.name).map((argument) => argument.value) : [];
  const handler = parts[1];
  return handler && (handler.kind === 'name' || handler.kind === 'attribute') ? project.resolve(module, handler, scope) : undefined;
}

/** `post`, `put`, `patch` or `delete` of the handler or a base; `RequestHandler`'s own only answer 405. */
function definesUnsafeMethod(project: Project, handler: string): boolean {
  return [...UNSAFE_METHODS].some((method) => {
    const site = project.findMethod(handler, method.toLowerCase());
    return site !== undefined && site.module.symbols.scopeQualifiedName(site.definition.scope) !== TORNADO.requestHandler;
  });
}

/** A handler whose methods the scan can see: a scanned class built on Tornado's own, or one of Tornado's read-only ones. */
function isReadable(project: Project, handler: string): boolean {
  if (READ_ONLY_HANDLERS.has(handler)) return true;
  if (project.findDefinition(handler)?.definition.kind !== 'class') return false;
  return !project.inheritsFrom(handler, (name) => !project.isScannedName(name) && name !== TORNADO.requestHandler && !READ_ONLY_HANDLERS.has(name) && name !== 'builtins.object');
}

/** `app.add_handlers(...)` beside the application: handlers its own list does not show. */
function addsHandlersLater(module: SourceModule): boolean {
  return module.facts.calls.some(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === 'add_handlers');
}
