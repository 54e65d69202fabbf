import type { Argument, CallExpr, Definition, Expr, NameExpr, SourceRange } from '../python/facts.js';
import { finalIdentifier, type Project } from './project.js';
import { checksCsrfToken, viewChecksCsrf } from './csrf-checks.js';
import { handlerBaseCheckOf } from './handler-checks.js';
import { reachableFrom } from './reachable.js';
import { isCsrfProtectObject } from '../frameworks/flask/names.js';
import { type ForwardedCall, forwardedCalls, ForwardingBudget, passedForParameter, perItemArguments, type SitedArgument, sitedArguments } from './forwarding.js';
import type { SourceModule } from './source-module.js';
import { recordedRoutes } from './recorded-routes.js';
import { joinUrlPath } from './url-paths.js';
import { dereference, mappingEntries, singleAssignedValue, stringValue, truthiness, type ValueSite } from './values.js';
import { hasUnreadPart, routeText } from './route-text.js';
import { flaskConfigWrites } from '../frameworks/flask/config-writes.js';
import { decoratorCsrfCheckOf } from './decorator-csrf-checks.js';
import { answersOnlyWithRedirect, helperHeaderTokenRead, onlyRedirects, requiredHeaderOfDecorators } from './view-bodies.js';
import { assignsOutside, bodyOnlyReads, LIBRARY_WRITING_METHODS, rendersLookedUpData, scratchNames, WRITING_BUILTINS } from './read-only-bodies.js';
import { attributeRoot } from '../python/describe.js';
import { readsOnlyJsonBody } from './json-only-bodies.js';
import { enclosingClass } from './enclosing.js';
import { FORM_CONFIRMING_LIBRARY_FUNCTIONS } from './known-names.js';
import { credentialedCors } from './credentialed-cors.js';
import { onlyRefuses } from './refusing-views.js';
import { FORM_VALIDATIONS, methodValidatesForm } from './form-validation-methods.js';

/** Methods a cross-site form or script can send without the browser asking the server first. */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** `@app.post(...)` and friends (Flask 2, Quart): the decorator names the method. */
const METHOD_DECORATORS = new Map([
  ['get', 'GET'],
  ['post', 'POST'],
  ['put', 'PUT'],
  ['patch', 'PATCH'],
  ['delete', 'DELETE'],
]);
/** Extensions that add views of their own to the app they are given; their forms are not listed. */
const VIEW_EXTENSIONS = new Set([
  'flask_admin.Admin', 'flask_admin.base.Admin', 'flask_appbuilder.AppBuilder', 'flask_appbuilder.base.AppBuilder',
  'flask_restful.Api', 'flask_restx.Api', 'flask_restplus.Api', 'flask_smorest.Api', 'flask_graphql.GraphQLView',
]);

/** Flask-RESTful and its forks: an `Api` routes its resources' methods to the app or blueprint it is given. */
const RESOURCE_APIS = new Set(['flask_restful.Api', 'flask_restx.Api', 'flask_restplus.Api', 'flask_smorest.Api']);
/** What routes resources: an `Api`, or a Flask-RESTX namespace added to one. */
const RESOURCE_ROUTERS = new Set([...RESOURCE_APIS, 'flask_restx.Namespace', 'flask_restx.namespace.Namespace', 'flask_restplus.Namespace', 'flask_restplus.namespace.Namespace']);
/** Blueprints, whose own `url_prefix` prefixes their rules. */
const BLUEPRINT_CLASSES = new Set(['flask.Blueprint', 'flask.blueprints.Blueprint', 'quart.Blueprint', 'quart.blueprints.Blueprint', 'flask_smorest.Blueprint', 'apiflask.APIBlueprint']);
/** Calls a project helper may make on the app or blueprint it is given, with the caller's arguments. */
const FORWARDED_METHODS = ['add_url_rule', 'register_blueprint', 'add_resource'];
/** How far a list of blueprints is followed up through the helpers that hand it down. */
const MAX_HELPER_DEPTH = 8;
/** Stands for a URL prefix the scan cannot read (`url_prefix=app.config["USER_URL_PREFIX"]`). */
export const UNKNOWN_PREFIX = '{prefix}';

/** Decorators that authenticate a view by a header the browser does not add by itself (a bearer token, a JWT). */
const HEADER_AUTH_DECORATORS = new Set(['flask_jwt_extended.jwt_required', 'flask_jwt_extended.view_decorators.jwt_required', 'flask_jwt.jwt_required']);
const HEADER_AUTH_CLASSES = new Set(['flask_httpauth.HTTPTokenAuth']);
/** Flask-JWT-Extended's check that a request carries a valid JWT, which a project's own decorator may call. */
const JWT_VERIFIERS = new Set(['flask_jwt_extended.verify_jwt_in_request', 'flask_jwt_extended.view_decorators.verify_jwt_in_request']);
/** Flask-HTTPAuth's password schemes: a browser that has cached the password sends it by itself. */
const BASIC_AUTH_CLASSES = new Set(['flask_httpauth.HTTPBasicAuth', 'flask_httpauth.HTTPDigestAuth']);
/** A view or route named for what it hands out: `get_token`, `/tokens`, `/api/token`. */
export const TOKEN_NAME = /token/i;
/** Decorators that hand the view a body parsed from JSON, and reject a request that has none. */
const JSON_BODY_VALIDATORS = new Set(['quart_schema.validate_request', 'quart_schema.validation.validate_request']);

/**
 * Flask, Quart and aiohttp extensions are named for their framework (`flask_mail`, `quart_auth`,
 * `aiohttp_jinja2`). Handed the app, most take it for configuration, mail, HTTPS redirects or
 * template helpers, and add no view of their own; the few that do are listed below.
 */
const EXTENSION_PACKAGE = /^(?:flask|quart|aiohttp)_/;
/** Extensions that add views of their own (admin pages, REST resources, login forms, GraphQL, sockets) that the scan cannot list. */
const VIEW_ADDING_EXTENSION_PACKAGES = new Set([
  'flask_admin', 'flask_appbuilder', 'flask_restful', 'flask_restx', 'flask_restplus', 'flask_smorest', 'flask_graphql',
  'flask_security', 'flask_user', 'flask_socketio', 'flask_sockets', 'flask_jsonrpc', 'flask_apscheduler', 'flask_saml',
  'flask_saml2', 'flask_multipass', 'flask_openapi3', 'flask_rest_jsonapi', 'flask_restless', 'flask_potion',
  'quart_schema_graphql', 'aiohttp_admin', 'aiohttp_graphql',
]);

/** Libraries that take the app for data, mail, caching and the like, and add no view to it. */
const NON_VIEW_EXTENSION_PACKAGES = new Set([
  'flask_sqlalchemy', 'flask_migrate', 'flask_mail', 'flask_caching', 'flask_cache', 'flask_babel', 'flask_babelex',
  'flask_compress', 'flask_cors', 'flask_talisman', 'flask_limiter', 'flask_bcrypt', 'flask_marshmallow', 'flask_redis',
  'flask_login', 'flask_principal', 'flask_jwt_extended', 'flask_session', 'flask_httpauth', 'builtins',
  // A project class built on Flask's or Quart's own (a JSON provider, a session interface) serves no view.
  'flask', 'quart',
  'flask_mongoengine', 'flask_pymongo', 'celery', 'sentry_sdk', 'flask_debugtoolbar',
  // Template helpers: they add filters and static files, no view that changes state.
  'flask_moment', 'flask_bootstrap', 'flask_assets', 'flask_pagedown', 'flask_misaka',
  'quart_babel', 'quart_db', 'quart_auth', 'quart_rate_limiter', 'quart_cors', 'quart_session',
  // quart-schema adds only GET pages, its OpenAPI documents.
  'quart_schema',
  'aiohttp', 'aiohttp_session', 'aiohttp_csrf', 'aiohttp_jinja2', 'aiohttp_mako', 'aiohttp_security', 'aiohttp_cors',
  // Servers and WSGI/ASGI adapters serve the app they wrap; they add no view to it.
  'a2wsgi', 'asgiref', 'werkzeug', 'hypercorn', 'uvicorn', 'gunicorn', 'waitress', 'starlette', 'fastapi',
  // CherryPy's `tree.graft(app, "/")` and the servers of gevent, eventlet and cheroot mount the app as it is.
  'cherrypy', 'cheroot', 'gevent', 'eventlet',
  // `typing.cast(MoinApp, current_app)` only tells the type checker what the app is.
  'typing', 'typing_extensions',
]);

/**
 * Jinja helpers handed the app (\`jinja_partials.register_extensions(app)\`) add template globals and
 * filters to its environment, no view.
 */
const JINJA_HELPER_PACKAGE = /^jinja2?_/;

/** Project functions followed this deep from a view that hands the request on to a guarded one. */
const MAX_HANDED_ON_DEPTH = 5;

/** A view that accepts a state-changing method, and whether it checks something a forged request lacks. */
interface UnsafeView {
  module: SourceModule;
  definition: Definition;
  name: string;
  range: SourceRange;
  /** It validates a FlaskForm (which checks the form's CSRF token), checks a CSRF token itself, or reads only JSON. */
  guarded: boolean;
}

/** A view routed to an app or blueprint, whatever its methods: what `csrflint endpoints` lists. */
export interface RoutedView {
  module: SourceModule;
  definition: Definition;
  name: string;
  /** The rule as written (`/orders/<int:id>`), when it is a string. */
  route: string | undefined;
  methods: ReadonlySet<string> | 'unknown';
  guarded: boolean;
  /**
   * Guarded only because it trades an HTTP Basic password for a token (\`POST /tokens\`): nothing is
   * checked, but what a forged request mints the attacker cannot read.
   */
  issuesTokenForPassword?: true;
  /**
   * Guarded only because it accepts no POST, only methods an HTML form cannot send (\`PUT\`, \`PATCH\`,
   * \`DELETE\`), and the project lets no other origin's script send them with cookies (no credentialed CORS).
   */
  acceptsOnlyNoFormMethods?: true;
  /** Where the blueprint (or one it is nested in) is exempted: `csrf.exempt(bp)`. */
  exemptedAt?: Array<{ module: SourceModule; line: number }>;
  /** Where the forms the view builds turn their CSRF check off: `csrf = False` in their `class Meta`. */
  formsWithoutTokenAt?: Array<{ module: SourceModule; line: number }>;
}

/** A function a rule routes to: a method of a class-based view answers one HTTP method, or those its class lists. */
interface ViewFunction {
  site: { module: SourceModule; definition: Definition };
  method?: string;
  methods?: ReadonlySet<string> | 'unknown';
}

/** What the scan shows of the handlers a Tornado or Litestar app routes to. */
export interface HandlerList {
  /** Handlers, by name, that accept POST, PUT, PATCH or DELETE. */
  unsafe: string[];
  /** Every handler could be read; otherwise some may accept state-changing requests unseen. */
  complete: boolean;
}

/** A method called on an application object: `app.add_middleware(...)`, `app.middlewares.append(...)`. */
interface AppCall {
  module: SourceModule;
  scope: number;
  call: CallExpr;
  /** The attribute path from the app to the method: `add_middleware`, `middlewares.append`. */
  method: string;
}

/** What the scanned code shows an application serving and doing. */
export interface AppUsage {
  unsafeViews: UnsafeView[];
  /** Every view routed to the app or its blueprints, safe ones included. */
  routes: RoutedView[];
  /** The app has routes, blueprints or URL rules, or is handed to code that may add them. */
  serves: boolean;
  /**
   * Code that may add views the scan cannot list: a view-adding extension (`Admin(app)`,
   * `Api(app)`), or a function outside the scanned code. Empty when every view is known.
   */
  unlistedViewsFrom: string[];
  /** Canonical names of what the app is passed to: `aiohttp_session.setup`, an extension's class. */
  handedTo: string[];
  calls: AppCall[];
}

/** Tells which slot group an expression belongs to, and where its apps are passed (see `ApplicationFlow`). */
export interface SlotResolver {
  groupOf(module: SourceModule, expr: Expr, scope: number): string | undefined;
  /** The group of the object a qualified name holds: `pkg.api._BLUEPRINT`. */
  groupOfName(qualifiedName: string): string;
  /** The groups of the helper parameters an app of this group is passed to. */
  parametersReached(group: string): Iterable<string>;
  /** What the callers of helpers pass for a parameter's group: `LEMUR_BLUEPRINTS` for `blueprints` of `create_app(blueprints=LEMUR_BLUEPRINTS)`. */
  argumentsPassedTo(parameterGroup: string): ValueSite[];
}

/** A blueprint (or an `Api`) registered on a parent, with the prefix given there: `undefined` when none is given, `null` when it cannot be read. */
interface Registration {
  group: string;
  prefix: string | null | undefined;
}

interface RouteTarget {
  group: string;
  views: UnsafeView[];
  routes: RoutedView[];
  hasRoutes: boolean;
}

/**
 * The views of every app and blueprint of the project, by slot group: `@app.route(..., methods=...)`,
 * `@bp.post(...)`, `add_url_rule(..., view_func=...)` (functions and class-based views), and
 * blueprints reached through `register_blueprint`.
 */
export class ViewIndex {
  private readonly targets = new Map<string, RouteTarget>();
  private basicLoginGroups: Set<string> | undefined;
  private readonly jwtCookiesUncheckedByRoot = new Map<string, boolean>();
  private readonly forwardingBudget = new ForwardingBudget();
  private readonly blueprintsOf = new Map<string, Registration[]>();
  /** A blueprint's own `url_prefix`, by group: `null` when it cannot be read. */
  private readonly ownPrefixes = new Map<string, string | null>();
  private readonly exemptions = new Map<string, Array<{ module: SourceModule; line: number }>>();
  private readonly handedTo = new Map<string, string[]>();
  /** Blueprints made in production code, by group: those no app is seen registering are adopted by an app that registers blueprints the scan cannot name. */
  private readonly blueprintGroups = new Set<string>();
  /** Apps and blueprints that register a blueprint the scan cannot name (`for bp in discover_blueprints(): app.register_blueprint(bp)`). */
  private readonly unnamedRegistrations = new Set<string>();
  private readonly callsOn = new Map<string, AppCall[]>();
  /** Namespaces made by `api.namespace(...)`, by group: they route resources as namespaces built directly do. */
  private readonly namespaceGroups = new Set<string>();
  /** `Api(current_app)` in production code: routed to whichever app is running when the module is imported. */
  private readonly currentAppRegistrations: Registration[] = [];
  /** Identifiers that may name a blueprint or `Api` class: other calls are passed over unresolved. */
  private readonly routerClassNames: Set<string>;
  /** Names of the methods the project's form classes define, read once: other calls are no form method. */
  private formMethodNames: Set<string> | undefined;

  /**
   * @param appIdentifiers the last parts of the names that hold an app: only arguments named so
   * are followed to see what the app is handed to.
   */
  constructor(
    private readonly project: Project,
    private readonly slots: SlotResolver,
    private readonly appIdentifiers: ReadonlySet<string>,
    private readonly formClasses: ReadonlySet<string>,
  ) {
    this.routerClassNames = project.identifiersFor(project.classFamily(new Set([...RESOURCE_APIS, ...BLUEPRINT_CLASSES])));
    for (const module of project.modules) this.indexApiNamespaces(module);
    for (const module of project.modules) {
      this.indexRouteDecorators(module);
      this.indexCalls(module);
    }
  }

  /**
   * The views an app group serves, with its blueprints' and those the helpers it is passed to add,
   * whether it serves anything at all, and what is done with it. The views of a blueprint that is
   * `guarded` (a `before_request` hook of its own checks CSRF) are guarded too.
   */
  usageOf(group: string | undefined, guarded: (group: string) => boolean = () => false): AppUsage {
    if (group === undefined) return { unsafeViews: [], routes: [], serves: false, unlistedViewsFrom: [], handedTo: [], calls: [] };
    const own = groupsReached(this.slots, [group]);
    const handedTo = [...own].flatMap((member) => this.handedTo.get(member) ?? []);
    const calls = [...own].flatMap((member) => this.callsOn.get(member) ?? []);
    const unlistedViewsFrom = [...new Set(handedTo.filter((callee) => !this.isNonViewExtension(callee) && !this.isScannedCode(callee)))];
    const seen = new Set<string>();
    const pending: Array<{ group: string; prefix: string | null; exemptedAt: Array<{ module: SourceModule; line: number }> }> = [...own].map((member) => ({ group: member, prefix: '', exemptedAt: [] }));
    const unsafeViews: UnsafeView[] = [];
    const routes: RoutedView[] = [];
    let serves = unlistedViewsFrom.length > 0;
    while (pending.length > 0) {
      const { group: current, prefix, exemptedAt: exemptedAbove } = pending.pop()!;
      if (seen.has(current)) continue;
      seen.add(current);
      const exemptedAt = [...exemptedAbove, ...(this.exemptions.get(current) ?? [])];
      const target = this.targets.get(current);
      if (target) {
        const isGuarded = guarded(current);
        for (const view of target.views) unsafeViews.push(isGuarded ? { ...view, guarded: true } : view);
        for (const route of target.routes) routes.push({ ...route, route: prefixedRule(prefix, route.route), ...(isGuarded ? { guarded: true } : {}), ...(exemptedAt.length > 0 ? { exemptedAt } : {}) });
        serves ||= target.hasRoutes;
      }
      const blueprints = [...(this.blueprintsOf.get(current) ?? []), ...(this.unnamedRegistrations.has(current) ? this.unregisteredBlueprints() : [])];
      serves ||= blueprints.length > 0;
      for (const blueprint of blueprints) {
        const given = blueprint.prefix === undefined ? this.ownPrefixes.get(blueprint.group) : blueprint.prefix;
        const childPrefix = joinPrefix(prefix, given === undefined ? '' : given);
        for (const member of groupsReached(this.slots, [blueprint.group])) pending.push({ group: member, prefix: childPrefix, exemptedAt });
      }
    }
    return { unsafeViews: uniqueViews(unsafeViews), routes, serves, unlistedViewsFrom, handedTo, calls };
  }

  /** Blueprints with routes that no app or blueprint is seen registering: found at run time (by walking the package, by plugins). */
  private unregisteredBlueprints(): Registration[] {
    const registered = new Set([...this.blueprintsOf.values()].flatMap((registrations) => registrations.map((registration) => registration.group)));
    return [...this.blueprintGroups].filter((group) => !registered.has(group) && this.targets.get(group)?.hasRoutes).map((group) => ({ group, prefix: undefined }));
  }

  private target(group: string): RouteTarget {
    let target = this.targets.get(group);
    if (!target) {
      target = { group, views: [], routes: [], hasRoutes: false };
      this.targets.set(group, target);
    }
    return target;
  }

  private indexRouteDecorators(module: SourceModule): void {
    for (const definition of module.facts.definitions) {
      if (definition.kind === 'class') this.indexResourceDecorators(module, definition);
      if (definition.kind !== 'function') continue;
      for (const { expression } of definition.decorators) {
        if (expression.kind !== 'call') continue;
        const routeMethod = this.routeMethodOf({ module, scope: definition.scope, expr: expression.callee });
        const methods = routeMethod && routeMethods(this.project, module, definition.scope, routeMethod.method, expression.args);
        if (!routeMethod || !methods) continue;
        this.addView(routeMethod.group, module, definition, methods, this.ruleOf(sitedArguments(module, definition.scope, expression.args)));
      }
    }
  }

  /**
   * The app or blueprint group a route decorator's callee routes to, and its method name: `bp.route`;
   * or a name bound to one, `route = bp.route` used as `@route(...)` or, from another module, `@api.route(...)`.
   */
  private routeMethodOf({ module, scope, expr }: ValueSite): { group: string; method: string } | undefined {
    // Only a name that says it routes is followed: most decorators are something else.
    const bound = isRouteMethodName(finalIdentifier(expr) ?? '') ? this.boundMethod(module, scope, expr) : undefined;
    if (bound) return { group: this.slots.groupOfName(bound.object), method: bound.method };
    if (expr.kind !== 'attribute') return undefined;
    const group = this.slots.groupOf(module, expr.object, scope);
    return group === undefined ? undefined : { group, method: expr.attribute };
  }

  /** `route` bound by `route = bp.route`: the object and the method it stands for, once the alias is followed. */
  private boundMethod(module: SourceModule, scope: number, expr: Expr): { object: string; method: string } | undefined {
    const resolved = this.project.resolve(module, expr, scope);
    const written = expr.kind === 'attribute' ? this.project.resolve(module, expr.object, scope) : undefined;
    const dot = resolved?.lastIndexOf('.') ?? -1;
    if (resolved === undefined || dot < 0 || (written !== undefined && resolved === `${written}.${expr.kind === 'attribute' ? expr.attribute : ''}`)) return undefined;
    const method = resolved.slice(dot + 1);
    return isRouteMethodName(method) && !this.project.findDefinition(resolved) ? { object: resolved.slice(0, dot), method } : undefined;
  }

  /** Flask-RESTX's `@ns.route("/items", "/items/<id>")` on a resource class: its HTTP methods, at each URL. */
  private indexResourceDecorators(module: SourceModule, definition: Definition): void {
    for (const { expression } of definition.decorators) {
      if (expression.kind !== 'call' || expression.callee.kind !== 'attribute' || expression.callee.attribute !== 'route') continue;
      const owner = expression.callee.object;
      if (!this.routesResources({ module, scope: definition.scope, expr: owner })) continue;
      const className: NameExpr = { kind: 'name', id: definition.name };
      const resource = { module, scope: definition.scope, expr: className };
      this.indexResource({ module, scope: definition.scope, expr: owner }, [{ value: resource }, ...sitedArguments(module, definition.scope, expression.args).filter((argument) => argument.name === undefined)]);
    }
  }

  private indexCalls(module: SourceModule): void {
    const appAttributeNames = this.namesHoldingAppAttributes(module);
    for (const { call, scope } of module.facts.calls) {
      const { callee } = call;
      if (callee.kind === 'attribute') this.indexDirectRegistration(module, call, scope);
      for (const forwarded of forwardedCalls(this.project, module, call, scope, FORWARDED_METHODS, this.forwardingBudget)) this.indexRegistration(forwarded);
      this.indexConstruction(module, call, scope);
      this.indexHandedApps(module, call, scope);
      this.indexCallOnApp(module, call, scope, appAttributeNames);
    }
  }

  /** `router = app.router`: the names a module binds to an attribute of what may be an app, by scope. */
  private namesHoldingAppAttributes(module: SourceModule): Set<string> {
    const names = new Set<string>();
    for (const { target, value, scope } of module.facts.assignments) {
      if (target.kind === 'name' && value?.kind === 'attribute' && this.appIdentifiers.has(finalIdentifier(value.object) ?? '')) names.add(`${scope}\0${target.id}`);
    }
    return names;
  }

  /** A call written in the module; in `for path, view in ROUTES:`, once per item of the list. */
  private indexDirectRegistration(module: SourceModule, call: CallExpr, scope: number): void {
    if (call.callee.kind !== 'attribute') return;
    const registration = { method: call.callee.attribute, receiver: { module, scope, expr: call.callee.object }, line: call.range.line };
    const args = sitedArguments(module, scope, call.args);
    // A loop over single items (`for bp in (a, b):`) is read where each argument is used, as blueprints are.
    const perItem = perItemArguments(this.project, module, scope, args, (loop) => (loop.unpackIndex === undefined ? undefined : this.project.iteratedItems(module, loop)));
    for (const itemArgs of perItem ?? [args]) this.indexRegistration({ ...registration, args: itemArgs });
  }

  /** `add_url_rule`, `register_blueprint`, `add_resource`, `init_app` of an `Api`, `csrf.exempt(bp)`, made directly or by a helper. */
  private indexRegistration(call: ForwardedCall): void {
    const { method, receiver, args, line } = call;
    if (method === 'register_blueprint') this.indexBlueprint(receiver, args);
    else if (method === 'add_url_rule') this.indexUrlRule(receiver, args);
    else if (method === 'add_resource') this.indexResource(receiver, args);
    else if (method === 'add_namespace' && this.project.isInstanceOf(receiver.module, receiver.expr, receiver.scope, RESOURCE_APIS)) this.indexNamespace(receiver, args);
    else if (method === 'init_app' && this.project.isInstanceOf(receiver.module, receiver.expr, receiver.scope, RESOURCE_APIS)) this.indexApiTarget(receiver, args, undefined);
    else if (method === 'exempt' && isCsrfProtectObject(this.project, receiver.module, receiver.expr, receiver.scope)) this.indexExemption(args, line);
  }

  /** `Blueprint("b", __name__, url_prefix="/b")`: its prefix; `Api(bp, prefix="/v1")`: an `Api` routes to `bp`. */
  private indexConstruction(module: SourceModule, call: CallExpr, scope: number): void {
    if (!this.routerClassNames.has(finalIdentifier(call.callee) ?? '')) return;
    const className = this.project.resolve(module, call.callee, scope) ?? '';
    const isApi = this.project.isSubclassOf(className, RESOURCE_APIS);
    if (!isApi && !this.project.isSubclassOf(className, BLUEPRINT_CLASSES)) return;
    const holder = this.holderOf(module, call);
    if (holder === undefined) return;
    const prefixArgument = call.args.find((argument) => argument.name === (isApi ? 'prefix' : 'url_prefix'));
    const prefix = prefixArgument ? (routeText(this.project, { module, scope, expr: prefixArgument.value }) ?? null) : undefined;
    if (!isApi && module.context !== 'test') this.blueprintGroups.add(holder);
    if (!isApi) this.indexRecordedRoutes(holder, className);
    if (prefix !== undefined) this.ownPrefixes.set(holder, prefix);
    // A project's blueprint class that has its own `__init__` may give itself a prefix (`kwargs.setdefault("url_prefix", "/" + name)`).
    else if (!isApi && this.hasOwnConstructor(className)) this.ownPrefixes.set(holder, this.constructorPrefix(className, module, call, scope));
    if (isApi) this.indexApiTarget({ module, scope, expr: call }, sitedArguments(module, scope, call.args), holder);
    if (isApi) this.indexApiDecorators(module, call, scope, holder);
  }

  /** `Api(app, decorators=[csrf.exempt])`: Flask-RESTful wraps every resource's view in the decorators, so each is exempt. */
  private indexApiDecorators(module: SourceModule, call: CallExpr, scope: number, holder: string): void {
    const decorators = call.args.find((argument) => argument.name === 'decorators');
    const list = decorators && dereference(this.project, { module, scope, expr: decorators.value });
    if (!decorators || !list || (list.expr.kind !== 'list' && list.expr.kind !== 'tuple')) return;
    const exempts = list.expr.items.some((item) => item.kind === 'attribute' && item.attribute === 'exempt' && isCsrfProtectObject(this.project, list.module, item.object, list.scope));
    if (exempts) this.exemptions.set(holder, [...(this.exemptions.get(holder) ?? []), { module, line: decorators.range.line }]);
  }

  /**
   * The `url_prefix` a blueprint class's own `__init__` hands to `Blueprint.__init__`, as written
   * there or passed where the class is constructed (`ShelfBlueprint("books", "/books")`); `null` when unread.
   */
  private constructorPrefix(className: string, module: SourceModule, call: CallExpr, scope: number, depth = 0): string | null {
    const constructor = this.project.findMethod(className, '__init__');
    if (!constructor || depth > MAX_HELPER_DEPTH) return null;
    const { module: owner, definition } = constructor;
    const handed = owner.facts.calls.find((site) => site.scope === definition.bodyScope && site.call.callee.kind === 'attribute' && site.call.callee.attribute === '__init__')?.call;
    if (!handed) return null;
    const prefix = handed.args.find((argument) => argument.name === 'url_prefix');
    // `super().__init__(name, __name__)` leaves the prefix to the parent's constructor (Hedy's `WebsiteModule`, `url_prefix=None`).
    if (!prefix && handed.args.some((argument) => argument.unpack !== undefined)) return null;
    if (!prefix) return this.parentConstructorPrefix(owner.symbols.definitionName(definition), handed, { module: owner, scope: definition.bodyScope }, depth);
    const passed = passedForParameter(constructor, prefix.value, call, { module, scope }, true);
    const value = passed ?? { module: owner, scope: definition.bodyScope, expr: prefix.value };
    if (value.expr.kind === 'constant' && value.expr.value === null) return '';
    return routeText(this.project, value) ?? null;
  }

  /** The prefix the constructor of the class above `constructorName`'s gives, called as `handed`; none when that is Flask's own. */
  private parentConstructorPrefix(constructorName: string, handed: CallExpr, caller: { module: SourceModule; scope: number }, depth: number): string | null {
    const owner = constructorName.slice(0, constructorName.lastIndexOf('.'));
    const site = this.project.findDefinition(owner);
    const [base] = site?.definition.kind === 'class' ? site.definition.bases.filter((argument) => argument.name === undefined && !argument.unpack) : [];
    const parent = site && base ? this.project.resolve(site.module, base.value, site.definition.scope, site.definition.range.line) : undefined;
    if (parent === undefined) return null;
    if (BLUEPRINT_CLASSES.has(parent)) return '';
    return this.hasOwnConstructor(parent) ? this.constructorPrefix(parent, caller.module, handed, caller.scope, depth + 1) : null;
  }

  private hasOwnConstructor(className: string): boolean {
    const constructor = this.project.findMethod(className, '__init__');
    return constructor !== undefined && this.project.isScannedName(constructor.module.symbols.definitionName(constructor.definition));
  }

  /** The group of the name a constructed object is assigned to (`api = Api(bp)`). */
  private holderOf(module: SourceModule, call: CallExpr): string | undefined {
    const assignment = module.facts.assignments.find((candidate) => candidate.operator === '=' && candidate.value?.kind === 'call' && candidate.value.id === call.id);
    return assignment && this.slots.groupOf(module, assignment.target, assignment.scope);
  }

  /** `Api(app)`, `Api(bp)`, `api.init_app(app)`: the app or blueprint the `Api`'s resources are routed to, as if it were a blueprint of it. */
  private indexApiTarget(api: ValueSite, args: SitedArgument[], holder: string | undefined): void {
    const target = args.find((argument) => argument.name === 'app') ?? args.find((argument) => argument.name === undefined);
    const apiGroup = holder ?? (api.expr.kind === 'call' ? undefined : this.slots.groupOf(api.module, api.expr, api.scope));
    if (!target || apiGroup === undefined) return;
    if (this.isCurrentApp(target.value)) {
      if (target.value.module.context !== 'test') this.currentAppRegistrations.push({ group: apiGroup, prefix: undefined });
      return;
    }
    const parent = this.slots.groupOf(target.value.module, target.value.expr, target.value.scope);
    if (parent !== undefined) this.blueprintsOf.set(parent, [...(this.blueprintsOf.get(parent) ?? []), { group: apiGroup, prefix: undefined }]);
  }

  private isCurrentApp(site: ValueSite): boolean {
    const name = this.project.resolve(site.module, site.expr, site.scope);
    return name === 'flask.current_app' || name === 'quart.current_app';
  }

  /**
   * The project's one app takes the `Api`s built on `current_app`: with one app, it is the one
   * running (newspipe imports its API modules inside `with application.app_context()`).
   */
  adoptCurrentAppRegistrations(appGroup: string): void {
    if (this.currentAppRegistrations.length === 0) return;
    this.blueprintsOf.set(appGroup, [...(this.blueprintsOf.get(appGroup) ?? []), ...this.currentAppRegistrations]);
  }

  /** `api.add_resource(Items, "/items", "/items/<int:id>")`: each HTTP method the resource class defines, at each URL. */
  private indexResource(receiver: ValueSite, args: SitedArgument[]): void {
    if (!this.routesResources(receiver)) return;
    const group = this.slots.groupOf(receiver.module, receiver.expr, receiver.scope);
    const [resource, ...urls] = args.filter((argument) => argument.name === undefined);
    if (group === undefined || !resource) return;
    this.target(group).hasRoutes = true;
    const rules = urls.map((url) => routeText(this.project, url.value));
    for (const view of this.viewFunctions(resource.value.module, resource.value.expr, resource.value.scope)) {
      for (const rule of rules.length > 0 ? rules : [undefined]) this.addView(group, view.site.module, view.site.definition, new Set([view.method ?? 'GET']), rule);
    }
  }

  /** An `Api` or a namespace: built as one, or made by `api.namespace(...)`. */
  private routesResources(site: ValueSite): boolean {
    if (this.project.isInstanceOf(site.module, site.expr, site.scope, RESOURCE_ROUTERS)) return true;
    const group = this.namespaceGroups.size > 0 ? this.slots.groupOf(site.module, site.expr, site.scope) : undefined;
    return group !== undefined && this.namespaceGroups.has(group);
  }

  /**
   * `ns = api.namespace("notes")`: Flask-RESTX makes a namespace and adds it to the `Api`, under its
   * `path=` or else `/` and its name, as if it were a blueprint of the `Api`.
   */
  private indexApiNamespaces(module: SourceModule): void {
    for (const { call, scope } of module.facts.calls) {
      if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'namespace') continue;
      if (!this.project.isInstanceOf(module, call.callee.object, scope, RESOURCE_APIS)) continue;
      const apiGroup = this.slots.groupOf(module, call.callee.object, scope);
      const holder = this.holderOf(module, call);
      if (apiGroup === undefined || holder === undefined) continue;
      this.namespaceGroups.add(holder);
      this.blueprintsOf.set(apiGroup, [...(this.blueprintsOf.get(apiGroup) ?? []), { group: holder, prefix: this.namespacePath(module, scope, call) }]);
    }
  }

  private namespacePath(module: SourceModule, scope: number, call: CallExpr): string | null {
    const path = call.args.find((argument) => argument.name === 'path');
    if (path) return routeText(this.project, { module, scope, expr: path.value }) ?? null;
    const name = call.args.find((argument) => argument.name === 'name') ?? call.args.find((argument) => argument.name === undefined && !argument.unpack);
    const text = name && routeText(this.project, { module, scope, expr: name.value });
    return text === undefined ? null : `/${text}`;
  }

  /** `api.add_namespace(users, "/users")`: a Flask-RESTX namespace's resources, under its path, as if it were a blueprint of the `Api`. */
  private indexNamespace(api: ValueSite, args: SitedArgument[]): void {
    const [namespace, path] = args.filter((argument) => argument.name === undefined);
    const apiGroup = this.slots.groupOf(api.module, api.expr, api.scope);
    const child = namespace && this.slots.groupOf(namespace.value.module, namespace.value.expr, namespace.value.scope);
    if (apiGroup === undefined || child === undefined) return;
    const pathArgument = path ?? args.find((argument) => argument.name === 'path');
    const prefix = pathArgument ? (routeText(this.project, pathArgument.value) ?? null) : undefined;
    this.blueprintsOf.set(apiGroup, [...(this.blueprintsOf.get(apiGroup) ?? []), { group: child, prefix }]);
  }

  /** `csrf.exempt(bp)`: every view of the blueprint is exempt. */
  private indexExemption(args: SitedArgument[], line: number): void {
    const [exempted] = args;
    if (!exempted || exempted.name !== undefined) return;
    const { module, scope, expr } = exempted.value;
    if (expr.kind !== 'name' && expr.kind !== 'attribute') return;
    const group = this.slots.groupOf(module, expr, scope);
    if (group === undefined) return;
    this.exemptions.set(group, [...(this.exemptions.get(group) ?? []), { module, line }]);
  }

  /** `app.method(...)` or `app.attribute.method(...)` on an app object. */
  private indexCallOnApp(module: SourceModule, call: CallExpr, scope: number, appAttributeNames: ReadonlySet<string>): void {
    const { callee } = call;
    if (callee.kind !== 'attribute') return;
    const receivers: Array<[ValueSite, string]> = [[{ module, scope, expr: callee.object }, callee.attribute]];
    if (callee.object.kind === 'attribute') receivers.push([{ module, scope, expr: callee.object.object }, `${callee.object.attribute}.${callee.attribute}`]);
    const held = callee.object.kind === 'name' && appAttributeNames.has(`${scope}\0${callee.object.id}`) ? singleAssignedValue(this.project, { module, scope, expr: callee.object }) : undefined;
    if (held?.expr.kind === 'attribute') receivers.push([{ ...held, expr: held.expr.object }, `${held.expr.attribute}.${callee.attribute}`]);
    for (const [receiver, method] of receivers) {
      if (!this.appIdentifiers.has(finalIdentifier(receiver.expr) ?? '')) continue;
      const group = this.slots.groupOf(receiver.module, receiver.expr, receiver.scope);
      if (group === undefined) continue;
      this.callsOn.set(group, [...(this.callsOn.get(group) ?? []), { module, scope, call, method }]);
      return;
    }
  }

  /** `app.register_blueprint(bp, url_prefix="/x")`, also in a loop over blueprints (`for bp in (a, b): ...`). */
  private indexBlueprint(receiver: ValueSite, args: SitedArgument[]): void {
    const blueprint = args.find((argument) => argument.name === 'blueprint') ?? args.find((argument) => argument.name === undefined);
    if (!blueprint) return;
    const parent = this.slots.groupOf(receiver.module, receiver.expr, receiver.scope);
    if (parent === undefined) return;
    const prefixArgument = args.find((argument) => argument.name === 'url_prefix');
    const prefix = prefixArgument ? (routeText(this.project, prefixArgument.value) ?? null) : undefined;
    let named = false;
    for (const value of this.blueprintValues(blueprint.value)) {
      const child = this.slots.groupOf(value.module, value.expr, value.scope) ?? this.constructedBlueprintGroup(value);
      if (child === undefined) continue;
      named = true;
      this.blueprintsOf.set(parent, [...(this.blueprintsOf.get(parent) ?? []), { group: child, prefix }]);
    }
    if (!named) this.unnamedRegistrations.add(parent);
  }

  /**
   * `app.register_blueprint(AuthModule(db))`: a blueprint class built where it is registered, when
   * its methods record their own routes; its group is the construction site.
   */
  private constructedBlueprintGroup({ module, scope, expr }: ValueSite): string | undefined {
    if (expr.kind !== 'call') return undefined;
    const className = this.project.resolve(module, expr.callee, scope);
    if (className === undefined || !this.project.isSubclassOf(className, BLUEPRINT_CLASSES)) return undefined;
    const group = `${module.path}:${expr.range.line}:${expr.range.column}:${className}`;
    if (this.targets.has(group)) return group;
    if (!this.indexRecordedRoutes(group, className)) return undefined;
    this.ownPrefixes.set(group, this.hasOwnConstructor(className) ? this.constructorPrefix(className, module, expr, scope) : null);
    return group;
  }

  /** The routes a blueprint class's methods record for it (`@route("/login")` of Hedy's `WebsiteModule`), as views of `group`; whether there are any. */
  private indexRecordedRoutes(group: string, className: string): boolean {
    const routes = recordedRoutes(this.project, className);
    for (const { module, method, decorator } of routes) {
      const args = sitedArguments(module, method.scope, decorator.args);
      this.addView(group, module, method, methodsArgument(this.project, args), this.ruleOf(args));
    }
    return routes.length > 0;
  }

  /**
   * What a registered blueprint may be: each item of a loop (`for bp in (a, b):`), also of a list a
   * parameter receives through helpers (`for blueprint in blueprints:`, `blueprints` handed down from
   * `create_app(blueprints=LEMUR_BLUEPRINTS)`).
   */
  private blueprintValues(site: ValueSite): ValueSite[] {
    const { module, scope, expr } = site;
    const [loop] = expr.kind === 'name' ? this.project.assignmentsOf(module, expr, scope).filter(({ assignment }) => assignment.operator === 'in') : [];
    if (loop?.assignment.unpackIndex !== undefined) return this.project.possibleValues(module, expr, scope);
    const iterated = loop?.assignment.value;
    if (loop && iterated?.kind === 'call') return this.returnedItems({ module: loop.module, scope: loop.assignment.scope, expr: iterated });
    if (!loop || iterated?.kind !== 'name' || loop.module.symbols.lookup(iterated.id, loop.assignment.scope)?.kind !== 'parameter') return this.project.possibleValues(module, expr, scope);
    const values: ValueSite[] = [];
    const seen = new Set<string>();
    const pending = [this.slots.groupOf(loop.module, iterated, loop.assignment.scope)];
    while (pending.length > 0 && seen.size < MAX_HELPER_DEPTH) {
      const group = pending.pop();
      if (group === undefined || seen.has(group)) continue;
      seen.add(group);
      for (const argument of this.slots.argumentsPassedTo(group)) {
        const isParameter = argument.expr.kind === 'name' && argument.module.symbols.lookup(argument.expr.id, argument.scope)?.kind === 'parameter';
        if (isParameter) pending.push(this.slots.groupOf(argument.module, argument.expr, argument.scope));
        const list = dereference(this.project, argument);
        if (list.expr.kind === 'list' || list.expr.kind === 'tuple' || list.expr.kind === 'set') values.push(...list.expr.items.map((item) => ({ ...list, expr: item })));
      }
    }
    return values;
  }

  /** `for bp in get_blueprints():`: the items of the lists the scanned function returns. */
  private returnedItems(call: ValueSite): ValueSite[] {
    if (call.expr.kind !== 'call') return [];
    const name = this.project.resolve(call.module, call.expr.callee, call.scope);
    const site = name === undefined ? undefined : this.project.findDefinition(name);
    if (site?.definition.kind !== 'function') return [];
    const { module, definition } = site;
    return module.facts.returns.flatMap((statement) => {
      if (statement.scope !== definition.bodyScope || !statement.value) return [];
      const list = dereference(this.project, { module, scope: statement.scope, expr: statement.value });
      return list.expr.kind === 'list' || list.expr.kind === 'tuple' ? list.expr.items.map((item) => ({ ...list, expr: item })) : [];
    });
  }

  /** Extensions that take the app for data, mail and the like, and project classes built on them (`class SQLA(SQLAlchemy)`). */
  private isNonViewExtension(callee: string): boolean {
    return this.project.inheritsFrom(callee, (name) => {
      const packageName = name.split('.')[0] ?? '';
      return NON_VIEW_EXTENSION_PACKAGES.has(packageName) || JINJA_HELPER_PACKAGE.test(packageName) || (EXTENSION_PACKAGE.test(packageName) && !VIEW_ADDING_EXTENSION_PACKAGES.has(packageName));
    });
  }

  /**
   * A function or class of the scanned code, or a name inside it (`self.connection_class`): whatever
   * views it adds are indexed where it adds them. A class built on a library class
   * (`class Admin(flask_admin.Admin)`) may add views the scan cannot see.
   */
  private isScannedCode(callee: string): boolean {
    if (VIEW_EXTENSIONS.has(callee) || !this.project.isScannedName(callee)) return false;
    const kind = this.project.findDefinition(callee)?.definition.kind;
    return kind !== 'class' || !this.project.inheritsFrom(callee, (name) => name !== callee && !this.project.isScannedName(name) && name !== 'builtins.object');
  }

  /** `app.add_url_rule("/x", view_func=view, methods=[...])`, `view_func=ItemView.as_view("item")`. */
  private indexUrlRule(receiver: ValueSite, args: SitedArgument[]): void {
    const group = this.slots.groupOf(receiver.module, receiver.expr, receiver.scope);
    if (group === undefined) return;
    this.target(group).hasRoutes = true;
    const viewArgument = args.find((argument) => argument.name === 'view_func') ?? args.filter((argument) => argument.name === undefined)[2];
    if (!viewArgument) return;
    const methods = methodsArgument(this.project, args);
    const hasMethods = args.some((argument) => argument.name === 'methods');
    const rule = this.ruleOf(args);
    const takesHandlerClasses = this.overridesAddUrlRule(receiver);
    for (const view of this.viewFunctions(viewArgument.value.module, viewArgument.value.expr, viewArgument.value.scope, takesHandlerClasses)) {
      // Flask takes `methods=` of `add_url_rule` over the view class's own list.
      const viewMethods = view.method ? new Set([view.method]) : hasMethods ? methods : (view.methods ?? methods);
      this.addView(group, view.site.module, view.site.definition, viewMethods, rule);
    }
  }

  /** A blueprint of a project class with its own `add_url_rule`, which may turn what it is given into a view (Indico's `IndicoBlueprint` takes `RH` classes). */
  private overridesAddUrlRule(receiver: ValueSite): boolean {
    return this.project.instanceClasses(receiver.module, receiver.expr, receiver.scope).some((className) => {
      const method = this.project.findMethod(className, 'add_url_rule');
      return method !== undefined && this.project.isScannedName(method.module.symbols.definitionName(method.definition));
    });
  }

  /**
   * A function, or the methods of a class-based view named after HTTP methods; with `takesHandlerClasses`,
   * a class that has none is the view itself (a handler class the router wraps).
   */
  private viewFunctions(module: SourceModule, expr: Expr, scope: number, takesHandlerClasses = false): ViewFunction[] {
    const isAsView = expr.kind === 'call' && expr.callee.kind === 'attribute' && expr.callee.attribute === 'as_view';
    const target = isAsView && expr.callee.kind === 'attribute' ? expr.callee.object : expr;
    const name = this.project.resolve(module, target, scope);
    const site = name === undefined ? undefined : this.project.findDefinition(name);
    // `index_view = IndexView.as_view("index")`, then `view_func=index_view`.
    if (!site || !name) return isAsView ? [] : this.heldAsView(module, expr, scope);
    if (site.definition.kind === 'function') return [{ site }];
    const handlers = ['GET', ...UNSAFE_METHODS].flatMap((method) => {
      const handler = this.project.findMethod(name, method.toLowerCase());
      return handler ? [{ site: handler, method }] : [];
    });
    // A helper's \`view_func = view.as_view(endpoint)\` is forwarded as the class the caller passes.
    if (handlers.length === 0 && (isAsView || !takesHandlerClasses)) return this.dispatchedView(name);
    return handlers.length === 0 && takesHandlerClasses && !isAsView ? [{ site }] : handlers;
  }

  /** A name bound once to \`SomeView.as_view(...)\`: that class's views. */
  private heldAsView(module: SourceModule, expr: Expr, scope: number): ViewFunction[] {
    if (expr.kind !== 'name') return [];
    const assigned = this.project.assignmentsOf(module, expr, scope);
    const [only] = assigned;
    const value = only?.assignment.operator === '=' ? only.assignment.value : null;
    if (assigned.length !== 1 || value?.kind !== 'call' || value.callee.kind !== 'attribute' || value.callee.attribute !== 'as_view') return [];
    return this.viewFunctions(only!.module, value, only!.assignment.scope);
  }

  /**
   * A \`flask.views.View\` whose own \`dispatch_request\` answers every method it lists in its
   * \`methods\` class attribute (its own or a base's; GET when none is written).
   */
  private dispatchedView(className: string): ViewFunction[] {
    const dispatch = this.project.findMethod(className, 'dispatch_request');
    if (!dispatch) return [];
    return [{ site: dispatch, methods: this.classMethodsAttribute(className) }];
  }

  private classMethodsAttribute(className: string): ReadonlySet<string> | 'unknown' {
    let methods: ReadonlySet<string> | 'unknown' = new Set(['GET']);
    this.project.inheritsFrom(className, (name) => {
      const [site] = this.project.assignmentsTo(`${name}.methods`);
      if (!site?.assignment.value) return false;
      const value = { module: site.module, scope: site.assignment.scope, expr: site.assignment.value };
      methods = methodsArgument(this.project, [{ name: 'methods', value }]);
      return true;
    });
    return methods;
  }

  /** Remembers what each app is handed to: a helper or extension may add views to it. */
  private indexHandedApps(module: SourceModule, call: CallExpr, scope: number): void {
    if (!call.args.some((argument) => this.appIdentifiers.has(finalIdentifier(argument.value) ?? ''))) return;
    const callee = this.receiverName(module, call.callee, scope);
    for (const argument of call.args) {
      if (!this.appIdentifiers.has(finalIdentifier(argument.value) ?? '')) continue;
      const group = this.slots.groupOf(module, argument.value, scope);
      if (group !== undefined) this.handedTo.set(group, [...(this.handedTo.get(group) ?? []), callee]);
    }
  }

  /**
   * What a call hands its arguments to: for `ext.init_app(app)`, the extension's class; for a
   * method of an instance of a scanned class (`interface.save_session(app, ...)`), that method.
   */
  private receiverName(module: SourceModule, callee: Expr, scope: number): string {
    if (callee.kind !== 'attribute') return this.project.resolve(module, callee, scope) ?? '?';
    if (isSuperCall(callee.object)) return this.parentMethodName(module, callee.attribute, scope) ?? '?';
    const [owner] = this.project.instanceClasses(module, callee.object, scope);
    if (callee.attribute === 'init_app') return owner ?? this.project.resolve(module, callee.object, scope) ?? this.mappedClass(module, callee.object, scope) ?? '?';
    const method = owner === undefined ? undefined : this.project.findMethod(owner, callee.attribute);
    if (method) return method.module.symbols.definitionName(method.definition);
    return this.project.resolve(module, callee, scope) ?? '?';
  }

  /**
   * `SETTINGS[name]` where `SETTINGS` maps names to classes (`{"production": ProductionConfig}`):
   * one the scan cannot see into if any, else the first. `undefined` when a value is not a class name.
   */
  private mappedClass(module: SourceModule, expr: Expr, scope: number): string | undefined {
    if (expr.kind !== 'subscript') return undefined;
    const entries = mappingEntries(this.project, { module, scope, expr: expr.object }) ?? [];
    const classes = entries.map(({ value }) => this.project.resolve(value.module, value.expr, value.scope));
    if (classes.length === 0 || classes.some((className) => className === undefined || this.project.findDefinition(className)?.definition.kind !== 'class')) return undefined;
    return classes.find((className) => !this.isScannedCode(className!)) ?? classes[0];
  }

  /** `super().__init__(app)` in a method: the first base class's method of that name, scanned or not. */
  private parentMethodName(module: SourceModule, methodName: string, scope: number): string | undefined {
    const method = module.symbols.definitionOfScope(scope);
    const owner = method && module.symbols.definitionOfScope(method.scope);
    const [base] = owner?.kind === 'class' ? owner.bases.filter((argument) => argument.name === undefined && !argument.unpack) : [];
    const baseName = base && this.project.resolve(module, base.value, owner!.scope);
    if (baseName === undefined) return undefined;
    const inherited = this.project.findMethod(baseName, methodName);
    return inherited ? inherited.module.symbols.definitionName(inherited.definition) : `${baseName}.${methodName}`;
  }

  private addView(group: string, module: SourceModule, definition: Definition, methods: ReadonlySet<string> | 'unknown', route: string | undefined): void {
    const target = this.target(group);
    target.hasRoutes = true;
    const unsafe =
      (methods === 'unknown' || [...methods].some((method) => UNSAFE_METHODS.has(method))) && !onlyRedirects(this.project, module, definition) && !this.onlyReads(module, definition) && !onlyRefuses(this.project, module, definition);
    // A part the scan cannot read may say anything: the route's words are judged only when all are known.
    const guard = unsafe ? this.guardOf(group, module, definition, route !== undefined && hasUnreadPart(route) ? undefined : route, methods) : undefined;
    const guarded = guard !== undefined;
    const name = viewName(module, definition);
    const formsWithoutTokenAt = unsafe ? this.formsWithoutTokenIn(module, definition) : [];
    const mintsToken = guard === 'token-for-password' ? { issuesTokenForPassword: true as const } : {};
    const noFormMethods = guard === 'no-form-methods' ? { acceptsOnlyNoFormMethods: true as const } : {};
    target.routes.push({ module, definition, name, route, methods, guarded, ...mintsToken, ...noFormMethods, ...(formsWithoutTokenAt.length > 0 ? { formsWithoutTokenAt } : {}) });
    if (unsafe) target.views.push({ module, definition, name, range: definition.nameRange, guarded });
  }

  /**
   * A function view that looks data up and renders it, and whose body, and the project code it
   * calls, only read (see `bodyOnlyReads`): it accepts POST (a search form, a list page that also
   * takes a posted filter) and changes nothing.
   */
  private onlyReads(module: SourceModule, definition: Definition): boolean {
    if (definition.kind !== 'function' || enclosingClass(module, definition) !== undefined) return false;
    const answers = rendersLookedUpData(this.project, module, definition) || answersOnlyWithRedirect(this.project, module, definition);
    return answers && bodyOnlyReads(this.project, { module, definition });
  }

  /** The URL rule of `route("/x")`, `add_url_rule(rule="/x", ...)`: the first argument, as `routeText` spells it. */
  private ruleOf(args: SitedArgument[]): string | undefined {
    const rule = args.find((argument) => argument.name === 'rule') ?? args.find((argument) => argument.name === undefined);
    return rule && routeText(this.project, rule.value);
  }

  /**
   * A view a forged cross-site request cannot use: it validates a form that checks its own CSRF
   * token (`validate_on_submit()` exists only on FlaskForm), checks a CSRF token itself, reads its
   * body only as JSON (which a cross-site form cannot send), is authenticated by a header token, or
   * only trades an HTTP Basic password for a token.
   */
  /** What makes a forged request to the view harmless: a check it makes, or only that it trades a password for a token. */
  private guardOf(group: string, module: SourceModule, view: Definition, route: string | undefined, methods: ReadonlySet<string> | 'unknown'): 'check' | 'token-for-password' | 'no-form-methods' | undefined {
    if (this.isGuarded(module, view)) return 'check';
    if (this.issuesTokenForPassword(group, module, view, route)) return 'token-for-password';
    return acceptsOnlyNoFormMethods(methods) && credentialedCors(this.project, module) === undefined ? 'no-form-methods' : undefined;
  }

  private isGuarded(module: SourceModule, view: Definition, depth = 0): boolean {
    // A handler class that turns its base's check off is listed as exempt by the endpoint inventory; no rule reports a project's own switch.
    if (view.kind === 'class') return handlerBaseCheckOf(this.project, module, view) !== undefined;
    if (view.decorators.some((decorator) => this.isHeaderAuthentication(module, decorator.expression, view.scope))) return true;
    if (view.decorators.some((decorator) => this.validatesJsonBody(module, decorator.expression, view.scope))) return true;
    if (view.decorators.some((decorator) => this.validatesFormBeforeView(module, decorator.expression, view.scope))) return true;
    if (decoratorCsrfCheckOf(this.project, module, view) !== undefined) return true;
    if (viewChecksCsrf(this.project, module, view)) return true;
    if (helperHeaderTokenRead(this.project, module, view) !== undefined) return true;
    if (requiredHeaderOfDecorators(this.project, module, view) !== undefined) return true;
    if (readsOnlyJsonBody(this.project, module, view)) return true;
    let createsForm = false;
    let validates = false;
    for (const { call, scope } of module.facts.calls) {
      if (scope !== view.bodyScope) continue;
      const { callee } = call;
      const method = callee.kind === 'attribute' ? callee.attribute : '';
      if (method === 'validate_on_submit' && callee.kind === 'attribute' && !this.validatesWithoutToken(module, callee.object, scope)) return true;
      if (callee.kind === 'attribute' && !FORM_VALIDATIONS.has(method) && this.callsValidatingMethod(module, callee.object, method, scope)) return true;
      const name = this.project.resolve(module, callee, scope) ?? '';
      if (checksCsrfToken(name) || FORM_CONFIRMING_LIBRARY_FUNCTIONS.has(name)) return true;
      createsForm ||= (this.project.isSubclassOf(name, this.formClasses) && !this.turnsCsrfOff(name)) || this.returnsForm(name);
      validates ||= method === 'validate' || this.validatesFormPassedTo(module, call, scope, name);
    }
    return (createsForm && validates) || this.handsChangesToGuardedHelpers(module, view, depth);
  }

  /**
   * A view that hands the request to functions of the project that are guarded themselves
   * (`return vote_range(election)`, where `vote_range` writes only after `form.validate_on_submit()`),
   * and whose own code, and the other project code it calls, writes nothing the scan can see: no
   * assignment outside its own names, no session write, no library method named for a write.
   */
  private handsChangesToGuardedHelpers(module: SourceModule, view: Definition, depth: number): boolean {
    return this.helperChanges(module, view, depth) === 'behind-guard';
  }

  /** What a function (and the project code it calls, `MAX_HANDED_ON_DEPTH` deep) does that a forged request could use. */
  private helperChanges(module: SourceModule, definition: Definition, depth: number): 'nothing' | 'behind-guard' | 'unguarded' {
    if (definition.kind !== 'function' || depth >= MAX_HANDED_ON_DEPTH || assignsOutside(module, definition)) return 'unguarded';
    let verdict: 'nothing' | 'behind-guard' = 'nothing';
    const scratch = scratchNames(this.project, module, definition);
    for (const { call, scope } of module.symbols.itemsWithin(module.facts.calls, definition.bodyScope)) {
      const root = call.callee.kind === 'attribute' ? attributeRoot(call.callee.object) : undefined;
      // `targets.append(url)` on a list the function made itself reaches nothing outside it.
      if (root?.kind === 'name' && scratch.has(root.id)) continue;
      const callVerdict = this.callChanges(module, call, scope, depth);
      if (callVerdict === 'unguarded') return 'unguarded';
      if (callVerdict === 'behind-guard') verdict = 'behind-guard';
    }
    return verdict;
  }

  private callChanges(module: SourceModule, call: CallExpr, scope: number, depth: number): 'nothing' | 'behind-guard' | 'unguarded' {
    const name = this.project.resolve(module, call.callee, scope);
    if (name?.startsWith('builtins.')) return WRITING_BUILTINS.has(name) ? 'unguarded' : 'nothing';
    const site = name === undefined ? undefined : this.project.findDefinition(name);
    if (site?.definition.kind === 'function') {
      if (this.isGuarded(site.module, site.definition, depth + 1)) return 'behind-guard';
      return this.helperChanges(site.module, site.definition, depth + 1);
    }
    // A class of the project may write when made; a library's method is judged by its name.
    if (site !== undefined || WRITING_BUILTINS.has(name ?? '')) return 'unguarded';
    const method = finalIdentifier(call.callee) ?? '';
    return LIBRARY_WRITING_METHODS.has(method) ? 'unguarded' : 'nothing';
  }

  /**
   * `save_settings(form)` or `save_settings(SettingsForm())`, where `form` is a FlaskForm and the scanned `save_settings` calls
   * `form.validate()` (or `validate_on_submit()`) on that parameter: the view's form is validated, one
   * call deep.
   */
  private validatesFormPassedTo(module: SourceModule, call: CallExpr, scope: number, calleeName: string): boolean {
    if (call.args.length === 0) return false;
    const site = this.project.findDefinition(calleeName);
    if (site?.definition.kind !== 'function') return false;
    const parameters = site.definition.parameters.filter((parameter, index) => index > 0 || !['self', 'cls'].includes(parameter.name));
    // A form in a name (`save_settings(form)`) or made in the call (`save_settings(SettingsForm())`).
    const isForm = (argument: Expr) => (argument.kind === 'name' || argument.kind === 'call') && this.project.instanceClasses(module, argument, scope).some((className) => this.project.isSubclassOf(className, this.formClasses) && !this.turnsCsrfOff(className));
    return call.args.some((argument, position) => {
      if (argument.unpack || !isForm(argument.value)) return false;
      const parameter = argument.name ?? (call.args.slice(0, position).some((earlier) => earlier.name !== undefined || earlier.unpack) ? undefined : parameters[position]?.name);
      return parameter !== undefined && validatesParameter(site.module, site.definition, parameter);
    });
  }

  /** A form whose class turns its CSRF check off (`class Meta: csrf = False`): validating it checks no token. */
  private validatesWithoutToken(module: SourceModule, form: Expr, scope: number): boolean {
    return this.project.instanceClasses(module, form, scope).some((className) => this.turnsCsrfOff(className));
  }

  /** A form class, or a scanned ancestor, whose `class Meta` sets `csrf` to a false value. */
  private turnsCsrfOff(className: string): boolean {
    return this.csrfTurnedOffAt(className) !== undefined;
  }

  /** Where a form class, or a scanned ancestor, sets `csrf` to a false value in its `class Meta`. */
  private csrfTurnedOffAt(className: string): { module: SourceModule; line: number } | undefined {
    let place: { module: SourceModule; line: number } | undefined;
    this.project.inheritsFrom(className, (name) => {
      const site = this.project.findDefinition(name);
      if (site?.definition.kind !== 'class') return false;
      const { module, definition } = site;
      const metas = module.facts.definitions.filter((meta) => meta.kind === 'class' && meta.name === 'Meta' && meta.scope === definition.bodyScope);
      const switchedOff = module.facts.assignments.find(
        (assignment) =>
          metas.some((meta) => assignment.scope === meta.bodyScope) &&
          assignment.target.kind === 'name' &&
          assignment.target.id === 'csrf' &&
          assignment.value !== null &&
          truthiness(this.project, { module, scope: assignment.scope, expr: assignment.value }) === 'falsy',
      );
      if (switchedOff) place = { module, line: switchedOff.range.line };
      return place !== undefined;
    });
    return place;
  }

  /** The forms a view builds (`QuickNoteForm()`) whose class turns the CSRF check off: where it does. */
  private formsWithoutTokenIn(module: SourceModule, view: Definition): Array<{ module: SourceModule; line: number }> {
    return module.facts.calls.flatMap(({ call, scope }) => {
      if (scope !== view.bodyScope) return [];
      const name = this.project.resolve(module, call.callee, scope) ?? '';
      const place = this.project.isSubclassOf(name, this.formClasses) ? this.csrfTurnedOffAt(name) : undefined;
      return place ? [place] : [];
    });
  }

  /** A scanned helper that returns a new form (`return ProjectForm()`, or `form = BillForm(); ...; return form`), whose `validate()` then checks the token. */
  private returnsForm(functionName: string): boolean {
    const site = this.project.findDefinition(functionName);
    if (site?.definition.kind !== 'function') return false;
    const { module, definition } = site;
    return module.facts.returns.some(
      (statement) =>
        statement.scope === definition.bodyScope &&
        statement.value !== null &&
        this.project.instanceClasses(module, statement.value, statement.scope).some((className) => this.project.isSubclassOf(className, this.formClasses)),
    );
  }

  /**
   * A decorator of the project that validates a form before it calls the view it wraps
   * (`form = ConfirmationForm(); if form.validate_on_submit(): return function(*args, **kwargs)`, or
   * iris-web's `form = FlaskForm(); if not form.validate(): return response_error(...)`):
   * a function inside it calls `validate_on_submit()` or `validate()` on a FlaskForm that checks its token, and
   * then, on a later line, a parameter of the decorator or of a function around the wrapper: the view.
   */
  private validatesFormBeforeView(module: SourceModule, decorator: Expr, scope: number): boolean {
    const name = this.project.resolve(module, decorator.kind === 'call' ? decorator.callee : decorator, scope);
    const site = name === undefined ? undefined : this.project.findDefinition(name);
    if (site?.definition.kind !== 'function') return false;
    const { module: home, definition } = site;
    const scopes = home.symbols.scopesWithin(definition.bodyScope);
    const functions = [definition, ...home.facts.definitions.filter((inner) => inner.kind === 'function' && scopes.has(inner.scope))];
    const parameters = new Set(functions.flatMap((inner) => inner.parameters.map((parameter) => parameter.name)));
    return functions.some((wrapper) => {
      const calls = home.facts.calls.filter((call) => call.scope === wrapper.bodyScope);
      const validation = calls.find(({ call, scope: at }) => call.callee.kind === 'attribute' && FORM_VALIDATIONS.has(call.callee.attribute) && this.validatesTokenOf(home, call.callee.object, at));
      if (!validation) return false;
      return calls.some(({ call }) => call.callee.kind === 'name' && parameters.has(call.callee.id) && call.range.line > validation.call.range.line);
    });
  }

  /** `form.validate_or_flash()`: a method of the project's form class that validates the form, on a form that checks its token. */
  private callsValidatingMethod(module: SourceModule, form: Expr, method: string, scope: number): boolean {
    if (!this.projectFormMethods().has(method) || !this.validatesTokenOf(module, form, scope)) return false;
    return this.project.instanceClasses(module, form, scope).every((className) => methodValidatesForm(this.project, className, method));
  }

  private projectFormMethods(): Set<string> {
    if (this.formMethodNames) return this.formMethodNames;
    this.formMethodNames = new Set();
    for (const className of this.project.classFamily(this.formClasses)) {
      const site = this.project.findDefinition(className);
      if (site?.definition.kind !== 'class') continue;
      const { module, definition } = site;
      for (const method of module.facts.definitions) if (method.kind === 'function' && method.scope === definition.bodyScope) this.formMethodNames.add(method.name);
    }
    return this.formMethodNames;
  }

  /** A FlaskForm instance whose class keeps its CSRF check. */
  private validatesTokenOf(module: SourceModule, form: Expr, scope: number): boolean {
    const classes = this.project.instanceClasses(module, form, scope);
    return classes.length > 0 && classes.every((className) => this.project.isSubclassOf(className, this.formClasses) && !this.turnsCsrfOff(className));
  }

  /**
   * quart-schema's `@validate_request(Model)`: the view gets its body parsed from JSON, and rejects
   * anything else, unless told to read a form (`source=DataSource.FORM`, or `form=True` before 0.17).
   */
  private validatesJsonBody(module: SourceModule, decorator: Expr, scope: number): boolean {
    if (decorator.kind !== 'call' || !JSON_BODY_VALIDATORS.has(this.project.resolve(module, decorator.callee, scope) ?? '')) return false;
    const source = decorator.args.find((argument) => argument.name === 'source');
    const form = decorator.args.find((argument) => argument.name === 'form');
    const readsJson = !source || (source.value.kind === 'attribute' && source.value.attribute === 'JSON');
    return readsJson && (!form || (form.value.kind === 'constant' && form.value.value === false));
  }

  /**
   * `@basic_auth.login_required` on a view named for a token (`POST /tokens`, `get_token`): the way
   * an API client trades its password for a token. A forged request could make a browser that has
   * the password cached mint a token, but the response, and the token in it, cannot be read by
   * another origin, and minting one changes nothing the attacker can use.
   */
  private issuesTokenForPassword(group: string, module: SourceModule, view: Definition, route: string | undefined): boolean {
    if (!TOKEN_NAME.test(view.name) && !TOKEN_NAME.test(route ?? '')) return false;
    return this.isBasicLoginRequired(module, view) || this.groupsBehindBasicLogin().has(group);
  }

  private isBasicLoginRequired(module: SourceModule, definition: Definition): boolean {
    return definition.decorators.some(({ expression }) => {
      const target = expression.kind === 'call' ? expression.callee : expression;
      return target.kind === 'attribute' && target.attribute === 'login_required' && this.project.isInstanceOf(module, target.object, definition.scope, BASIC_AUTH_CLASSES);
    });
  }

  /** Apps and blueprints whose `before_request` hook requires an HTTP Basic login (`@api.before_request @auth.login_required`): every view of theirs does. */
  private groupsBehindBasicLogin(): Set<string> {
    if (this.basicLoginGroups) return this.basicLoginGroups;
    this.basicLoginGroups = new Set();
    for (const module of this.project.modules) {
      for (const definition of module.facts.definitions) {
        if (definition.kind !== 'function' || !this.isBasicLoginRequired(module, definition)) continue;
        for (const { expression } of definition.decorators) {
          if (expression.kind !== 'attribute' || expression.attribute !== 'before_request') continue;
          const group = this.project.resolve(module, expression.object, definition.scope);
          if (group !== undefined) this.basicLoginGroups.add(group);
        }
      }
    }
    return this.basicLoginGroups;
  }

  /**
   * `@token_auth.login_required` of Flask-HTTPAuth's `HTTPTokenAuth`, `@jwt_required()`, or a
   * decorator of the project's that calls Flask-JWT-Extended's `verify_jwt_in_request()`; not a JWT
   * read from a cookie whose CSRF check the project turned off (see `jwtCookiesUnchecked`).
   */
  private isHeaderAuthentication(module: SourceModule, decorator: Expr, scope: number): boolean {
    const target = decorator.kind === 'call' ? decorator.callee : decorator;
    const name = this.project.resolve(module, target, scope) ?? '';
    if (HEADER_AUTH_DECORATORS.has(name)) return !name.startsWith('flask_jwt_extended.') || !this.jwtCookiesUnchecked(module.projectRoot);
    if (this.verifiesJwt(name)) return !this.jwtCookiesUnchecked(module.projectRoot);
    return target.kind === 'attribute' && target.attribute === 'login_required' && this.project.isInstanceOf(module, target.object, scope, HEADER_AUTH_CLASSES);
  }

  /** A decorator of the project whose body (or its wrapper's) calls `verify_jwt_in_request()`, not with `optional=True`. */
  private verifiesJwt(decoratorName: string): boolean {
    const site = this.project.isScannedName(decoratorName) ? this.project.findDefinition(decoratorName) : undefined;
    if (site?.definition.kind !== 'function') return false;
    const { module, definition } = site;
    return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).some(
      ({ call, scope }) => JWT_VERIFIERS.has(this.project.resolve(module, call.callee, scope) ?? '') && !call.args.some((argument) => argument.name === 'optional'),
    );
  }

  /**
   * Flask-JWT-Extended reads the JWT from a cookie (`JWT_TOKEN_LOCATION` holds `"cookies"`) and its
   * own double-submit check is off (`JWT_COOKIE_CSRF_PROTECT = False`): the browser sends the JWT by
   * itself and nothing checks where the request came from. Read once per project root.
   */
  private jwtCookiesUnchecked(projectRoot: string): boolean {
    let unchecked = this.jwtCookiesUncheckedByRoot.get(projectRoot);
    if (unchecked === undefined) {
      unchecked = jwtCookiesWithoutCsrfCheck(this.project, projectRoot);
      this.jwtCookiesUncheckedByRoot.set(projectRoot, unchecked);
    }
    return unchecked;
  }
}

/** The groups, and the parameter groups of the helpers their apps are passed to, transitively. */
export function groupsReached(slots: SlotResolver, groups: Iterable<string>): Set<string> {
  return reachableFrom(groups, (group) => slots.parametersReached(group));
}

function isSuperCall(expr: Expr): boolean {
  return expr.kind === 'call' && expr.callee.kind === 'name' && expr.callee.id === 'super';
}

/** `show_post`, or `Subscription.delete` for a method; nested view functions by their own name. */
export function viewName(module: SourceModule, definition: Definition): string {
  const owner = module.symbols.definitionOfScope(definition.scope);
  return owner?.kind === 'class' ? `${owner.name}.${definition.name}` : definition.name;
}

/** A view routed twice (two stacked `@app.route`) is one view. */
function uniqueViews(views: UnsafeView[]): UnsafeView[] {
  const seen = new Set<string>();
  return views.filter((view) => {
    const key = `${view.module.path}:${view.range.line}:${view.range.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}


/** The methods a route decorator accepts: `route(methods=[...])` (GET by default), `post(...)`, ...; `undefined` if it is no route. */
function isRouteMethodName(name: string): boolean {
  return name === 'route' || METHOD_DECORATORS.has(name);
}

/** The HTTP methods of a route decorator `<router>.<attribute>(...args)`; `undefined` when it is no route decorator. */
function routeMethods(project: Project, module: SourceModule, scope: number, attribute: string, args: Argument[]): ReadonlySet<string> | 'unknown' | undefined {
  if (attribute === 'route') return methodsArgument(project, sitedArguments(module, scope, args));
  const method = METHOD_DECORATORS.get(attribute);
  return method && args.length > 0 ? new Set([method]) : undefined;
}

function methodsArgument(project: Project, args: SitedArgument[]): ReadonlySet<string> | 'unknown' {
  const methods = args.find((argument) => argument.name === 'methods');
  if (!methods) return new Set(['GET']);
  const { value } = methods;
  if (value.expr.kind !== 'list' && value.expr.kind !== 'tuple' && value.expr.kind !== 'set') return 'unknown';
  const names = value.expr.items.map((item) => stringValue(project, { ...value, expr: item })?.toUpperCase());
  return names.every((name) => name !== undefined) ? new Set(names as string[]) : 'unknown';
}

/** A blueprint's rule under the prefixes it is registered with, as Flask joins them. */
/** Flask joins a blueprint's prefix and a rule with one slash, and keeps the slash of a rule that is only `/`: `/notes` and `/` give `/notes/`. */
function prefixedRule(prefix: string | null, rule: string | undefined): string | undefined {
  if (rule === undefined) return undefined;
  const joined = joinPrefix(prefix, rule);
  return rule === '/' && !joined.endsWith('/') ? `${joined}/` : joined;
}

function joinPrefix(prefix: string | null, path: string | null): string {
  return joinUrlPath(prefix ?? UNKNOWN_PREFIX, path ?? UNKNOWN_PREFIX);
}

/** In a project root, `JWT_TOKEN_LOCATION` includes `"cookies"` and `JWT_COOKIE_CSRF_PROTECT` is set false, outside tests. */
function jwtCookiesWithoutCsrfCheck(project: Project, projectRoot: string): boolean {
  const writes = flaskConfigWrites(project, new Set(['JWT_TOKEN_LOCATION', 'JWT_COOKIE_CSRF_PROTECT'])).filter(
    (write) => write.context !== 'test' && write.value.module.projectRoot === projectRoot,
  );
  const inCookies = writes.some((write) => write.key === 'JWT_TOKEN_LOCATION' && locations(project, write.value).includes('cookies'));
  return inCookies && writes.some((write) => write.key === 'JWT_COOKIE_CSRF_PROTECT' && truthiness(project, write.value) === 'falsy');
}

/** `"cookies"` or `["headers", "cookies"]`: the locations a setting names. */
function locations(project: Project, site: ValueSite): string[] {
  const value = dereference(project, site);
  if (value.expr.kind !== 'list' && value.expr.kind !== 'tuple' && value.expr.kind !== 'set') return [stringValue(project, value) ?? ''];
  return value.expr.items.map((item) => stringValue(project, { ...value, expr: item }) ?? '');
}

/** The function calls `validate()` or `validate_on_submit()` on one of its parameters. */
function validatesParameter(module: SourceModule, definition: Definition, parameter: string): boolean {
  return module.facts.calls.some(
    ({ call, scope }) =>
      scope === definition.bodyScope &&
      call.callee.kind === 'attribute' &&
      (call.callee.attribute === 'validate' || call.callee.attribute === 'validate_on_submit') &&
      call.callee.object.kind === 'name' &&
      call.callee.object.id === parameter,
  );
}

/**
 * A route whose methods are known and take no POST: its unsafe methods (\`PUT\`, \`PATCH\`, \`DELETE\`) are
 * ones no HTML form sends, and a script on another origin sends them with cookies only after a CORS
 * preflight the app answers. Pritunl's \`DELETE /auth/session\`, quay's registry \`PUT\`s.
 */
function acceptsOnlyNoFormMethods(methods: ReadonlySet<string> | 'unknown'): boolean {
  return methods !== 'unknown' && !methods.has('POST') && [...methods].some((method) => UNSAFE_METHODS.has(method));
}
