import type { CallExpr, Definition, Expr, SourceRange } from '../../python/facts.js';
import { describeExpr } from '../../python/describe.js';
import { MODULE_SCOPE } from '../../python/facts.js';
import { adminViewOverride, djangoAdminSite, type DjangoAdminSite } from './admin.js';
import { djangoCsrfVerdict } from './csrf-verdict.js';
import type { MiddlewareSetting } from './settings.js';
import { DJANGO } from '../../project/known-names.js';
import type { DefinitionSite, Project } from '../../project/project.js';
import { type CrudlRoute, crudlRoutes } from './smartmin-crudl.js';
import { isSelf, returnedPatterns, selfAttributeValue, urlsProperty, urlSiteClass } from './url-sites.js';
import { AUTH_URL_ROUTES, AUTH_URLS_MODULE, type AuthView, authViewNamed } from './auth-views.js';
import type { SourceModule } from '../../project/source-module.js';
import { builtListItems, dereference, mappingEntries, stringValue, truthiness, type ValueSite } from '../../project/values.js';
import { routeText } from '../../project/route-text.js';
import { ANY_METHOD, type AppSite, type Credentials, type Place, type Protection, type RoutedEndpoint, sortedMethods } from '../../endpoints/endpoint.js';
import { credentialsColumn } from '../../endpoints/apps.js';
import { handlerHeaderTokenRead, takesBasicPassword } from '../../project/view-bodies.js';
import { classMethods, libraryAncestors, viewSetRouteMethods } from '../../endpoints/class-views.js';
import { lookupName, viewSetActions } from '../drf/viewset-actions.js';
import { NinjaRoutes } from '../ninja/routes.js';
import { urlPatternCall } from './url-wrappers.js';
import { answersEveryMethod } from './method-blind-dispatch.js';
import { type JwtCookieSetting, jwtCookieSettings } from '../drf/jwt-cookies.js';
import { challengesForBasic } from '../drf/authentication-lists.js';
import { type AuthenticationClasses, decoratorAuthentication, DRF_DEFAULT_AUTHENTICATION, drfCredentialOf, settingsAuthentication, viewClassAuthentication } from '../drf/authentication.js';

const INCLUDE = new Set(['django.urls.include', 'django.urls.conf.include', 'django.conf.urls.include']);
const AS_VIEW = 'as_view';
const MAX_INCLUDE_DEPTH = 12;

const HTTP_DECORATORS = new Map<string, string[]>([
  ['django.views.decorators.http.require_POST', ['POST']],
  ['django.views.decorators.http.require_GET', ['GET']],
  ['django.views.decorators.http.require_safe', ['GET', 'HEAD']],
]);
const REQUIRE_METHODS = 'django.views.decorators.http.require_http_methods';
const CSRF_PROTECT = 'django.views.decorators.csrf.csrf_protect';
const API_VIEW = 'rest_framework.decorators.api_view';
/** DRF's viewset classes: what a router registers. */
const DRF_VIEWSETS = new Set(['ViewSetMixin', 'ViewSet', 'GenericViewSet', 'ModelViewSet', 'ReadOnlyModelViewSet'].map((name) => `rest_framework.viewsets.${name}`));
/** DRF's defaults, when neither the view nor the settings name its authentication classes. */

/** What Django's settings say of every view of a project root: the CSRF middleware, and sessions. */
interface SettingsVerdict {
  protection: Protection;
  credentials: Credentials;
}

/** `django.contrib.auth`'s decorators that let only a signed-in user through. */
const LOGIN_DECORATORS = new Set([
  'django.contrib.auth.decorators.login_required',
  'django.contrib.auth.decorators.permission_required',
  'django.contrib.auth.decorators.user_passes_test',
  'django.contrib.admin.views.decorators.staff_member_required',
]);

/** `django.contrib.auth`'s class-based view mixins that let only a signed-in user through. */
const LOGIN_MIXINS = new Set(['django.contrib.auth.mixins.LoginRequiredMixin', 'django.contrib.auth.mixins.PermissionRequiredMixin', 'django.contrib.auth.mixins.UserPassesTestMixin']);

/**
 * The endpoints of every Django URL conf of the project: `urlpatterns` lists of `path()`,
 * `re_path()` and `url()`, followed through `include()` (a module name, a module, a list, a DRF
 * router's `urls`), with the views they route (functions, `View.as_view()`, wrapped views).
 */
export function djangoEndpoints(project: Project): RoutedEndpoint[] {
  return routedViews(project, 'judged');
}

/**
 * The same rows with the view's place and route only: what protects each and how browsers sign in
 * to it are left unjudged (\`unknown\`), and a view's methods unread (\`ANY\`) but for a viewset's,
 * which decide its routes. Where a view is routed is all a rule asks of the tree, and the settings
 * verdict and the handler lookups are most of its cost, paid again after each edit in an editor.
 */
export function djangoRoutes(project: Project): RoutedEndpoint[] {
  return routedViews(project, 'routes only');
}

/**
 * Whether the scan reads every route to a function view: some settings module names its
 * \`ROOT_URLCONF\` as a string, every one so named is a scanned URL conf, and walking every URL conf
 * met no \`include()\` of the project's it could not follow and no view it could not place (a
 * library's URL conf, \`include("health_check.urls")\`, cannot route the project's views). Only then
 * does "no pattern routes this function" mean anything.
 */
export function djangoUrlTreeComplete(project: Project): boolean {
  const confs = project.modules.filter(isUrlConf);
  const roots = rootUrlConfs(project);
  if (roots === undefined || roots.length === 0 || !roots.every((root) => confs.includes(root))) return false;
  const walker = new UrlConfWalker(project, 'routes only');
  const included = new Set(confs.flatMap((conf) => walker.includedModules(conf)));
  for (const root of confs.filter((conf) => !included.has(conf))) walker.walk(root);
  return walker.readEveryFunctionRoute();
}

/** The modules \`ROOT_URLCONF\` names in settings; \`undefined\` when one names a module outside the scan or is no string. */
function rootUrlConfs(project: Project): SourceModule[] | undefined {
  const roots: SourceModule[] = [];
  for (const module of project.modules) {
    for (const { target, value, scope } of module.facts.assignments) {
      if (scope !== MODULE_SCOPE || target.kind !== 'name' || target.id !== 'ROOT_URLCONF' || !value) continue;
      const name = stringValue(project, { module, scope, expr: value });
      const root = name === undefined ? undefined : project.moduleNamed(name, module);
      if (!root) return undefined;
      roots.push(root);
    }
  }
  return roots;
}

function routedViews(project: Project, depth: WalkDepth): RoutedEndpoint[] {
  const confs = project.modules.filter(isUrlConf);
  if (confs.length === 0 && !project.usesPackage('ninja')) return [];
  const walker = new UrlConfWalker(project, depth);
  const included = new Set<SourceModule>();
  // A reusable app's URL conf that only its test project includes (django-wiki's `wiki.urls`) is still served in production.
  for (const conf of confs) for (const module of walker.includedModules(conf)) if (conf.context !== 'test' || module.context === 'test') included.add(module);
  const routed = confs.filter((conf) => !included.has(conf)).flatMap((root) => withoutUnreadPrefixCopies(walker.walk(root)));
  return [...routed, ...walker.unroutedNinjaEndpoints(), ...walker.dynamicallyRegisteredViewSets(routed)];
}

/**
 * A child's route after the prefix of the entry that includes it, as Django matches it: the child's
 * pattern continues where the prefix's match ended, so a regex child's `^` anchors nothing there
 * (`^api/` and `^items/$` are `^api/items/$`, `orders/` and `^export/$` are `orders/export/$`), nor
 * does a `$` the prefix ends with before a child that continues the path.
 */
function withoutTrailingSlash(route: string): string {
  return route.endsWith('/') ? route.slice(0, -1) : route;
}

/**
 * What a DRF router ends its routes with: \`/\`, or nothing for \`DefaultRouter(trailing_slash=False)\`
 * (DRF: \`"/" if trailing_slash else ""\`). The router is the one name bound to its construction; a
 * value the scan cannot tell is \`{trailing_slash}\`.
 */
function routerTrailingSlash(project: Project, router: string): string {
  const assignments = project.assignmentsTo(router);
  const [only] = assignments;
  const construction = assignments.length === 1 ? only?.assignment.value : undefined;
  if (!only || construction?.kind !== 'call') return '/';
  const argument = construction.args.find((candidate) => candidate.name === 'trailing_slash') ?? construction.args.find((candidate) => !candidate.name && !candidate.unpack);
  if (!argument) return '/';
  const state = truthiness(project, { module: only.module, scope: only.assignment.scope, expr: argument.value });
  return state === 'truthy' ? '/' : state === 'falsy' ? '' : '{trailing_slash}';
}

function joinedRoute(prefix: string, route: string): string {
  if (prefix === '') return route;
  const child = route.startsWith('^') ? route.slice(1) : route;
  const parent = prefix.endsWith('$') && child !== '' ? prefix.slice(0, -1) : prefix;
  return parent + child;
}

/**
 * `if url_prefix: urlpatterns = [re_path(f"^{url_prefix}/", include(urls))] else: urlpatterns = urls`:
 * the same view under a prefix the scan cannot read (`{url_prefix}/login/`) and without it
 * (`login/`) is one endpoint, listed by the route it has when no prefix is set.
 */
function withoutUnreadPrefixCopies(endpoints: RoutedEndpoint[]): RoutedEndpoint[] {
  const key = (endpoint: RoutedEndpoint, route: string) => `${endpoint.module.path}\0${endpoint.definition.range.line}\0${endpoint.methods.join(',')}\0${withoutAnchor(route)}`;
  const readable = new Set(endpoints.flatMap((endpoint) => (endpoint.route === null || afterUnreadPrefix(endpoint.route) !== undefined ? [] : [key(endpoint, endpoint.route)])));
  return endpoints.filter((endpoint) => {
    const rest = endpoint.route === null ? undefined : afterUnreadPrefix(endpoint.route);
    return rest === undefined || !readable.has(key(endpoint, rest));
  });
}

/** The route after a leading part the scan cannot read (`…`, `{url_prefix}/`); `undefined` when it has none. */
function afterUnreadPrefix(route: string): string | undefined {
  const unanchored = withoutAnchor(route);
  if (unanchored.startsWith('…')) return unanchored.slice(1);
  const end = unanchored.startsWith('{') ? unanchored.indexOf('}') : -1;
  if (end < 0) return undefined;
  return unanchored.slice(unanchored.charAt(end + 1) === '/' ? end + 2 : end + 1);
}

function withoutAnchor(route: string): string {
  return route.startsWith('^') ? route.slice(1) : route;
}

/**
 * The methods a function view's `@require_GET`, `@require_safe`, `@require_POST` or
 * `@require_http_methods([...])` lets through; `undefined` when none says, or the list cannot be read.
 */
export function requiredHttpMethods(project: Project, module: SourceModule, definition: Definition): string[] | undefined {
  for (const { expression } of definition.decorators) {
    const target = expression.kind === 'call' ? expression.callee : expression;
    const name = project.resolve(module, target, definition.scope) ?? '';
    const fixed = HTTP_DECORATORS.get(name);
    if (fixed) return fixed;
    if (name !== REQUIRE_METHODS || expression.kind !== 'call' || !expression.args[0]) continue;
    const value = dereference(project, { module, scope: definition.scope, expr: expression.args[0].value });
    if (value.expr.kind !== 'list' && value.expr.kind !== 'tuple') return undefined;
    const items = value.expr.items.map((item) => stringValue(project, { ...value, expr: item })?.toUpperCase());
    return items.every((item) => item !== undefined) ? (items as string[]) : undefined;
  }
  return undefined;
}

function isUrlConf(module: SourceModule): boolean {
  return module.facts.assignments.some(({ scope, target }) => scope === MODULE_SCOPE && target.kind === 'name' && target.id === 'urlpatterns');
}

interface Visit {
  app: AppSite;
  /** The URL conf the walk began at: the settings of its project serve every view it routes, wherever the view is defined. */
  root: SourceModule;
  prefix: string;
  exemptedAt: Place[];
  depth: number;
  seen: Set<SourceModule>;
  /** The `path(...)` entry being walked: where a view with no definition of its own (an admin site) is routed. */
  entryRange?: SourceRange;
  /** The entries whose `include(...)` led here: a list that includes itself is walked once. */
  enclosingEntries?: ReadonlySet<Expr>;
  /** The URL site class whose methods built these patterns: what `self.article_view` is read on. */
  selfClass?: string;
  /** Registered on a DRF router (`router.register(...)`): a viewset is routed as the router routes it. */
  routerRegistered?: boolean;
  /** `ViewSet.as_view({"get": "list", "post": "create"})`: the methods its mapping binds to actions. */
  actionMethods?: string[];
  /** How the router that registered the viewset ends its routes, and whether it registered it under an empty prefix. */
  routerEnding?: RouterEnding;
}

/** `DefaultRouter(trailing_slash=False)` ends its routes with no slash; a value the scan cannot read is shown as `{trailing_slash}`. */
interface RouterEnding {
  trailingSlash: string;
  emptyPrefix: boolean;
}

/** Whether the walk judges each view's protection, credentials and methods, or finds its routes only. */
type WalkDepth = 'judged' | 'routes only';

const UNJUDGED: SettingsVerdict = { protection: { state: 'unknown', check: 'not judged: routes only' }, credentials: 'unknown' };

class UrlConfWalker {
  private readonly verdicts = new Map<string, SettingsVerdict>();
  private readonly drfDefaults = new Map<string, AuthenticationClasses>();
  private jwtCookies: JwtCookieSetting[] | undefined;
  /** Viewsets a router routes, whose rows may all be their actions'. */
  private readonly routedViewSets = new Set<Definition>();
  private readonly routerRegistrations = new Map<string, Array<{ site: ValueSite; prefix: string | undefined }>>();
  private readonly ninja: NinjaRoutes;
  private readonly routedNinjaApis = new Set<string>();
  /** A `register(prefix, viewset)` call whose viewset is only known at run time (`self.viewset`, a loop's item). */
  private registersDynamically = false;
  /** Where a router's `urls` is included whose registrations the scanned code does not show. */
  private unknownRouterVisit: Visit | undefined;
  /** An \`include()\` the walk could not follow, or a view it could not place: routes may be missing. */
  private missedSomething = false;

  constructor(
    private readonly project: Project,
    private readonly depth: WalkDepth,
  ) {
    this.indexRouterRegistrations();
    this.ninja = new NinjaRoutes(project);
  }

  /** \`include("health_check.urls")\`: a URL conf of a package outside the scanned code, which cannot route the project's views. */
  private includesLibraryConf(include: ValueSite): boolean {
    const [first] = include.expr.kind === 'call' ? include.expr.args : [];
    const named = first && !first.name ? stringValue(this.project, { ...include, expr: first.value }) : undefined;
    return named !== undefined && this.project.moduleNamed(named.split('.')[0]!, include.module) === undefined;
  }

  /**
   * Whether every include and view met so far was read. A router whose registrations are not seen
   * routes viewsets only, classes, never a function view: it does not count.
   */
  readEveryFunctionRoute(): boolean {
    return !this.missedSomething;
  }

  walk(root: SourceModule): RoutedEndpoint[] {
    const anchor = root.facts.assignments.find(({ scope, target }) => scope === MODULE_SCOPE && target.kind === 'name' && target.id === 'urlpatterns');
    const app: AppSite = { name: root.name, framework: 'django', anchor: { file: root, line: anchor?.range.line ?? 1 } };
    const endpoints: RoutedEndpoint[] = [];
    this.walkConf(root, { app, root, prefix: '', exemptedAt: [], depth: 0, seen: new Set() }, endpoints);
    return endpoints;
  }

  /** The URL conf modules a conf includes, at any depth. */
  includedModules(conf: SourceModule): SourceModule[] {
    const found: SourceModule[] = [];
    for (const entry of this.entriesOf(conf)) this.collectIncludes(entry, found, 0);
    return found;
  }

  private collectIncludes(entry: ValueSite, found: SourceModule[], depth: number): void {
    if (depth > MAX_INCLUDE_DEPTH || entry.expr.kind !== 'call') return;
    const view = this.viewArgument(entry);
    if (!view || view.expr.kind !== 'call' || !INCLUDE.has(this.resolve(view, view.expr.callee))) return;
    const target = this.includedTarget(view);
    if (target && 'module' in target && target.kind === 'module') found.push(target.module);
    if (target?.kind === 'list') for (const item of target.items) this.collectIncludes(item, found, depth + 1);
  }

  private walkConf(conf: SourceModule, visit: Visit, endpoints: RoutedEndpoint[]): void {
    if (visit.seen.has(conf) || visit.depth > MAX_INCLUDE_DEPTH) return;
    const seen = new Set(visit.seen).add(conf);
    for (const entry of this.entriesOf(conf)) this.walkEntry(entry, { ...visit, seen }, endpoints);
  }

  /** The items of `urlpatterns`, however the conf builds it (`= [...]`, `+=`, `.append(...)`, `i18n_patterns(*urls)`, a helper's patterns). */
  private entriesOf(conf: SourceModule): ValueSite[] {
    const read = new Set<object>();
    return conf.facts.assignments
      .filter(({ scope, target }) => scope === MODULE_SCOPE && target.kind === 'name' && target.id === 'urlpatterns')
      .flatMap(({ target }) => this.listItems({ module: conf, scope: MODULE_SCOPE, expr: target }, read));
  }

  private listItems(site: ValueSite, read = new Set<object>()): ValueSite[] {
    return builtListItems(this.project, site, (call) => this.patternsGivenBy(call, read), 0, read);
  }

  /**
   * What a call among the patterns gives back, unless it is a `path()`: the patterns it is handed
   * (`i18n_patterns(*urls)`, a project's `decorated_patterns([login_required], path(...))`) and,
   * for a scanned function, the patterns it returns.
   */
  private patternsGivenBy(site: ValueSite, read: Set<object>): ValueSite[] | undefined {
    const { expr } = site;
    if (expr.kind !== 'call') return undefined;
    if (urlPatternCall(this.project, site.module, expr.callee, site.scope)) return undefined;
    const callee = this.resolve(site, expr.callee);
    if (crudlRoutes(this.project, site)) return undefined;
    const handed = expr.args.filter((argument) => argument.name === undefined).flatMap((argument) => this.listItems({ ...site, expr: argument.value }, read));
    const helper = this.project.findDefinition(callee);
    if (helper?.definition.kind !== 'function' || read.has(helper.definition)) return handed;
    read.add(helper.definition);
    const { module, definition } = helper;
    const returned = module.facts.returns.filter((statement) => statement.scope === definition.bodyScope && statement.value).flatMap((statement) => this.listItems({ module, scope: statement.scope, expr: statement.value! }, read));
    return [...handed, ...returned];
  }

  private walkEntry(entry: ValueSite, visit: Visit, endpoints: RoutedEndpoint[]): void {
    // `urlpatterns = [path(prefix, include(urlpatterns))]` includes the list it is part of.
    if (visit.depth > MAX_INCLUDE_DEPTH || visit.enclosingEntries?.has(entry.expr)) return;
    visit = { ...visit, enclosingEntries: new Set(visit.enclosingEntries).add(entry.expr) };
    const { expr } = entry;
    if (expr.kind === 'attribute' && expr.attribute === 'urls') return this.walkRouter(entry, visit, endpoints);
    const crudl = crudlRoutes(this.project, entry);
    if (crudl) return void endpoints.push(...this.crudlEndpoints(crudl, visit));
    const pattern = expr.kind === 'call' ? urlPatternCall(this.project, entry.module, expr.callee, entry.scope) : undefined;
    if (expr.kind !== 'call' || !pattern) return;
    const routeArgument = expr.args.find((argument) => argument.name === 'route' || argument.name === 'regex') ?? expr.args.find((argument) => !argument.name && !argument.unpack);
    const written = routeArgument ? routeText(this.project, { ...entry, expr: routeArgument.value }) : undefined;
    // A wrapper that rewrites the pattern (adds a prefix from the settings) routes it under a part the scan cannot read.
    const route = written !== undefined && pattern.rewritesRoute ? `…${written.replace(/^\^/, '')}` : written;
    const view = this.viewArgument(entry);
    if (!view) return;
    // Two unread parts in a row read as one.
    const prefix = joinedRoute(visit.prefix, route ?? '…').replace(/…{2,}/g, '…');
    this.walkView(view, { ...visit, prefix, entryRange: expr.range }, route === undefined, endpoints);
  }

  private viewArgument(entry: ValueSite): ValueSite | undefined {
    if (entry.expr.kind !== 'call') return undefined;
    const argument = entry.expr.args.find((candidate) => candidate.name === 'view') ?? entry.expr.args.filter((candidate) => !candidate.name && !candidate.unpack)[1];
    return argument && { ...entry, expr: argument.value };
  }

  private walkView(view: ValueSite, visit: Visit, routeUnknown: boolean, endpoints: RoutedEndpoint[]): void {
    const { expr } = view;
    if (expr.kind === 'call') return this.walkViewCall(view, expr, visit, routeUnknown, endpoints);
    if (expr.kind === 'attribute' && expr.attribute === 'urls') return this.walkRouter(view, visit, endpoints, routeUnknown);
    if (expr.kind === 'attribute' && isSelf(expr.object) && visit.selfClass !== undefined && visit.depth <= MAX_INCLUDE_DEPTH) {
      const assigned = selfAttributeValue(this.project, visit.selfClass, expr.attribute);
      if (assigned) this.walkView(assigned, { ...visit, depth: visit.depth + 1 }, routeUnknown, endpoints);
      return;
    }
    const ninjaApi = expr.kind === 'name' ? this.ninjaApiUrls(view) : undefined;
    if (ninjaApi !== undefined) {
      endpoints.push(...this.ninjaEndpoints(ninjaApi, visit, routeUnknown));
      return;
    }
    const name = expr.kind === 'string' ? this.project.canonical(expr.value, view.module) : this.project.resolve(view.module, expr, view.scope);
    const site = name === undefined ? undefined : this.project.findDefinition(name);
    if (site && visit.routerRegistered && this.isViewSet(site)) return void endpoints.push(...this.viewSetEndpoints(site, visit, routeUnknown));
    if (site) return void endpoints.push(this.endpoint(site, visit, routeUnknown));
    const authView = site === undefined && name !== undefined && !this.project.isScannedName(name) ? authViewNamed(name) : undefined;
    if (authView) return void endpoints.push(this.authEndpoint(authView, view, visit, routeUnknown));
    // `home = Home.as_view()`, `ajax_proxy = ensure_ttl(proxy)`: a view name bound once to the view it stands for.
    const bound = dereference(this.project, view);
    if (bound.expr !== expr && visit.depth <= MAX_INCLUDE_DEPTH) this.walkView(bound, { ...visit, depth: visit.depth + 1 }, routeUnknown, endpoints);
    else if (name === undefined || this.project.isScannedName(name)) this.missedSomething = true;
  }

  private walkViewCall(view: ValueSite, call: CallExpr, visit: Visit, routeUnknown: boolean, endpoints: RoutedEndpoint[]): void {
    const callee = this.resolve(view, call.callee);
    if (INCLUDE.has(callee)) {
      const target = this.includedTarget(view);
      const deeper = { ...visit, depth: visit.depth + 1 };
      if (target?.kind === 'module') this.walkConf(target.module, deeper, endpoints);
      else if (target?.kind === 'auth-urls') endpoints.push(...this.authUrlEndpoints(view, deeper, routeUnknown));
      else if (target?.kind === 'list') {
        // `include(settings.EXTRA_URLCONF)` reads as a list of one thing that is no pattern: a conf named at run time.
        if (!target.items.some(({ expr }) => expr.kind === 'call' || (expr.kind === 'attribute' && expr.attribute === 'urls'))) this.missedSomething = true;
        for (const item of target.items) this.walkEntry(item, deeper, endpoints);
      }
      else if (target?.kind === 'router') this.walkRouter(target.site, deeper, endpoints);
      else if (!this.includesLibraryConf(view)) this.missedSomething = true;
      return;
    }
    if (call.callee.kind === 'attribute' && call.callee.attribute === AS_VIEW) {
      const actionMethods = this.boundActionMethods(view, call);
      return this.walkView({ ...view, expr: call.callee.object }, actionMethods ? { ...visit, actionMethods } : visit, routeUnknown, endpoints);
    }
    const [wrapped] = call.args.filter((argument) => !argument.name && !argument.unpack);
    if (!wrapped) return;
    const exemptedAt = callee === DJANGO.csrfExempt ? [...visit.exemptedAt, { file: view.module, line: call.range.line }] : visit.exemptedAt;
    this.walkView({ ...view, expr: wrapped.value }, { ...visit, exemptedAt }, routeUnknown, endpoints);
  }

  /**
   * The methods a viewset's \`as_view({"get": "list", "post": "create"})\` (or \`actions={...}\`) binds:
   * its keys. \`undefined\` for a plain view's \`as_view()\` or a mapping the scan cannot read.
   */
  private boundActionMethods(view: ValueSite, call: CallExpr): string[] | undefined {
    const actions = call.args.find((argument) => argument.name === 'actions') ?? call.args.find((argument) => !argument.name && !argument.unpack);
    if (!actions) return undefined;
    const site = { ...view, expr: actions.value };
    const entries = mappingEntries(this.project, site);
    const written = dereference(this.project, site).expr;
    if (!entries || (written.kind === 'dict' && written.entries.length !== entries.length)) return undefined;
    return sortedMethods(entries.map((entry) => entry.key));
  }

  /** `urls = api.urls`, here or in the module the name is imported from: the Ninja API whose `urls` a view name stands for. */
  private ninjaApiUrls(view: ValueSite): string | undefined {
    const name = this.project.resolve(view.module, view.expr, view.scope);
    if (name === undefined || !name.endsWith('.urls')) return undefined;
    return this.ninja.apiByName(name.slice(0, -'.urls'.length));
  }

  /** What `include(...)` names: a URL conf module (by name or object), a list of patterns, or a DRF router's `urls`. */
  private includedTarget(view: ValueSite): { kind: 'module'; module: SourceModule } | { kind: 'list'; items: ValueSite[] } | { kind: 'router'; site: ValueSite } | { kind: 'auth-urls' } | undefined {
    if (view.expr.kind !== 'call') return undefined;
    const [first] = view.expr.args.filter((argument) => !argument.name && !argument.unpack);
    if (!first) return undefined;
    let target: ValueSite = { ...view, expr: first.value };
    if (target.expr.kind === 'tuple' && target.expr.items[0]) target = { ...target, expr: target.expr.items[0] };
    if (target.expr.kind === 'attribute' && target.expr.attribute === 'urls') return { kind: 'router', site: target };
    const text = stringValue(this.project, target);
    const moduleName = text ?? this.project.resolve(target.module, target.expr, target.scope);
    const module = moduleName === undefined ? undefined : this.project.moduleNamed(moduleName, view.module);
    if (module) return { kind: 'module', module };
    if (moduleName === AUTH_URLS_MODULE) return { kind: 'auth-urls' };
    const items = this.listItems(target);
    return items.length > 0 ? { kind: 'list', items } : undefined;
  }

  /** `router.register(r"orders", OrderViewSet)` calls, by the router's qualified name. */
  private indexRouterRegistrations(): void {
    for (const module of this.project.modules) {
      for (const { call, scope } of module.facts.calls) {
        if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'register') continue;
        const router = this.project.resolve(module, call.callee.object, scope);
        const [prefix, viewset] = call.args.filter((argument) => !argument.name && !argument.unpack);
        const viewsetArgument = call.args.find((argument) => argument.name === 'viewset') ?? viewset;
        if (!viewsetArgument) continue;
        if (prefix && this.isRunTimeValue({ module, scope, expr: viewsetArgument.value })) this.registersDynamically = true;
        if (router === undefined) continue;
        const registrations = this.routerRegistrations.get(router) ?? [];
        registrations.push({ site: { module, scope, expr: viewsetArgument.value }, prefix: prefix && stringValue(this.project, { module, scope, expr: prefix.value }) });
        this.routerRegistrations.set(router, registrations);
      }
    }
  }

  /** A value the scanned code names but does not define: a parameter, `self.viewset`, a loop's item. */
  private isRunTimeValue(site: ValueSite): boolean {
    const name = this.project.resolve(site.module, site.expr, site.scope);
    if (name !== undefined && !this.project.isScannedName(name)) return false;
    return name === undefined || this.project.findDefinition(name) === undefined;
  }

  /** `router.urls` of a DRF router: one endpoint per registered viewset; `site.urls` of an admin site: one endpoint. */
  private walkRouter(urls: ValueSite, visit: Visit, endpoints: RoutedEndpoint[], routeUnknown = false): void {
    if (urls.expr.kind !== 'attribute') return;
    const siteClass = urlSiteClass(this.project, { ...urls, expr: urls.expr.object });
    if (siteClass !== undefined) return this.walkUrlSite(siteClass, { ...visit, depth: visit.depth + 1 }, endpoints);
    const adminSite = djangoAdminSite(this.project, urls.module, urls.expr.object, urls.scope, describeExpr(urls.expr.object));
    if (adminSite) {
      endpoints.push(this.adminEndpoint(adminSite, urls, visit, routeUnknown));
      return;
    }
    const ninjaApi = this.ninja.apiNamed(urls.module, urls.expr.object, urls.scope);
    if (ninjaApi !== undefined) {
      endpoints.push(...this.ninjaEndpoints(ninjaApi, visit, routeUnknown));
      return;
    }
    const router = this.project.resolve(urls.module, urls.expr.object, urls.scope);
    const registrations = router === undefined ? [] : (this.routerRegistrations.get(router) ?? []);
    if (registrations.length === 0) this.unknownRouterVisit ??= visit;
    const trailingSlash = router === undefined ? '/' : routerTrailingSlash(this.project, router);
    for (const { site, prefix } of registrations) {
      const routerEnding = { trailingSlash, emptyPrefix: prefix === '' };
      this.walkView(site, { ...visit, prefix: joinedRoute(visit.prefix, prefix ?? '…'), routerRegistered: true, routerEnding }, prefix === undefined, endpoints);
    }
  }

  /** django-wiki's `WikiSite`: the patterns its `urls` property builds from its own methods, with `self` read as the site. */
  private walkUrlSite(siteClass: string, visit: Visit, endpoints: RoutedEndpoint[]): void {
    const read = new Set<object>();
    const property = urlsProperty(this.project, siteClass);
    const entries = property ? returnedPatterns(property).flatMap((site) => this.siteListItems(siteClass, site, read)) : [];
    for (const entry of entries) this.walkEntry(entry, { ...visit, selfClass: siteClass }, endpoints);
  }

  private siteListItems(siteClass: string, site: ValueSite, read: Set<object>): ValueSite[] {
    return builtListItems(this.project, site, (call) => this.selfMethodPatterns(siteClass, call, read) ?? this.patternsGivenBy(call, read), 0, read);
  }

  /** `self.get_root_urls()`: the patterns the site's method returns. */
  private selfMethodPatterns(siteClass: string, call: ValueSite, read: Set<object>): ValueSite[] | undefined {
    if (call.expr.kind !== 'call' || call.expr.callee.kind !== 'attribute' || !isSelf(call.expr.callee.object)) return undefined;
    const method = this.project.findMethod(siteClass, call.expr.callee.attribute);
    if (!method) return undefined;
    if (read.has(method.definition)) return [];
    read.add(method.definition);
    const { module, definition } = method;
    return module.facts.returns.filter((statement) => statement.scope === definition.bodyScope && statement.value).flatMap((statement) => this.siteListItems(siteClass, { module, scope: statement.scope, expr: statement.value! }, read));
  }

  /**
   * When the project registers viewsets it only knows at run time (Pulp collects them from each
   * plugin's `viewsets` module and registers them through its own tree of nested routers) and a URL
   * conf includes a router whose registrations the scanned code does not show: the production
   * viewsets no route reaches, listed under that router's app with no route. A viewset another
   * scanned class derives from is a base, not an endpoint.
   */
  dynamicallyRegisteredViewSets(routed: readonly RoutedEndpoint[]): RoutedEndpoint[] {
    const visit = this.unknownRouterVisit;
    if (!visit || !this.registersDynamically) return [];
    const reached = new Set([...routed.map((endpoint) => endpoint.definition), ...this.routedViewSets]);
    const bases = this.scannedBaseClasses();
    const endpoints: RoutedEndpoint[] = [];
    for (const module of this.project.modules) {
      if (module.context === 'test') continue;
      for (const definition of module.facts.definitions) {
        if (definition.kind !== 'class' || definition.scope !== MODULE_SCOPE || reached.has(definition)) continue;
        const name = module.symbols.definitionName(definition);
        if (bases.has(name) || !this.project.isSubclassOf(name, DRF_VIEWSETS)) continue;
        endpoints.push(this.endpoint({ module, definition }, { ...visit, prefix: '' }, true));
      }
    }
    return endpoints;
  }

  /** The scanned classes some other scanned class names as its base. */
  private scannedBaseClasses(): Set<string> {
    const bases = new Set<string>();
    for (const module of this.project.modules) {
      for (const definition of module.facts.definitions) {
        if (definition.kind !== 'class') continue;
        for (const base of definition.bases) {
          if (base.name !== undefined || base.unpack) continue;
          const name = this.project.resolve(module, base.value, definition.scope, definition.range.line);
          if (name !== undefined && this.project.isScannedName(name)) bases.add(name);
        }
      }
    }
    return bases;
  }

  /**
   * The admin site's row, at the project's `AdminSite` subclass or else at the `path()` that routes
   * it: Django wraps every admin view in `csrf_protect`, so the site checks CSRF on its own.
   */
  private adminEndpoint(site: DjangoAdminSite, urls: ValueSite, visit: Visit, routeUnknown: boolean): RoutedEndpoint {
    const routedAt = visit.entryRange ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
    const { module, definition } = site.ownClass ?? { module: urls.module, definition: routingDefinition(site.name, urls.scope, routedAt) };
    const settings = this.settingsVerdict(visit.root);
    const override = adminViewOverride(this.project, site);
    const siteCheck: Protection = { state: 'protected', inView: true, check: 'AdminSite (csrf_protect on every admin view)', evidence: { file: urls.module, line: routedAt.line } };
    return {
      app: visit.app,
      module,
      definition,
      view: site.name,
      route: routeUnknown ? null : visit.prefix,
      methods: ['GET', 'POST'],
      // An `admin_view` of the project's that skips the base's leaves the views to the middleware, or exempts them.
      protection: override === undefined || override.kind === 'keeps' ? siteCheck : settings.protection,
      credentials: settings.credentials,
      exemptedAt: [...visit.exemptedAt, ...(override?.kind === 'exempts' ? [override.at] : [])],
    };
  }

  /** A view of `django.contrib.auth`, outside the scan: defined, for the inventory, where the project routes it. */
  private authEndpoint(authView: AuthView, routedBy: ValueSite, visit: Visit, routeUnknown: boolean): RoutedEndpoint {
    const routedAt = visit.entryRange ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
    const settings = this.settingsVerdict(visit.root);
    const ownCheck: Protection = { state: 'protected', inView: true, check: `csrf_protect (django.contrib.auth's ${authView.name})`, evidence: { file: routedBy.module, line: routedAt.line } };
    return {
      app: visit.app,
      module: routedBy.module,
      definition: routingDefinition(authView.name, routedBy.scope, routedAt),
      view: authView.name,
      route: routeUnknown ? null : visit.prefix,
      methods: authView.methods,
      protection: authView.csrfProtect ? ownCheck : settings.protection,
      credentials: settings.credentials,
      exemptedAt: visit.exemptedAt,
    };
  }

  /** A smartmin CRUDL's `as_urlpatterns()`: each action's view at its pattern; smartmin's default views defined, for the inventory, at the CRUDL class. */
  private crudlEndpoints({ crudl, routes }: { crudl: DefinitionSite; routes: CrudlRoute[] }, visit: Visit): RoutedEndpoint[] {
    return routes.map(({ pattern, view }) => {
      const routed = { ...visit, prefix: joinedRoute(visit.prefix, pattern ?? '…') };
      // `Update` alone names a view in each of a project's CRUDLs.
      if (view.kind === 'class') return { ...this.endpoint(view.site, routed, pattern === undefined), view: `${crudl.definition.name}.${view.site.definition.name}` };
      const settings = this.settingsVerdict(visit.root);
      return {
        app: visit.app,
        module: crudl.module,
        definition: routingDefinition(view.name, crudl.definition.scope, crudl.definition.nameRange),
        view: view.name,
        route: pattern === undefined ? null : routed.prefix,
        methods: view.methods,
        protection: settings.protection,
        credentials: settings.credentials,
        exemptedAt: visit.exemptedAt,
      };
    });
  }

  /** `include("django.contrib.auth.urls")`: each of its views below the including entry's prefix. */
  private authUrlEndpoints(include: ValueSite, visit: Visit, routeUnknown: boolean): RoutedEndpoint[] {
    return AUTH_URL_ROUTES.map(({ route, view }) => this.authEndpoint(view, include, { ...visit, prefix: joinedRoute(visit.prefix, route) }, routeUnknown));
  }

  /** The operations of the Ninja APIs no scanned production URL conf routes: listed under the API, with no route. */
  unroutedNinjaEndpoints(): RoutedEndpoint[] {
    return this.ninja.apis().flatMap(({ name, module, line }) => {
      if (this.routedNinjaApis.has(name)) return [];
      const app: AppSite = { name, framework: 'django', anchor: { file: module, line } };
      return this.ninjaEndpoints(name, { app, root: module, prefix: '', exemptedAt: [], depth: 0, seen: new Set() }, true);
    });
  }

  /** A Django Ninja API's operations, below the route that mounts the API. */
  private ninjaEndpoints(api: string, visit: Visit, routeUnknown: boolean): RoutedEndpoint[] {
    // An API only a test URL conf mounts (a library's, as Wagtail's v3 API) is still listed as production code, unrouted.
    if (visit.app.anchor.file.context !== 'test') this.routedNinjaApis.add(api);
    return this.ninja.operationsOf(api).map(({ module, definition, route, methods, protection, credentials, exemptedAt, relatedAt }) => ({
      app: visit.app,
      module,
      definition,
      view: definition.name,
      route: routeUnknown ? null : joinedRoute(visit.prefix, route),
      methods,
      protection,
      credentials,
      exemptedAt: [...visit.exemptedAt, ...exemptedAt],
      ...(relatedAt ? { relatedAt } : {}),
    }));
  }

  private endpoint(site: DefinitionSite, visit: Visit, routeUnknown: boolean): RoutedEndpoint {
    const { module, definition } = site;
    const isDrf = this.isDrfView(site);
    const verdict = isDrf ? this.drfVerdict(site, visit.root.projectRoot) : this.verdictFor(visit.root, module, definition);
    return {
      app: visit.app,
      module,
      definition,
      view: definition.name,
      route: routeUnknown ? null : visit.prefix,
      methods: visit.actionMethods ?? this.methodsOf(site),
      protection: verdict.protection,
      credentials: verdict.credentials,
      ...(isDrf ? {} : { exemptedAt: [...visit.exemptedAt, ...this.inheritedExemptionPlaces(site)] }),
    };
  }

  /**
   * Where a base class may exempt a class-based view: the decorators of the `dispatch` it inherits
   * and of its scanned base classes (`@method_decorator(csrf_exempt, name="dispatch")`).
   */
  private inheritedExemptionPlaces({ module, definition }: DefinitionSite): Place[] {
    if (definition.kind !== 'class') return [];
    const className = module.symbols.definitionName(definition);
    const places: Place[] = [];
    const dispatch = this.project.findMethod(className, 'dispatch');
    if (dispatch) places.push(...dispatch.definition.decorators.map((decorator) => ({ file: dispatch.module, line: decorator.range.line })));
    this.project.inheritsFrom(className, (name) => {
      const base = name === className ? undefined : this.project.findDefinition(name);
      if (base) places.push(...base.definition.decorators.map((decorator) => ({ file: base.module, line: decorator.range.line })));
      return false;
    });
    return places;
  }

  private isViewSet({ module, definition }: DefinitionSite): boolean {
    return definition.kind === 'class' && this.project.isSubclassOf(module.symbols.definitionName(definition), DRF_VIEWSETS);
  }

  /**
   * A viewset on a router: a row at its list route (`orders/`), one at its detail route
   * (`orders/<pk>/`), each with the actions it answers there, and one per `@action`, at
   * `orders/<url_path>/` or, with `detail=True`, `orders/<pk>/<url_path>/`. A route that answers
   * nothing is no row.
   */
  private viewSetEndpoints(site: DefinitionSite, visit: Visit, routeUnknown: boolean): RoutedEndpoint[] {
    const { module, definition } = site;
    this.routedViewSets.add(definition);
    const row = this.endpoint(site, visit, routeUnknown);
    const className = module.symbols.definitionName(definition);
    // DRF's router drops the slash between an empty prefix and the route (`register("", ...)` lists at the include's own path).
    const base = visit.prefix === '' || visit.prefix.endsWith('/') ? visit.prefix : `${visit.prefix}/`;
    const { trailingSlash: ending, emptyPrefix } = visit.routerEnding ?? { trailingSlash: '/', emptyPrefix: false };
    const lookup = `${base}<${lookupName(this.project, className)}>`;
    // Under an empty prefix the list route is the include's own path, whatever the router's ending.
    const list = emptyPrefix || ending === '/' ? base : `${withoutTrailingSlash(base)}${ending}`;
    const route = (text: string) => (routeUnknown ? null : text);
    const methods = viewSetRouteMethods(this.project, className);
    const rows: RoutedEndpoint[] = [];
    if (methods.list.length > 0) rows.push({ ...row, route: route(list), methods: methods.list });
    if (methods.detail.length > 0) rows.push({ ...row, route: route(`${lookup}${ending}`), methods: methods.detail });
    for (const action of viewSetActions(this.project, className)) {
      const path = action.urlPath === undefined || action.detail === undefined ? null : `${action.detail ? `${lookup}/` : base}${action.urlPath}${ending}`;
      const own = action.authentication && this.drfVerdict(action.site, visit.root.projectRoot, action.authentication);
      const protection = own ? { protection: own.protection, credentials: own.credentials } : {};
      rows.push({ ...row, ...protection, module: action.site.module, definition: action.site.definition, view: `${definition.name}.${action.site.definition.name}`, route: path && route(path), methods: action.methods });
    }
    return rows;
  }

  private isDrfView({ module, definition }: DefinitionSite): boolean {
    if (definition.kind === 'function') return definition.decorators.some(({ expression }) => this.resolveDecorator(module, definition, expression) === API_VIEW);
    return libraryAncestors(this.project, module.symbols.definitionName(definition)).some((name) => name.startsWith('rest_framework.'));
  }

  private methodsOf({ module, definition }: DefinitionSite): string[] {
    if (this.depth === 'routes only') return [ANY_METHOD];
    if (definition.kind === 'class') {
      const className = module.symbols.definitionName(definition);
      return answersEveryMethod(this.project, className) ? [ANY_METHOD] : classMethods(this.project, className);
    }
    for (const { expression } of definition.decorators) {
      const name = this.resolveDecorator(module, definition, expression);
      const fixed = HTTP_DECORATORS.get(name);
      if (fixed) return fixed;
      if ((name === REQUIRE_METHODS || name === API_VIEW) && expression.kind === 'call') {
        const listed = this.stringList({ module, scope: definition.scope, expr: expression.args[0]?.value ?? { kind: 'list', items: [] } });
        if (listed) return sortedMethods(listed.length === 0 && name === API_VIEW ? ['GET'] : listed);
        return [ANY_METHOD];
      }
      if (name === API_VIEW) return ['GET'];
    }
    return [ANY_METHOD];
  }

  private stringList(site: ValueSite): string[] | undefined {
    const value = dereference(this.project, site);
    if (value.expr.kind !== 'list' && value.expr.kind !== 'tuple') return undefined;
    const items = value.expr.items.map((item) => stringValue(this.project, { ...value, expr: item }));
    return items.every((item) => item !== undefined) ? (items as string[]) : undefined;
  }

  private resolveDecorator(module: SourceModule, definition: Definition, expression: Expr): string {
    const target = expression.kind === 'call' ? expression.callee : expression;
    return this.project.resolve(module, target, definition.scope) ?? '';
  }

  /** `@csrf_protect` on the view, else what the settings of the project that routes it say; the credentials the view itself shows it takes, where it does. */
  private verdictFor(routedBy: SourceModule, module: SourceModule, definition: Definition): SettingsVerdict {
    if (this.depth === 'routes only') return UNJUDGED;
    const projectVerdict = this.settingsVerdict(routedBy);
    const settings = { ...projectVerdict, credentials: this.viewCredentials(module, definition, projectVerdict.credentials) };
    const protect = definition.decorators.find(({ expression }) => this.resolveDecorator(module, definition, expression) === CSRF_PROTECT);
    if (!protect) return settings;
    return { ...settings, protection: { state: 'protected', inView: true, check: '@csrf_protect', evidence: { file: module, line: protect.range.line } } };
  }

  /**
   * HTTP Basic for a view that takes its own password from it; a header token for a function view
   * that reads its credential from a header and no session user, itself or through a decorator of
   * the project's (as the rules judge an exempt view); the session cookie for a view that
   * requires a signed-in user (`@login_required`, `LoginRequiredMixin`) where no settings say what
   * signs users in: `django.contrib.auth` keeps that user in the session.
   */
  private viewCredentials(module: SourceModule, definition: Definition, projectCredentials: Credentials): Credentials {
    if (takesBasicPassword(this.project, module, definition)) return 'HTTP Basic';
    if (definition.kind === 'function' && handlerHeaderTokenRead(this.project, { module, definition }) !== undefined) return 'header token only';
    if (projectCredentials !== 'unknown') return projectCredentials;
    return this.requiresSignedInUser(module, definition) ? 'session cookie' : projectCredentials;
  }

  private requiresSignedInUser(module: SourceModule, definition: Definition): boolean {
    if (definition.kind === 'class') return this.project.isSubclassOf(module.symbols.definitionName(definition), LOGIN_MIXINS);
    return definition.decorators.some(({ expression }) => LOGIN_DECORATORS.has(this.resolveDecorator(module, definition, expression)));
  }

  /**
   * The project's Django verdict: `CsrfViewMiddleware` in all its production settings protects the
   * view; missing from one leaves it unprotected (the finding is on that list).
   */
  private settingsVerdict(near: SourceModule): SettingsVerdict {
    if (this.depth === 'routes only') return UNJUDGED;
    const cached = this.verdicts.get(near.projectRoot);
    if (cached) return cached;
    const { settings, lacking, uncertain, lookalike, credentials: model } = djangoCsrfVerdict(this.project, near.projectRoot);
    const place = (module: SourceModule, line?: number): Place => ({ file: module, line: line ?? middlewareLine(module) });
    const credentials: Credentials = settings.length === 0 ? 'unknown' : credentialsColumn(model);
    let protection: Protection;
    if (lacking) protection = { state: 'unprotected', check: 'no CsrfViewMiddleware', evidence: place(lacking.module, lacking.list!.blame?.range.line) };
    else if (uncertain) protection = { state: 'unknown', check: `CsrfViewMiddleware may be left out of \`${uncertain.name}\`: the list is built where the scan cannot tell whether it stays`, evidence: place(uncertain.module) };
    else if (lookalike) protection = { state: 'unknown', check: `\`${lookalike.entry}\` (outside the scan) in place of CsrfViewMiddleware: protected only if it checks tokens as Django's does`, evidence: lookalikeEntryPlace(lookalike.setting) };
    else if (settings[0]) protection = { state: 'protected', check: 'CsrfViewMiddleware', evidence: place(settings[0].module) };
    else protection = { state: 'protected', check: 'CsrfViewMiddleware (Django default; no settings module scanned)' };
    const verdict = { protection, credentials };
    this.verdicts.set(near.projectRoot, verdict);
    return verdict;
  }

  /**
   * DRF exempts its views from the middleware and checks CSRF in `SessionAuthentication` alone: a
   * view whose authentication classes (its own, else `DEFAULT_AUTHENTICATION_CLASSES`, else DRF's
   * default) leave it out needs no token unless another class takes an ambient credential.
   */
  private drfVerdict({ module, definition }: DefinitionSite, projectRoot: string, actionAuthentication?: AuthenticationClasses): SettingsVerdict {
    if (this.depth === 'routes only') return UNJUDGED;
    const own = actionAuthentication ?? (definition.kind === 'class' ? viewClassAuthentication(this.project, module.symbols.definitionName(definition)) : decoratorAuthentication(this.project, module, definition));
    const listed = own ?? this.defaultAuthentication(projectRoot);
    const at = listed.at ? { evidence: listed.at } : {};
    const kinds = new Set(listed.classes.map((name) => drfCredentialOf(this.project, name)));
    const exempt = { state: 'exempt', check: 'DRF view (csrf_exempt by as_view)', ...at } as const;
    const [first] = listed.classes;
    if (first !== undefined && challengesForBasic(this.project, first)) {
      return { protection: { ...exempt, reason: 'BasicAuthentication is first: browsers are asked for a password, which DRF accepts without a CSRF check' }, credentials: 'HTTP Basic' };
    }
    const jwtCookie = this.jwtCookieOf(projectRoot, listed.classes);
    if (jwtCookie) {
      return { protection: { ...exempt, reason: `\`JWT_AUTH_COOKIE\` (${jwtCookie.module.path}:${jwtCookie.range.line}): the JWT rides in the \`${jwtCookie.cookie}\` cookie, and nothing checks CSRF for it` }, credentials: 'other cookie' };
    }
    if (kinds.has('session')) return { protection: { state: 'protected', check: listed.at ? 'DRF SessionAuthentication' : 'DRF SessionAuthentication (DRF default authentication)', ...at }, credentials: 'session cookie' };
    if (kinds.has('basic')) return { protection: { ...exempt, reason: 'no SessionAuthentication: DRF checks no CSRF token, and HTTP Basic is not first, so no browser is asked for a password' }, credentials: 'HTTP Basic' };
    if (kinds.has('unknown')) {
      const unread = [...listed.classes.filter((name) => name !== '?' && drfCredentialOf(this.project, name) === 'unknown'), ...(listed.unread ?? [])].map((name) => `\`${name}\``);
      return { protection: { state: 'unknown', check: `DRF authentication the scan cannot judge (${unread.join(', ')}); DRF checks CSRF in SessionAuthentication only`, ...at }, credentials: 'unknown' };
    }
    return { protection: { ...exempt, reason: 'no SessionAuthentication: a forged request carries no credential' }, credentials: kinds.size === 0 ? 'none' : 'header token only' };
  }

  /** The `JWT_AUTH_COOKIE` setting of the project root whose cookie-reading class is among `classes`. */
  private jwtCookieOf(projectRoot: string, classes: readonly string[]): JwtCookieSetting | undefined {
    this.jwtCookies ??= jwtCookieSettings(this.project);
    return this.jwtCookies.find((setting) => setting.module.projectRoot === projectRoot && classes.some((name) => name !== '?' && this.project.isSubclassOf(name, new Set([setting.authentication]))));
  }

  /** `DEFAULT_AUTHENTICATION_CLASSES` of the project's settings, else DRF's default: read once per project root. */
  private defaultAuthentication(projectRoot: string): AuthenticationClasses {
    let listed = this.drfDefaults.get(projectRoot);
    if (!listed) this.drfDefaults.set(projectRoot, (listed = settingsAuthentication(this.project, projectRoot) ?? { classes: DRF_DEFAULT_AUTHENTICATION, at: undefined }));
    return listed;
  }

  private resolve(site: ValueSite, expr: Expr): string {
    return this.project.resolve(site.module, expr, site.scope) ?? '';
  }
}

/** Where the rule reports the stand-in middleware: the list's assignment, in whichever module makes it. */
function lookalikeEntryPlace(setting: MiddlewareSetting): Place {
  const blame = setting.list?.blame;
  return blame ? { file: blame.module, line: blame.range.line } : { file: setting.module, line: middlewareLine(setting.module) };
}

function middlewareLine(module: SourceModule): number {
  const assignment = module.facts.assignments.find(({ scope, target }) => scope === MODULE_SCOPE && target.kind === 'name' && (target.id === 'MIDDLEWARE' || target.id === 'MIDDLEWARE_CLASSES'));
  return assignment?.range.line ?? 1;
}

/** A view a URL conf names: `path("cart/", views.cart, name="cart")` in a conf whose `app_name` is `shop` is `shop:cart`. */
export interface NamedDjangoView {
  /** Its endpoints, as `djangoEndpoints` sees them (the view may be routed more than once). */
  endpoints: RoutedEndpoint[];
  /** `csrf_exempt(view)` wraps it where it is routed. */
  exemptWhereRouted: boolean;
}

/**
 * The views of the project's URL confs by the names `{% url %}` and `reverse()` give them: the
 * `name=` of each `path()`, `re_path()` or `url()`, alone and after the conf's `app_name`.
 */
export function djangoNamedViews(project: Project, endpoints = djangoEndpoints(project)): Map<string, NamedDjangoView> {
  const byDefinition = new Map<Definition, RoutedEndpoint[]>();
  for (const endpoint of endpoints) byDefinition.set(endpoint.definition, [...(byDefinition.get(endpoint.definition) ?? []), endpoint]);
  const named = new Map<string, NamedDjangoView>();
  for (const conf of project.modules.filter(isUrlConf)) {
    const appName = conf.facts.assignments.find(({ scope, target }) => scope === MODULE_SCOPE && target.kind === 'name' && target.id === 'app_name');
    const namespace = appName?.value && stringValue(project, { module: conf, scope: MODULE_SCOPE, expr: appName.value });
    for (const { call, scope } of conf.facts.calls) {
      if (!urlPatternCall(project, conf, call.callee, scope)) continue;
      const nameArgument = call.args.find((argument) => argument.name === 'name');
      const name = nameArgument && stringValue(project, { module: conf, scope, expr: nameArgument.value });
      const viewArgument = call.args.find((argument) => argument.name === 'view') ?? call.args.filter((argument) => !argument.name && !argument.unpack)[1];
      if (name === undefined || !viewArgument) continue;
      const view = routedView(project, { module: conf, scope, expr: viewArgument.value });
      const routed = view && byDefinition.get(view.site.definition);
      if (!view || !routed) continue;
      const entry = { endpoints: routed, exemptWhereRouted: view.exempt };
      named.set(name, entry);
      if (namespace) named.set(`${namespace}:${name}`, entry);
    }
  }
  return named;
}

/** The definition a route's view argument names, through `.as_view()` and wrappers such as `csrf_exempt(...)`. */
function routedView(project: Project, view: ValueSite, depth = 0): { site: DefinitionSite; exempt: boolean } | undefined {
  let { expr } = view;
  let exempt = false;
  for (let unwrapped = 0; expr.kind === 'call' && unwrapped < MAX_INCLUDE_DEPTH; unwrapped++) {
    if (expr.callee.kind === 'attribute' && expr.callee.attribute === AS_VIEW) {
      expr = expr.callee.object;
      continue;
    }
    exempt ||= project.resolve(view.module, expr.callee, view.scope) === DJANGO.csrfExempt;
    const [wrapped] = expr.args.filter((argument) => !argument.name && !argument.unpack);
    if (!wrapped) return undefined;
    expr = wrapped.value;
  }
  const name = project.resolve(view.module, expr, view.scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (site) return { site, exempt };
  const bound = dereference(project, { ...view, expr });
  if (bound.expr === expr || depth >= MAX_INCLUDE_DEPTH) return undefined;
  const inner = routedView(project, bound, depth + 1);
  return inner && { site: inner.site, exempt: exempt || inner.exempt };
}

/** A stand-in definition for a view the scanned code only routes (Django's own `admin.site`): the `path()` entry routing it. */
function routingDefinition(name: string, scope: number, range: SourceRange): Definition {
  return { kind: 'function', name, scope, bodyScope: scope, decorators: [], bases: [], parameters: [], isAsync: false, range, nameRange: range, bodyStatements: [] };
}
