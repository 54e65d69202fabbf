/**
 * Whether a view acts for nobody: it reads its input but no user or session from its request, and
 * whatever code it hands the request to does the same or authenticates by a header token. A forged
 * request to such a view can do only what anybody can do directly (ping a check by its secret URL,
 * search the docs, feed a bot's webhook or a mail client's autodiscover request).
 */
import type { Argument, CallExpr, Definition, Expr } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { decoratorHeaderTokenRead, headerTokenRead, LOGIN_DECORATOR, USER_ATTRIBUTES } from './view-bodies.js';
import { enclosingClass } from './enclosing.js';
import { appConfigClass } from './app-configs.js';
import { tableDispatchTargets } from './table-dispatch.js';


/** What a request carries from its client: a view that reads these but no user acts on input alone. */
const REQUEST_INPUT = new Set(['body', 'GET', 'POST', 'META', 'headers', 'FILES', 'data', 'json', 'json_body', 'params', 'matchdict', 'content_type']);

/** Cookies name their browser's account as a session does (`request.COOKIES["remember_token"]`, `request.get_signed_cookie(...)`). */
const COOKIE_ATTRIBUTES = new Set(['COOKIES', 'cookies', 'get_signed_cookie']);

/** Functions that return the signed-in user without the request: django-crum's thread-local, and helpers named like it. */
const CURRENT_USER_FUNCTION = /(?:^|\.)(?:get_)?current_user$/;

/** Django's views whose own `dispatch` only calls the class's handler methods, which are judged themselves. */
const PLAIN_DJANGO_VIEW = /^django\.views\.(?:generic\.)?(?:base\.)?(?:View|TemplateView|RedirectView)$|^builtins\.object$/;

/** Library bases of a class-based view that require a signed-in user (Django's and django-braces' mixins). */
const USER_MIXIN = /(^django\.contrib\.auth\.mixins\.)|(LoginRequired|PermissionRequired|UserPassesTest|GroupRequired|SuperuserRequired|StaffuserRequired)\w*Mixin$/;

/** A hand-off followed this deep is judged as acting for somebody: the scan stops guessing there. */
const MAX_HAND_OFF_DEPTH = 4;

/** A function that handles a request, and the names the request goes by in it (`request`, `self.request`). */
interface RequestHolder {
  module: SourceModule;
  definition: Definition;
  requestNames: readonly string[];
  /** Parameters the caller filled with instances of known classes (`middleware` given a `CsrfViewMiddleware(...)`). */
  parameterClasses?: ReadonlyMap<string, readonly string[]>;
}

export interface NobodyVerdict {
  /** The project's functions the view hands its request to, each judged the same way, by name. */
  handedTo: string[];
  /**
   * It reads some input of its request (`request.body`, `request.GET`...). A stub that reads nothing
   * says nothing yet of whom it will act for; a class's `dispatch` that only passes the request on
   * leaves the reading to the class's handlers.
   */
  readsInput: boolean;
}

/**
 * Whether the view reads no user, nor hands its request to code that does (see the module's doc):
 * `undefined` when it may act for a user. `requestName` is the parameter the framework passes the
 * request in; without it, Django's convention (`request`, first) is assumed, since Flask views take
 * URL values instead. A method of a class also reads its request as `self.request`.
 */
export function actsForNobody(project: Project, module: SourceModule, view: Definition, requestName?: string, viewClass?: string): NobodyVerdict | undefined {
  const name = requestName ?? (view.parameters[0]?.name === 'request' ? 'request' : undefined);
  if (view.kind !== 'function' || name === undefined) return undefined;
  const owner = enclosingClass(module, view);
  if (owner && classRequiresUser(project, module, owner)) return undefined;
  const use = new RequestUse(project, viewClass);
  use.follow({ module, definition: view, requestNames: owner ? [name, 'self.request'] : [name] }, 0);
  return use.actsForUser ? undefined : { handedTo: [...use.handedTo], readsInput: use.readsInput };
}

/** What the code reached from a view does with its request, gathered over every function followed. */
class RequestUse {
  readsInput = false;
  actsForUser = false;
  readonly handedTo = new Set<string>();
  private readonly seen = new Set<Definition>();

  /** The class whose instance `self` is: a method inherited from a base calls the subclass's overrides. */
  constructor(
    private readonly project: Project,
    private readonly viewClass?: string,
  ) {}

  follow(holder: RequestHolder, depth: number): void {
    const { module, definition, requestNames } = holder;
    if (this.actsForUser || this.seen.has(definition)) return;
    this.seen.add(definition);
    if (depth > MAX_HAND_OFF_DEPTH || hasUserDecorator(this.project, module, definition)) {
      this.actsForUser = true;
      return;
    }
    const scopes = module.symbols.scopesWithin(definition.bodyScope);
    const reads = module.facts.scopes.filter((scope) => scopes.has(scope.id)).flatMap((scope) => scope.reads);
    const names = [...requestNames, ...requestAliases(module, scopes, requestNames)];
    const attributesRead = reads.flatMap((read) => names.filter((name) => read.startsWith(`${name}.`)).map((name) => read.slice(name.length + 1)));
    if (attributesRead.some((attribute) => USER_ATTRIBUTES.has(attribute) || COOKIE_ATTRIBUTES.has(attribute))) this.actsForUser = true;
    this.readsInput ||= attributesRead.some((attribute) => REQUEST_INPUT.has(attribute));
    for (const { call, scope } of module.symbols.itemsWithin(module.facts.calls, definition.bodyScope)) {
      if (this.actsForUser) return;
      this.followCall({ ...holder, requestNames: names }, call, scope, depth);
    }
  }

  /** Whether a followed function hands the request back to its caller (`return request`). */
  private handsBack({ module, definition, requestNames }: RequestHolder): boolean {
    return returnsRequest(module, module.symbols.scopesWithin(definition.bodyScope), requestNames);
  }

  /** A call that passes the request on, or a method of the view's own class, which may read `self.request`. */
  private followCall(holder: RequestHolder, call: CallExpr, scope: number, depth: number): void {
    const { module, definition, requestNames } = holder;
    if (readsCurrentUser(this.project, module, call, scope) || passesRequestInside(call, requestNames)) {
      this.actsForUser = true;
      return;
    }
    const passed = call.args.filter((argument) => holdsRequest(argument.value, requestNames));
    const method = ownMethodCalled(this.project, module, definition, call, this.viewClass);
    if (method) {
      const receiving = passed.map((argument) => parameterReceiving(method.definition, argument, call.args, true));
      if (receiving.some((name) => name === undefined)) this.actsForUser = true;
      else this.followHandOff(holder, call, { ...method, requestNames: ['self.request', ...receiving.filter((name): name is string => name !== undefined)] }, depth);
      return;
    }
    // Django's own `View.dispatch` only calls the handler methods, which are judged themselves.
    if (isLibraryDispatch(call)) {
      // A library base's own handlers (PasswordChangeView's `post`) act for the user unseen.
      if (!dispatchesToPlainView(this.project, module, definition)) this.actsForUser = true;
      return;
    }
    if (passed.length === 0) return;
    if (isNobodysLibraryCall(this.project, holder, call, scope)) return;
    const dispatched = getattrDispatch(this.project, module, definition, call, scope, this.viewClass);
    if (dispatched) {
      for (const target of dispatched) this.followHandOff(holder, call, { ...target, requestNames: ['self.request'] }, depth);
      return;
    }
    // A page rendered for a forged request goes back to the forger's page unread: rendering acts for nobody.
    const library = this.project.resolve(module, call.callee, scope) ?? '';
    if (RENDERERS.has(library) || FUNCTIONS_ACTING_FOR_NOBODY.has(library) || CLIENT_ADDRESS_READERS.has(library)) return;
    const tabled = tableDispatchTargets(this.project, module, call, scope);
    if (tabled) {
      for (const target of tabled) this.followFunction(holder, call, scope, target, passed, depth);
      return;
    }
    this.followFunction(holder, call, scope, calledFunction(this.project, module, call, scope), passed, depth);
  }

  /** A scanned function the call hands the request to, followed in the parameters the request lands in. */
  private followFunction(holder: RequestHolder, call: CallExpr, scope: number, callee: { module: SourceModule; definition: Definition } | undefined, passed: readonly Argument[], depth: number): void {
    const { module } = holder;
    const receiving = callee && passed.map((argument) => parameterReceiving(callee.definition, argument, call.args, false));
    if (!callee || !receiving || receiving.some((name) => name === undefined)) {
      this.actsForUser = true;
      return;
    }
    const names = receiving.filter((name): name is string => name !== undefined);
    this.handedTo.add(callee.definition.name);
    const [first] = names;
    if (first !== undefined && names.length === 1 && authenticatesByHeader(this.project, callee.module, callee.definition, first)) {
      // The credential header it reads is the request's input: the view serves a client that sends one.
      this.readsInput = true;
      return;
    }
    const parameterClasses = argumentClasses(this.project, module, scope, callee.definition, call.args);
    this.followHandOff(holder, call, { ...callee, requestNames: names, parameterClasses }, depth);
  }

  /**
   * Follows the code a request is handed to. Handed back (`return request`), it may be used by the
   * caller as anything: only stored on the request itself (`request._stream = reader(request)`) is it known to stay unread.
   */
  private followHandOff(holder: RequestHolder, call: CallExpr, receiver: RequestHolder, depth: number): void {
    this.follow(receiver, depth + 1);
    if (this.actsForUser || !this.handsBack(receiver)) return;
    const { module, definition, requestNames } = holder;
    // `request._stream = Limited(reader(request))`: wrapped or not, what comes back goes onto the request itself.
    const storedOnRequest = module.symbols
      .itemsWithin(module.facts.assignments, definition.bodyScope)
      .some(({ target, value }) => value !== null && target.kind === 'attribute' && holdsRequest(target.object, requestNames) && [...walkExpr(value)].some((part) => part.kind === 'call' && part.id === call.id));
    if (!storedOnRequest) this.actsForUser = true;
  }
}

/** Library functions that render a template for the request: the page goes back to whoever sent it. */
const RENDERERS = new Set(['django.shortcuts.render', 'django.shortcuts.render_to_response', 'django.template.response.TemplateResponse', 'django.template.loader.render_to_string']);

/** Library functions that read no user from the request they are given: the current site is looked up by the request's host. */
const FUNCTIONS_ACTING_FOR_NOBODY = new Set(['django.contrib.sites.shortcuts.get_current_site']);
/** django-ipware's functions: they read the client's address from the request's headers, never its user. */
const CLIENT_ADDRESS_READERS = new Set(['ipware.get_client_ip', 'ipware.ip.get_client_ip', 'ipware.ip.get_ip', 'ipware.ip.get_real_ip', 'ipware.ip.get_trusted_ip']);

/**
 * Library classes whose methods, given a request, read no user from it: Django's CSRF middleware
 * only compares the request's token with the cookie's (a CSRF debug page runs its steps one by one).
 */
const CLASSES_ACTING_FOR_NOBODY = new Set(['django.middleware.csrf.CsrfViewMiddleware']);

/** `middleware._check_token(request)` on a `CsrfViewMiddleware` made here or handed in by the caller. */
function isNobodysLibraryCall(project: Project, holder: RequestHolder, call: CallExpr, scope: number): boolean {
  const { callee } = call;
  if (callee.kind !== 'attribute') return false;
  const handedIn = callee.object.kind === 'name' ? holder.parameterClasses?.get(callee.object.id) ?? [] : [];
  const classes = [...handedIn, ...project.instanceClasses(holder.module, callee.object, scope)];
  return classes.length > 0 && classes.every((name) => CLASSES_ACTING_FOR_NOBODY.has(name));
}

/** The known classes of the instances a call hands a function, by the parameter each lands in. */
function argumentClasses(project: Project, module: SourceModule, scope: number, callee: Definition, args: readonly Argument[]): Map<string, string[]> {
  const classes = new Map<string, string[]>();
  for (const argument of args) {
    const instances = argument.value.kind === 'name' ? project.instanceClasses(module, argument.value, scope) : [];
    const parameter = instances.length > 0 ? parameterReceiving(callee, argument, args, false) : undefined;
    if (parameter !== undefined) classes.set(parameter, instances);
  }
  return classes;
}

/** A handed-to function that authenticates by a header token (itself or through a decorator): it acts for no cookie's user. */
function authenticatesByHeader(project: Project, module: SourceModule, definition: Definition, requestName: string): boolean {
  return (headerTokenRead(module, definition, requestName) ?? decoratorHeaderTokenRead(project, module, definition, requestName)) !== undefined;
}

/** `req = request`: other names the request goes by in the function (one assignment deep). */
function requestAliases(module: SourceModule, scopes: ReadonlySet<number>, requestNames: readonly string[]): string[] {
  return module.facts.assignments.flatMap(({ scope, target, value }) =>
    scopes.has(scope) && target.kind === 'name' && value !== null && holdsRequest(value, requestNames) ? [target.id] : [],
  );
}

/** `get_current_user()`: the signed-in user, read without the request. */
function readsCurrentUser(project: Project, module: SourceModule, call: CallExpr, scope: number): boolean {
  if (call.callee.kind !== 'name' && call.callee.kind !== 'attribute') return false;
  return CURRENT_USER_FUNCTION.test(project.resolve(module, call.callee, scope) ?? '');
}

/** `owner_of({"request": request})`, `run([request])`: the request handed on inside a container, which the scan does not follow. */
function passesRequestInside(call: CallExpr, requestNames: readonly string[]): boolean {
  return call.args.some(({ value }) => containerItems(value).some((item) => holdsRequest(item, requestNames)));
}

/** The values a literal container holds, nested containers included. */
function containerItems(value: Expr): Expr[] {
  const items = value.kind === 'dict' ? value.entries.map((entry) => entry.value) : value.kind === 'list' || value.kind === 'tuple' || value.kind === 'set' ? value.items : [];
  return items.flatMap((item) => [item, ...containerItems(item)]);
}

/** Whether every base of the method's class that the scan cannot read is a plain Django view, whose `dispatch` only calls handlers. */
function dispatchesToPlainView(project: Project, module: SourceModule, method: Definition): boolean {
  const owner = enclosingClass(module, method);
  if (!owner) return false;
  const className = module.symbols.definitionName(owner);
  return !project.inheritsFrom(className, (name) => project.findDefinition(name) === undefined && !PLAIN_DJANGO_VIEW.test(name));
}

/** `request`, `self.request`, or `self`, whose `request` the receiver may read. */
function holdsRequest(value: Expr, requestNames: readonly string[]): boolean {
  const written = value.kind === 'name' ? value.id : value.kind === 'attribute' && value.object.kind === 'name' ? `${value.object.id}.${value.attribute}` : undefined;
  if (written === undefined) return false;
  return requestNames.includes(written) || (written === 'self' && requestNames.includes('self.request'));
}

/** The parameter of `callee` an argument lands in: by keyword, or by position (after `self` for a method). */
function parameterReceiving(callee: Definition, argument: Argument, args: readonly Argument[], isMethod: boolean): string | undefined {
  if (argument.unpack) return undefined;
  if (argument.name !== undefined) return callee.parameters.some((parameter) => parameter.name === argument.name && !parameter.unpack) ? argument.name : undefined;
  const positional = callee.parameters.filter((parameter) => !parameter.unpack).slice(isMethod ? 1 : 0);
  const parameter = positional[args.filter((candidate) => candidate.name === undefined).indexOf(argument)];
  if (parameter === undefined) return undefined;
  // `self` itself handed on: the receiver reads the request as `<parameter>.request`.
  return argument.value.kind === 'name' && argument.value.id === 'self' ? `${parameter.name}.request` : parameter.name;
}

/** `self.render(...)`, `super().get_context_data(...)`: a method of the view's class or of a scanned base. */
function ownMethodCalled(project: Project, module: SourceModule, caller: Definition, call: CallExpr, viewClass?: string): { module: SourceModule; definition: Definition } | undefined {
  const { callee } = call;
  if (callee.kind !== 'attribute') return undefined;
  const owner = enclosingClass(module, caller);
  if (!owner) return undefined;
  const className = module.symbols.definitionName(owner);
  if (callee.object.kind === 'name' && callee.object.id === 'self') return project.findMethod(viewClass ?? className, callee.attribute);
  const isSuper = callee.object.kind === 'call' && callee.object.callee.kind === 'name' && callee.object.callee.id === 'super';
  if (!isSuper) return undefined;
  for (const base of owner.bases) {
    const baseName = base.name === undefined ? project.resolve(module, base.value, owner.scope) : undefined;
    const found = baseName === undefined ? undefined : project.findMethod(baseName, callee.attribute);
    if (found) return found;
  }
  return undefined;
}

/** `super().dispatch(request, ...)` that no scanned base defines: the framework's dispatch. */
function isLibraryDispatch(call: CallExpr): boolean {
  const { callee } = call;
  return callee.kind === 'attribute' && callee.attribute === 'dispatch' && callee.object.kind === 'call' && callee.object.callee.kind === 'name' && callee.object.callee.id === 'super';
}

/**
 * The scanned function a call reaches by name (`save_name(request)`, `helpers.save(request)`), or a
 * method of the project's `AppConfig` reached through `apps.get_app_config(...)`.
 */
function calledFunction(project: Project, module: SourceModule, call: CallExpr, scope: number): { module: SourceModule; definition: Definition } | undefined {
  const { callee } = call;
  if (callee.kind !== 'name' && callee.kind !== 'attribute') return undefined;
  const name = project.resolve(module, callee, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (site?.definition.kind === 'function') return site;
  const config = callee.kind === 'attribute' ? appConfigClass(project, module, callee.object, scope) : undefined;
  const method = config && callee.kind === 'attribute' ? project.findMethod(config, callee.attribute) : undefined;
  // Called on the instance, a method takes `self` first: only a static method's parameters line up with the arguments.
  return method && isStaticMethod(project, method) ? method : undefined;
}

function isStaticMethod(project: Project, { module, definition }: { module: SourceModule; definition: Definition }): boolean {
  return definition.decorators.some(({ expression }) => project.resolve(module, expression, definition.scope) === 'builtins.staticmethod');
}

/**
 * `getattr(self, f"_format_{kind}")`: the view picks one of its own methods by name. A literal
 * name is that method; a name built at run time may be any method of the class or its scanned
 * bases, so all are followed.
 */
function getattrDispatch(project: Project, module: SourceModule, caller: Definition, call: CallExpr, scope: number, viewClass?: string): Array<{ module: SourceModule; definition: Definition }> | undefined {
  const [object, attribute] = call.args;
  if (object?.value.kind !== 'name' || object.value.id !== 'self' || !attribute || project.resolve(module, call.callee, scope) !== 'builtins.getattr') return undefined;
  const owner = enclosingClass(module, caller);
  if (!owner) return undefined;
  const className = viewClass ?? module.symbols.definitionName(owner);
  // A method the scan cannot find (a library base's) is not known to act for nobody.
  if (attribute.value.kind === 'string') {
    const method = project.findMethod(className, attribute.value.value);
    return method ? [method] : undefined;
  }
  const methods: Array<{ module: SourceModule; definition: Definition }> = [];
  project.inheritsFrom(className, (name) => {
    const site = project.findDefinition(name);
    if (site?.definition.kind !== 'class') return false;
    const { bodyScope } = site.definition;
    for (const definition of site.module.facts.definitions) if (definition.kind === 'function' && definition.scope === bodyScope) methods.push({ module: site.module, definition });
    return false;
  });
  return methods.length > 0 ? methods : undefined;
}

/** `return request`, `return request, data`: the caller gets the request back, to do with it what this code did not. Calls are followed instead. */
function returnsRequest(module: SourceModule, scopes: ReadonlySet<number>, requestNames: readonly string[]): boolean {
  const isRequest = (expr: Expr) => holdsRequest(expr, requestNames);
  return module.facts.returns.some(({ scope, value }) => {
    if (!scopes.has(scope) || value === null) return false;
    if (value.kind === 'tuple' || value.kind === 'list') return value.items.some(isRequest);
    return value.kind === 'dict' ? value.entries.some((entry) => isRequest(entry.value)) : isRequest(value);
  });
}

/**
 * A decorator that requires a signed-in user: named so (`@login_required`, `@require_permission`),
 * or a decorator of the project's whose code reads a request's user or session.
 */
function hasUserDecorator(project: Project, module: SourceModule, definition: Definition): boolean {
  return definition.decorators.some(({ expression }) => {
    const target = expression.kind === 'call' ? expression.callee : expression;
    const name = project.resolve(module, target, definition.scope);
    if (name === undefined) return false;
    if (LOGIN_DECORATOR.test(name)) return true;
    const site = project.findDefinition(name);
    return site?.definition.kind === 'function' && readsUserWithin(site.module, site.definition);
  });
}

/** Whether code inside a function reads a user or session off one of its functions' parameters (`request.user` in a wrapper). */
function readsUserWithin(module: SourceModule, outer: Definition): boolean {
  const scopes = module.symbols.scopesWithin(outer.bodyScope);
  const functions = [outer, ...module.facts.definitions.filter((definition) => definition.kind === 'function' && scopes.has(definition.scope))];
  const parameters = new Set(functions.flatMap((definition) => definition.parameters.map((parameter) => parameter.name)));
  parameters.add('self.request');
  return module.facts.scopes.some(
    (scope) =>
      scopes.has(scope.id) &&
      scope.reads.some((read) => {
        const dot = read.lastIndexOf('.');
        return USER_ATTRIBUTES.has(read.slice(dot + 1)) && parameters.has(read.slice(0, dot));
      }),
  );
}

/**
 * A class-based view that requires or reads a user: an authentication mixin among its bases, a login
 * decorator put on the class, or any method of it or of a scanned base reading the request's user
 * (a library's `get_object()` calls the project's `get_queryset()`, which no call of the view shows).
 */
function classRequiresUser(project: Project, module: SourceModule, owner: Definition): boolean {
  const className = module.symbols.definitionName(owner);
  const readsUser = (name: string) => {
    const site = project.findDefinition(name);
    if (site?.definition.kind !== 'class') return false;
    const { bodyScope } = site.definition;
    return site.module.facts.definitions.some((method) => method.kind === 'function' && method.scope === bodyScope && readsUserWithin(site.module, method));
  };
  if (project.inheritsFrom(className, (name) => USER_MIXIN.test(name) || readsUser(name))) return true;
  return owner.decorators.some(({ expression }) =>
    [...walkExpr(expression)].some((part) => (part.kind === 'name' || part.kind === 'attribute') && LOGIN_DECORATOR.test(project.resolve(module, part, owner.scope) ?? '')),
  );
}
