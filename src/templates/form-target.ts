import path from 'node:path';
import { findApplications } from '../project/applications.js';
import { ambientCredentialsOf, isCsrfTarget } from '../project/credentials.js';
import { DjangoSettings, looksLikeDjangoSettings } from '../frameworks/django/settings.js';
import { FLASK_APPLICATIONS, isCsrfProtectObject } from '../frameworks/flask/names.js';
import { sameSiteOf } from '../frameworks/flask/same-site.js';
import type { SameSiteSetting } from '../rules/support/unprotected-apps.js';
import { decoratorCsrfCheckOf } from '../project/decorator-csrf-checks.js';
import { routeTable, type TabledRoute } from '../project/route-tables.js';
import { csrfCheckingHandlers, describeCsrfCheckingHandler } from '../project/handler-checks.js';
import { actsForNobody } from '../project/acts-for-nobody.js';
import { signatureCheck } from '../project/signatures.js';
import { type Definition, type Expr, MODULE_SCOPE } from '../python/facts.js';
import type { Project } from '../project/project.js';
import type { TemplateFile } from '../project/scanned-file.js';
import type { SourceModule } from '../project/source-module.js';
import { djangoNamedViews, type NamedDjangoView } from '../frameworks/django/endpoints.js';
import { tornadoEndpoints } from '../frameworks/tornado/endpoints.js';
import { pyramidEndpoints } from '../frameworks/pyramid/endpoints.js';
import { aiohttpEndpoints } from '../frameworks/aiohttp/endpoints.js';
import type { RoutedEndpoint } from '../endpoints/endpoint.js';
import { DJANGO } from '../project/known-names.js';
import type { TemplateForm } from './forms.js';
import { harmlessEffectOfTargets } from './target-effect.js';
import { related } from '../project/project-roots.js';

export { related };

/** What the server does with a forged post from a form: reject it, accept it, or the scan cannot tell. */
export type ServerCheck =
  /**
   * `consequence` replaces "checks every post, …" where the check is not a CSRF token's; `guard`
   * says which framework's token the check expects, when it is one a fix can render.
   */
  | { kind: 'rejects'; by: string; consequence?: string; guard?: TokenGuard }
  /** `actsForNobody`: the exempt view it posts to reads no user or session, so a forged post acts as anybody calling it directly would. */
  | {
      kind: 'accepts';
      why: string;
      actsForNobody?: true;
      /** The SameSite setting that keeps the serving apps' session cookie off cross-site posts (Lookyloo's \`Strict\`): the post is forged only in older browsers. */
      sameSite?: SameSiteSetting;
    }
  /** `why` says what could not be told, where it is one thing (a `{% url %}` name the URL confs do not route). */
  | { kind: 'unknown'; why?: string }
  /** Nothing checks the post, but nothing in a browser's request authenticates the user either. */
  | { kind: 'harmless' }
  /**
   * The server turns away posts from other sites by where they come from (\`Sec-Fetch-Site\`,
   * \`Origin\`, \`Referer\`), not by a token: a forged post is rejected, and the form, posted from the
   * site's own page, passes without a token. Nothing to report, broken forms included.
   */
  | { kind: 'origin-checked' }
  /**
   * The form's action names a view (\`url_for('bp.save')\`) that no code of the project defines or
   * names, in a project whose views are all listed: a dead form, which posts to nothing.
   */
  | { kind: 'no-target' };

/** What checks a form's posts by a token the template must render: Django's (middleware or `@csrf_protect`) or a Flask app's. */
export type TokenGuard = 'django' | 'flask';

/** Where a form posts: the view its action names (`shop.cart`), the function the URL confs route that name to, and the server's check. */
export interface FormTarget {
  view: string | undefined;
  /** `shop.views.cart`, for a Django `{% url %}` name the project's URL confs route. */
  routedView: string | undefined;
  check: ServerCheck;
}

/** `{% url 'shop:cart' %}`, `{{ url('shop:cart') }}`: a Django URL name, which the URL confs resolve. */
const DJANGO_URL_NAME = /(?:\{%-?\s*url\s+|\burl\(\s*)(["'])([\w:-]+)\1/;

/** Pyramid's `request.route_path('save')`, `route_url('save')`: the route a form posts to, by name. */
const ROUTE_PATH_NAME = /\broute_(?:path|url)\(\s*(["'])([\w.:-]+)\1/;

/** `{% url 'shop:cart' %}`, `{{ url('shop:cart') }}`, `{{ url_for('shop.cart') }}`: the view a form posts to, by name. */
const ACTION_VIEW_NAME = /(?:\{%-?\s*url\s+|\burl(?:_for)?\(\s*)(["'])([\w.:-]+)\1/;
/** Where a written action path turns into template code: `${...}`, `{{ ... }}`, `{% ... %}`, `%(id)s`. */
const COMPUTED_PART = /[{}%$]/;

/**
 * Links a form to what checks its posts: the Django settings of its project (CsrfViewMiddleware in
 * the list Django loads) or its Flask apps (CSRFProtect), and the view its `action` names when that
 * view is exempt from the check (`@csrf.exempt`, `@csrf_exempt`).
 */
export class FormTargets {
  private readonly byRoot = new Map<string, ServerCheck>();
  private djangoSettings: Array<{ module: SourceModule; protects: boolean }> | undefined;
  private flaskApps: Array<{ module: SourceModule; viewFolders: ReadonlySet<string>; protects: boolean; checksOnlyOrigin: boolean }> | undefined;
  private foundFlaskApplications: ReturnType<typeof findApplications> | undefined;
  private tornadoApps: EndpointApp[] | undefined;
  private pyramidApps: EndpointApp[] | undefined;
  private aiohttpApps: EndpointApp[] | undefined;
  private namedViews: Map<string, NamedDjangoView> | undefined;
  private exemptViews: Map<string, ExemptRenderer[]> | undefined;
  private renderers: Map<string, TemplateRenderer[]> | undefined;
  private functionsByName: Map<string, ExemptRenderer[]> | undefined;
  private readonly namesByAppRoots = new Map<string, { words: Set<string>; definitions: Set<string> }>();

  constructor(private readonly project: Project) {}

  /** Where the form posts, by name (and by the Django URL confs, the view that serves it), and what the server does with the post. */
  targetOf(form: TemplateForm, template: TemplateFile): FormTarget {
    const view = ACTION_VIEW_NAME.exec(form.action ?? '')?.[2];
    const routed = this.namedDjangoView(form, template.projectRoot);
    const [endpoint] = routed?.endpoints ?? [];
    const routedView = endpoint && endpoint.module.symbols.definitionName(endpoint.definition);
    return { view, routedView, check: this.checkOf(form, template, view, routed) };
  }

  private checkOf(form: TemplateForm, template: TemplateFile, view: string | undefined, routed: NamedDjangoView | undefined): ServerCheck {
    const { projectRoot } = template;
    if (routed) return this.routedViewCheck(view!, routed);
    // A view of the project that the name names and that is exempt accepts the post, even routed where the URL-conf model cannot follow.
    const exempt = view === undefined ? [] : this.exemptViewsNamed(view, projectRoot);
    if (exempt.length > 0) return this.exemptViewCheck(`view \`${view}\` is exempt from CSRF checks`, exempt);
    const decorated = this.decoratorCheck(form, template, view);
    if (decorated) return decorated;
    if (view !== undefined && DJANGO_URL_NAME.exec(form.action ?? '') === null && this.namesMissingView(view, projectRoot)) return { kind: 'no-target' };
    // The view behind a name the URL confs do not route may be a library's, exempt or protected on its own.
    const urlName = DJANGO_URL_NAME.exec(form.action ?? '')?.[2];
    if (urlName !== undefined && this.routesNamedViews(projectRoot)) return { kind: 'unknown', why: `the URL name \`${urlName}\` is not found in the project's URL confs, so what checks the post cannot be told` };
    const renderer = postsBack(form) ? this.exemptRenderer(template) : undefined;
    if (renderer) return this.exemptRendererCheck(renderer);
    const servedInProduction = template.context === 'production';
    const owner = templateOwnerFolder(template);
    const key = `${servedInProduction}:${projectRoot}:${owner ?? ''}`;
    let known = this.byRoot.get(key);
    if (!known) {
      known = this.serverCheck(projectRoot, owner, servedInProduction);
      this.byRoot.set(key, known);
    }
    if (known.kind === 'rejects' || known.kind === 'harmless' || known.kind === 'origin-checked') return known;
    return this.guardedFlaskViewCheck(form, template, view) ?? this.harmlessTargetCheck(view, projectRoot) ?? known;
  }

  /** The Flask views the form names (`bp.search` is `search`) that do nothing for the victim (see `harmlessEffectOfTargets`): a forged post gains nothing. */
  private harmlessTargetCheck(view: string | undefined, projectRoot: string): ServerCheck | undefined {
    if (view === undefined) return undefined;
    const name = lastName(view.replace(/:/g, '.'));
    const routes = this.flaskApplications().filter((app) => related(app.module.projectRoot, projectRoot)).flatMap((app) => app.usage.routes);
    const targets = routes.filter((route) => route.definition.kind === 'function' && route.definition.name === name);
    return harmlessEffectOfTargets(this.project, targets) === undefined ? undefined : { kind: 'harmless' };
  }

  /**
   * A Flask view that validates a FlaskForm checks that form's token even where no CSRFProtect
   * guards the app (as do views that check a token themselves or read only JSON): a form posting
   * only to such views is rejected, whatever the app's check.
   */
  private guardedFlaskViewCheck(form: TemplateForm, template: TemplateFile, view: string | undefined): ServerCheck | undefined {
    const routes = this.flaskApplications().filter((app) => related(app.module.projectRoot, template.projectRoot)).flatMap((app) => app.usage.routes);
    const renderers = view === undefined && postsBack(form) ? this.renderersOf(template) : [];
    const targets = routes.filter((route) => (view === undefined ? renderers.includes(route.definition) : route.definition.name === lastName(view.replace(/:/g, '.'))));
    if (targets.length === 0 || !targets.every((route) => route.guarded)) return undefined;
    const names = [...new Set(targets.map((route) => `\`${route.definition.name}\``))].join(', ');
    const consequence = `${names}, the view it posts to, validates a FlaskForm (which checks its CSRF token) or otherwise refuses what a forged post sends, so the post will be rejected, not forged: a broken form unless a script adds the token`;
    return { kind: 'rejects', by: names, consequence, guard: 'flask' };
  }

  /**
   * The views the form posts to (see \`postedViews\`), when each is decorated by a
   * decorator of the project that checks CSRF before calling it (Weasyl's \`@token_checked\`): a
   * check of where the request comes from lets the site's own form pass, one of a token rejects it.
   */
  private decoratorCheck(form: TemplateForm, template: TemplateFile, view: string | undefined): ServerCheck | undefined {
    const targets = this.postedViews(form, template, view);
    if (targets.length === 0) return undefined;
    const checks = targets.map(({ module, definition }) => decoratorCsrfCheckOf(this.project, module, definition));
    if (checks.some((check) => check === undefined)) return undefined;
    if (checks.every((check) => check!.kind === 'origin')) return { kind: 'origin-checked' };
    const decorators = [...new Set(checks.map((check) => `\`@${lastName(check!.decorator)}\``))].join(', ');
    return { kind: 'rejects', by: `${decorators} on the view it posts to` };
  }

  /**
   * The views the form posts to, named by its action (\`url_for('bp.save')\`, \`route_path('save')\`,
   * a path a route table of the project binds, see \`routeTable\`, or every route under the folder a
   * computed path starts with: \`/reupload/\${feature}\`), or, for a form posting back, the unsafe views
   * of the routes of the view that renders it.
   */
  private postedViews(form: TemplateForm, template: TemplateFile, view: string | undefined): ExemptRenderer[] {
    const { projectRoot } = template;
    const table = routeTable(this.project, projectRoot);
    const unsafeViews = (routes: readonly TabledRoute[] | undefined) => (routes ?? []).flatMap((route) => route.views.filter((bound) => bound.unsafe));
    const routeName = ROUTE_PATH_NAME.exec(form.action ?? '')?.[2];
    if (routeName !== undefined) return unsafeViews(table.byName.get(routeName));
    if (view !== undefined) return this.functionsNamed(lastName(view.replace(/:/g, '.')), projectRoot);
    if (postsBack(form)) return unsafeViews(this.renderersOf(template).flatMap((renderer) => table.byView.get(renderer) ?? []));
    const path = form.action?.trim().split('?')[0];
    if (path === undefined || !path.startsWith('/')) return [];
    const computed = COMPUTED_PART.exec(path);
    if (computed === null) return unsafeViews(table.byPath.get(path));
    // `/reupload/${feature}`: any route under the written folder may be the one posted to.
    const folder = path.slice(0, path.lastIndexOf('/', computed.index) + 1);
    if (folder.length <= 1) return [];
    return unsafeViews([...table.byPath].flatMap(([routePath, routes]) => (routePath.startsWith(folder) ? routes : [])));
  }

  /**
   * Whether \`url_for('bp.save')\` names a view that is not there: the project's Flask apps list
   * all their views (none comes from an extension), the blueprint's name (\`bp\`) is one the
   * project's code passes (\`Blueprint("bp", ...)\`), and nothing of the project defines \`save\` or
   * passes it as a string (\`endpoint="save"\`, \`name="save"\`).
   */
  private namesMissingView(view: string, projectRoot: string): boolean {
    const apps = this.flaskApplications().filter((app) => related(app.module.projectRoot, projectRoot) && app.usage.serves);
    if (apps.length === 0 || apps.some((app) => app.usage.unlistedViewsFrom.length > 0)) return false;
    const parts = view.split(/[.:]/);
    const name = parts[parts.length - 1]!.toLowerCase();
    const { words, definitions } = this.namesOfApps(apps.map((app) => app.module.projectRoot));
    if (parts.slice(0, -1).some((prefix) => !words.has(prefix))) return false;
    return !words.has(name) && !definitions.has(name);
  }

  /**
   * The strings the modules of the apps' projects pass to calls, and the names (in lower case) they
   * define: the project of an app holds its blueprints' packages, which may lie beside the template's folder.
   */
  private namesOfApps(appRoots: readonly string[]): { words: Set<string>; definitions: Set<string> } {
    const key = [...new Set(appRoots)].sort().join('\n');
    const known = this.namesByAppRoots.get(key);
    if (known) return known;
    const names = { words: new Set<string>(), definitions: new Set<string>() };
    for (const module of this.project.modules) {
      if (!appRoots.some((root) => related(module.projectRoot, root))) continue;
      for (const { call } of module.facts.calls) for (const { value } of call.args) if (value.kind === 'string') names.words.add(value.value);
      for (const definition of module.facts.definitions) names.definitions.add(definition.name.toLowerCase());
    }
    this.namesByAppRoots.set(key, names);
    return names;
  }

  /** The project's functions of a name, in the template's project. */
  private functionsNamed(name: string, projectRoot: string): ExemptRenderer[] {
    if (!this.functionsByName) {
      this.functionsByName = new Map();
      for (const module of this.project.modules) {
        for (const definition of module.facts.definitions) {
          if (definition.kind === 'function') this.functionsByName.set(definition.name, [...(this.functionsByName.get(definition.name) ?? []), { module, definition }]);
        }
      }
    }
    return (this.functionsByName.get(name) ?? []).filter(({ module }) => related(module.projectRoot, projectRoot));
  }

  private namedDjangoView(form: TemplateForm, projectRoot: string): NamedDjangoView | undefined {
    const name = DJANGO_URL_NAME.exec(form.action ?? '')?.[2];
    if (name === undefined) return undefined;
    this.namedViews ??= djangoNamedViews(this.project);
    const routed = this.namedViews.get(name);
    return routed?.endpoints.some((endpoint) => related(endpoint.module.projectRoot, projectRoot)) ? routed : undefined;
  }

  /** Whether the scan holds URL confs of the project that name their routes: only then is a name they lack known to be missing. */
  private routesNamedViews(projectRoot: string): boolean {
    this.namedViews ??= djangoNamedViews(this.project);
    return [...this.namedViews.values()].some((routed) => routed.endpoints.some((endpoint) => related(endpoint.module.projectRoot, projectRoot)));
  }

  /** What the URL conf model says of the view a form posts to: exempt where routed or defined, protected by the middleware or `@csrf_protect`. */
  private routedViewCheck(name: string, routed: NamedDjangoView): ServerCheck {
    const exempt = routed.exemptWhereRouted || routed.endpoints.some((endpoint) => this.isExemptDjangoView(endpoint.module, endpoint.definition));
    if (exempt) return this.exemptViewCheck(`view \`${name}\` is exempt from CSRF checks`, routed.endpoints);
    const states = new Set(routed.endpoints.map((endpoint) => endpoint.protection.state));
    if (states.size === 1 && states.has('protected')) return { kind: 'rejects', by: routed.endpoints[0]!.protection.check.startsWith('@') ? `\`${routed.endpoints[0]!.protection.check}\` on the view` : "Django's CsrfViewMiddleware", guard: 'django' };
    if (states.has('unprotected')) return { kind: 'accepts', why: 'the Django settings lack CsrfViewMiddleware' };
    // A class named CsrfViewMiddleware from outside the scan: the settings finding asks to check it; a form is judged as if it does its job.
    if (states.size === 1 && states.has('unknown')) return { kind: 'rejects', by: 'the CsrfViewMiddleware of the settings (a class outside the scan)', guard: 'django' };
    if (states.size === 1 && states.has('exempt')) return { kind: 'harmless' };
    return { kind: 'unknown' };
  }

  /** `@csrf_exempt` on a function view; on a class view, or on its `dispatch`, directly or through `method_decorator(csrf_exempt)`. */
  private isExemptDjangoView(module: SourceModule, definition: Definition): boolean {
    const exempting = (site: { module: SourceModule; definition: Definition }) =>
      site.definition.decorators.some(({ expression }) => {
        if (isExemptDecorator(this.project, site.module, expression, site.definition.scope)) return true;
        if (expression.kind !== 'call' || this.project.resolve(site.module, expression.callee, site.definition.scope) !== DJANGO.methodDecorator) return false;
        const [decorator] = expression.args;
        return decorator !== undefined && isExemptDecorator(this.project, site.module, decorator.value, site.definition.scope);
      });
    if (exempting({ module, definition })) return true;
    if (definition.kind !== 'class') return false;
    const dispatch = this.project.findMethod(module.symbols.definitionName(definition), 'dispatch');
    return dispatch !== undefined && exempting(dispatch);
  }

  /**
   * A test suite's own `Flask(__name__)` or an example app beside the project does not serve the
   * project's templates: a production template is judged by production servers only, and with none
   * (a library's templates, rendered in the apps of its users) the check cannot be told.
   */
  private serverCheck(projectRoot: string, owner: string | undefined, servedInProduction: boolean): ServerCheck {
    const near = <T extends { module: SourceModule }>(candidates: T[]) => candidates.filter(({ module }) => related(module.projectRoot, projectRoot));
    // Django finds templates project-wide; an app of another framework renders those of its own folder.
    const serving = <T extends { module: SourceModule }>(candidates: T[]) => near(candidates).filter(({ module }) => mayServe(module, owner));
    const flaskServing = near(this.apps()).filter((app) => mayServe(app.module, owner) || servesFromViewFolders(app.viewFolders, owner));
    const servers = { django: near(this.settings()), flask: flaskServing, tornado: serving(this.tornado()), pyramid: serving(this.pyramid()), aiohttp: serving(this.aiohttp()) };
    const inProduction = servedInProduction || Object.values(servers).some((found) => found.some(({ module }) => module.context === 'production'));
    const kept = <T extends { module: SourceModule }>(found: T[]) => (inProduction ? found.filter(({ module }) => module.context === 'production') : found);
    const [django, flask, tornado, pyramid, aiohttp] = [kept(servers.django), kept(servers.flask), kept(servers.tornado), kept(servers.pyramid), kept(servers.aiohttp)];
    // The check of the first framework that decides, Django's and Flask's settings first.
    const check = ((): ServerCheck => {
      if (django.length > 0 && django.every((setting) => setting.protects) && flask.every((app) => app.protects)) return { kind: 'rejects', by: "Django's CsrfViewMiddleware", guard: 'django' };
      if (flask.length > 0 && flask.every((app) => app.checksOnlyOrigin) && django.length === 0) return { kind: 'origin-checked' };
      if (flask.length > 0 && flask.every((app) => app.protects) && django.length === 0) return { kind: 'rejects', by: "the Flask app's CSRF protection", guard: 'flask' };
      if (django.length === 0 && flask.length === 0 && tornado.length > 0) return tornadoCheck(tornado);
      if (django.length === 0 && flask.length === 0 && pyramid.length > 0) return endpointAppsCheck(pyramid, 'Pyramid');
      if (django.length === 0 && flask.length === 0 && aiohttp.length > 0) return endpointAppsCheck(aiohttp, 'aiohttp');
      if (django.some((setting) => !setting.protects)) return { kind: 'accepts', why: 'the Django settings lack CsrfViewMiddleware' };
      if (flask.some((app) => !app.protects)) return this.unprotectedFlaskCheck(projectRoot, owner, flask);
      const servesNothing = Object.values(servers).every((found) => found.length === 0);
      if (servesNothing && this.isReusableDjangoApp(projectRoot)) return REUSABLE_DJANGO_APP_CHECK;
      return { kind: 'unknown' };
    })();
    if (check.kind !== 'harmless') return check;
    // Harmless only when no app that may serve the template authenticates: a Flask helper app without accounts beside a
    // Tornado site that logs users in with a cookie does not make the site's forms harmless.
    const others = [tornado.length > 0 ? tornadoCheck(tornado) : undefined, pyramid.length > 0 ? endpointAppsCheck(pyramid, 'Pyramid') : undefined, aiohttp.length > 0 ? endpointAppsCheck(aiohttp, 'aiohttp') : undefined];
    return others.find((other) => other !== undefined && other.kind !== 'harmless') ?? check;
  }

  /**
   * A Django URL conf with no settings module anywhere in the scan: a reusable app (django-lfs),
   * whose templates a host project renders. Django's default settings run CsrfViewMiddleware, so the
   * host is assumed to; a settings module whose middleware list cannot be read keeps the check unknown.
   */
  private isReusableDjangoApp(projectRoot: string): boolean {
    const modules = this.project.modules.filter((module) => related(module.projectRoot, projectRoot));
    return !modules.some((module) => bindsAtTopLevel(module, DJANGO_SETTING_NAMES)) && modules.some(isDjangoUrlConf);
  }

  /**
   * A Flask app without CSRFProtect may still check every post itself: its views are subclasses of
   * a handler base class whose request path compares the post's token with the session's (indico's
   * `RH._check_csrf`), as the app rules already judge it.
   */
  private unprotectedFlaskCheck(projectRoot: string, owner: string | undefined, apps: ReadonlyArray<{ module: SourceModule }>): ServerCheck {
    const roots = new Set(apps.map(({ module }) => module.projectRoot));
    const [handler] = [...roots].flatMap((root) => csrfCheckingHandlers(this.project, root));
    if (handler !== undefined) return { kind: 'rejects', by: `the project's ${describeCsrfCheckingHandler(handler)}` };
    if (!this.hasAmbientCredential(projectRoot, owner)) return { kind: 'harmless' };
    const sameSite = this.sameSiteOfServingApps(projectRoot, owner);
    return { kind: 'accepts', why: 'no CSRFProtect guards the Flask app', ...(sameSite && { sameSite }) };
  }

  /**
   * The SameSite setting of the unprotected Flask apps that may serve the template, as the app rule
   * reads it (\`sameSiteOf\`): the weakest of them, and none unless each has one.
   */
  private sameSiteOfServingApps(projectRoot: string, owner: string | undefined): SameSiteSetting | undefined {
    const apps = this.flaskApplications().filter((app) => !app.protected && related(app.module.projectRoot, projectRoot) && (mayServe(app.module, owner) || servesFromViewFolders(viewFoldersOf(app), owner)));
    const settings = apps.map((app) => sameSiteOf(this.project, app, FLASK_APPLICATIONS));
    if (settings.length === 0 || settings.some((setting) => setting === undefined)) return undefined;
    return settings.find((setting) => setting!.level === 'lax') ?? settings[0];
  }

  /**
   * Whether a Flask app of the project keeps users logged in by something the browser sends by
   * itself, as the ambient-credential model judges it for the rules. Without one, a forged post acts
   * as nobody.
   */
  private hasAmbientCredential(projectRoot: string, owner: string | undefined): boolean {
    return this.flaskApplications().some((app) => related(app.module.projectRoot, projectRoot) && (mayServe(app.module, owner) || servesFromViewFolders(viewFoldersOf(app), owner)) && isCsrfTarget(ambientCredentialsOf(this.project, app)));
  }

  /**
   * An exempt view that authenticates the post by a signed value it was sent (a link's
   * `TimestampSigner().unsign(...)`), not by the cookie: a forged post without that value is refused.
   */
  private exemptRendererCheck(renderer: ExemptRenderer): ServerCheck {
    const signature = signatureCheck(this.project, renderer.module, renderer.definition);
    if (signature) {
      const consequence = `\`${renderer.definition.name}\`, the exempt view that renders it, verifies a signature (\`${signature}\`) it was sent, not the user's cookie, so a page on another site cannot forge this post without the signed value`;
      return { kind: 'rejects', by: renderer.definition.name, consequence };
    }
    return this.exemptViewCheck(`it posts back to \`${renderer.definition.name}\`, the view that renders it, which is exempt from CSRF checks`, [renderer]);
  }

  /**
   * An exempt view accepts the post; when every view behind it is a module-level function that
   * reads its input but no user or session, and hands its request to no code that does (see
   * `actsForNobody`, as the exemption rule judges it), the forged post does only what anybody can do
   * by calling it. A stub that reads nothing yet says nothing of whom it will act for.
   */
  private exemptViewCheck(why: string, views: readonly ExemptRenderer[]): ServerCheck {
    const forNobody = views.length > 0 && views.every(({ module, definition }) => definition.scope === MODULE_SCOPE && actsForNobody(this.project, module, definition)?.readsInput === true);
    return forNobody ? { kind: 'accepts', why, actsForNobody: true } : { kind: 'accepts', why };
  }

  /** The function that renders this template by name (`render(request, "shop/cart.html")`) and is exempt. */
  private exemptRenderer(template: TemplateFile): ExemptRenderer | undefined {
    for (const name of templateNames(template.path)) {
      const renderer = this.templateRenderers().get(name)?.find((site) => site.exempt && related(site.module.projectRoot, template.projectRoot));
      if (renderer) return renderer;
    }
    return undefined;
  }

  /**
   * The view a form without an action posts to, where it can be told: the one function of the
   * project that renders its template (wikmd's `login`), named for what the form is for.
   */
  postedBackView(form: TemplateForm, template: TemplateFile): string | undefined {
    if (!postsBack(form)) return undefined;
    const names = new Set(this.renderersOf(template).map((definition) => definition.name));
    return names.size === 1 ? [...names][0] : undefined;
  }

  /** The functions of the template's project that render it by name. */
  private renderersOf(template: TemplateFile): Definition[] {
    return templateNames(template.path).flatMap((name) => (this.templateRenderers().get(name) ?? []).filter((site) => related(site.module.projectRoot, template.projectRoot)).map((site) => site.definition));
  }

  /** Functions of the project by the template names they pass to a call, and whether each is exempt. */
  private templateRenderers(): Map<string, TemplateRenderer[]> {
    if (this.renderers) return this.renderers;
    const renderers = new Map<string, TemplateRenderer[]>();
    const add = (name: string, renderer: TemplateRenderer) => {
      const known = renderers.get(name) ?? [];
      known.push(renderer);
      renderers.set(name, known);
    };
    for (const module of this.project.modules) {
      for (const { name, definition } of classTemplateNames(module)) add(name, { module, definition, exempt: this.isExemptDjangoView(module, definition) });
      const classesTurningOff = classScopesTurningOffCsrf(module);
      for (const { call, scope } of module.facts.calls) {
        const definition = module.symbols.definitionOfScope(scope);
        if (definition?.kind !== 'function') continue;
        for (const argument of call.args) {
          if (argument.value.kind !== 'string' || !TEMPLATE_NAME.test(argument.value.value)) continue;
          const exempt = classesTurningOff.has(definition.scope) || definition.decorators.some(({ expression }) => isExemptDecorator(this.project, module, expression, definition.scope));
          add(argument.value.value, { module, definition, exempt });
        }
      }
    }
    this.renderers = renderers;
    return renderers;
  }

  private settings(): Array<{ module: SourceModule; protects: boolean }> {
    if (this.djangoSettings) return this.djangoSettings;
    const settings = new DjangoSettings(this.project);
    this.djangoSettings = this.project.modules.flatMap((module) => {
      const setting = settings.middleware(module);
      if (!setting?.list || setting.list.open || !looksLikeDjangoSettings(module, setting.list.entries)) return [];
      return [{ module, protects: settings.containsCsrfMiddleware(module, setting.list.entries) }];
    });
    return this.djangoSettings;
  }

  private apps(): Array<{ module: SourceModule; viewFolders: ReadonlySet<string>; protects: boolean; checksOnlyOrigin: boolean }> {
    // A bare app that serves no view (a script borrowing one for its database) serves no template either;
    // an instance of the project's own subclass is its app, whose views its methods may register unseen.
    this.flaskApps ??= this.flaskApplications()
      .filter((app) => app.protected || app.usage.serves || this.project.findDefinition(app.className) !== undefined)
      .map((app) => ({ module: app.module, viewFolders: viewFoldersOf(app), protects: app.protected, checksOnlyOrigin: app.checksOnlyOrigin === true }));
    return this.flaskApps;
  }

  /** The project's Flask apps: a whole-project analysis, so made once for every form. */
  private flaskApplications(): ReturnType<typeof findApplications> {
    this.foundFlaskApplications ??= findApplications(this.project, FLASK_APPLICATIONS);
    return this.foundFlaskApplications;
  }

  /** Tornado applications, as the endpoint inventory sees them: `xsrf_cookies`, and what authenticates a browser. */
  private tornado(): EndpointApp[] {
    this.tornadoApps ??= endpointApps(tornadoEndpoints(this.project));
    return this.tornadoApps;
  }

  /** Pyramid configurators, as the endpoint inventory sees them: `set_default_csrf_options`, `require_csrf` on views, and what authenticates a browser. */
  private pyramid(): EndpointApp[] {
    this.pyramidApps ??= endpointApps(pyramidEndpoints(this.project));
    return this.pyramidApps;
  }

  /** aiohttp applications, as the endpoint inventory sees them: a CSRF middleware, and what authenticates a browser. */
  private aiohttp(): EndpointApp[] {
    this.aiohttpApps ??= endpointApps(aiohttpEndpoints(this.project));
    return this.aiohttpApps;
  }

  /** The functions of the project named like the view (`bp.cart` is `cart`) and decorated `@csrf.exempt` or `@csrf_exempt`. */
  private exemptViewsNamed(view: string, projectRoot: string): ExemptRenderer[] {
    if (!this.exemptViews) {
      this.exemptViews = new Map();
      for (const module of this.project.modules) {
        for (const definition of module.facts.definitions) {
          if (!definition.decorators.some(({ expression }) => isExemptDecorator(this.project, module, expression, definition.scope))) continue;
          this.exemptViews.set(definition.name, [...(this.exemptViews.get(definition.name) ?? []), { module, definition }]);
        }
      }
    }
    const name = view.slice(Math.max(view.lastIndexOf('.'), view.lastIndexOf(':')) + 1);
    return (this.exemptViews.get(name) ?? []).filter(({ module }) => related(module.projectRoot, projectRoot));
  }
}

/** What a form of a reusable Django app meets: the host project's middleware, as Django's default settings have it. */
const REUSABLE_DJANGO_APP_CHECK: ServerCheck = {
  kind: 'rejects',
  by: "the host project's CsrfViewMiddleware",
  consequence: "no Django settings are in the scan, so this is a reusable app whose host project is assumed to run CsrfViewMiddleware, as Django's default settings do: the post will be rejected, not forged, a broken form unless a script adds the token",
  guard: 'django',
};

/** Names only a settings module binds at its top level. */
const DJANGO_SETTING_NAMES = new Set(['MIDDLEWARE', 'MIDDLEWARE_CLASSES', 'INSTALLED_APPS', 'ROOT_URLCONF', 'WSGI_APPLICATION', 'ASGI_APPLICATION']);

function bindsAtTopLevel(module: SourceModule, names: ReadonlySet<string>): boolean {
  return module.facts.assignments.some(({ scope, target }) => scope === MODULE_SCOPE && target.kind === 'name' && names.has(target.id));
}

/** A module binding `urlpatterns` that imports Django. */
function isDjangoUrlConf(module: SourceModule): boolean {
  if (!bindsAtTopLevel(module, URL_CONF_NAMES)) return false;
  return module.facts.imports.some((statement) => statement.level === 0 && (statement.module === 'django' || statement.module.startsWith('django.')));
}

const URL_CONF_NAMES = new Set(['urlpatterns']);

/**
 * Class-based views naming their template by a class attribute, as a whole path
 * (`template_name = "manage/seo/seo.html"`), which `templateNames` matches under any template root.
 */
function classTemplateNames(module: SourceModule): Array<{ name: string; definition: Definition }> {
  const found: Array<{ name: string; definition: Definition }> = [];
  for (const { scope, target, value, operator } of module.facts.assignments) {
    if (operator !== '=' || target.kind !== 'name' || target.id !== 'template_name' || value?.kind !== 'string' || !TEMPLATE_NAME.test(value.value)) continue;
    const definition = module.symbols.definitionOfScope(scope);
    if (definition?.kind === 'class') found.push({ name: value.value, definition });
  }
  return found;
}

/**
 * Class bodies that turn their base's CSRF check off with a class attribute (indico's
 * `CSRF_ENABLED = False` on a handler whose base `RH` checks every post): their methods render pages
 * whose posts come back unchecked, as an exempt view's do.
 */
function classScopesTurningOffCsrf(module: SourceModule): Set<number> {
  const scopes = new Set<number>();
  for (const { scope, target, value, operator } of module.facts.assignments) {
    if (operator !== '=' || target.kind !== 'name' || !/csrf/i.test(target.id) || value?.kind !== 'constant' || value.value !== false) continue;
    if (module.symbols.definitionOfScope(scope)?.kind === 'class') scopes.add(scope);
  }
  return scopes;
}

interface ExemptRenderer {
  module: SourceModule;
  definition: Definition;
}

/** A function that renders a template by name, and whether it is exempt from CSRF checks. */
interface TemplateRenderer extends ExemptRenderer {
  exempt: boolean;
}

/** An application by the endpoints the inventory gives it. */
interface EndpointApp {
  /** A module of one of its views: where the app's templates are. */
  module: SourceModule;
  /** Every state-changing view of it is checked. */
  protects: boolean;
  /** What checks them: `set_default_csrf_options(require_csrf=True)`. */
  checkedBy: string | undefined;
  /** None of its views is checked. */
  checksNothing: boolean;
  authenticates: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function endpointApps(endpoints: readonly RoutedEndpoint[]): EndpointApp[] {
  const byApp = new Map<string, EndpointApp>();
  for (const endpoint of endpoints) {
    const { protection, credentials } = endpoint;
    if (endpoint.methods.every((method) => SAFE_METHODS.has(method))) continue;
    const app: EndpointApp = byApp.get(endpoint.app.name) ?? { module: endpoint.module, protects: true, checkedBy: undefined, checksNothing: true, authenticates: false };
    if (protection.state === 'protected') app.checkedBy ??= protection.check;
    app.protects &&= protection.state === 'protected';
    app.checksNothing &&= protection.state === 'unprotected' || protection.state === 'exempt';
    app.authenticates ||= !NO_AMBIENT_CREDENTIAL.has(credentials);
    byApp.set(endpoint.app.name, app);
  }
  return [...byApp.values()];
}

/** Credentials a forged request cannot carry along. */
const NO_AMBIENT_CREDENTIAL = new Set(['none', 'header token only']);

/** An app that checks no view and logs users in with a cookie (AuthTkt, a session) accepts a forged post; one without accounts has nothing to forge. */
function endpointAppsCheck(apps: readonly EndpointApp[], framework: string): ServerCheck {
  if (apps.every((app) => app.protects)) return { kind: 'rejects', by: `the ${framework} app's \`${apps[0]!.checkedBy ?? 'CSRF check'}\`` };
  if (apps.every((app) => !app.authenticates)) return { kind: 'harmless' };
  if (apps.every((app) => app.checksNothing)) return { kind: 'accepts', why: `the ${framework} app checks CSRF on no view and logs users in with a cookie` };
  return { kind: 'unknown' };
}

function tornadoCheck(apps: readonly EndpointApp[]): ServerCheck {
  if (apps.every((app) => app.protects)) return { kind: 'rejects', by: "Tornado's `xsrf_cookies`" };
  const unprotected = apps.filter((app) => !app.protects);
  if (unprotected.every((app) => !app.authenticates)) return { kind: 'harmless' };
  if (apps.every((app) => app.checksNothing)) return { kind: 'accepts', why: 'the Tornado app checks no XSRF token (`xsrf_cookies` is off) and logs users in with a cookie' };
  return { kind: 'unknown' };
}

function isExemptDecorator(project: Project, module: SourceModule, expression: Expr, scope: number): boolean {
  if (expression.kind === 'attribute' && expression.attribute === 'exempt') return isCsrfProtectObject(project, module, expression.object, scope);
  return project.resolve(module, expression, scope) === DJANGO.csrfExempt;
}

/**
 * The names a template can be rendered by: each tail of its path (`shop/cart.html`, `cart.html`),
 * and the tail under a `templates` folder prefixed with the folder's package (`oauth/authorize.html`
 * for `modules/oauth/templates/authorize.html`), as a Flask blueprint's or a plugin's loader names it.
 */
function templateNames(path: string): string[] {
  const segments = path.split('/');
  const names = segments.map((_, index) => segments.slice(index + 1).join('/')).filter((name) => name !== '');
  segments.forEach((segment, index) => {
    if (TEMPLATE_FOLDERS.has(segment) && index > 0 && index < segments.length - 1) names.push(`${segments[index - 1]}/${segments.slice(index + 1).join('/')}`);
  });
  return names;
}

const TEMPLATE_FOLDERS = new Set(['templates', 'jinja2']);

/** The folder holding a template's `templates` folder (`examples/flask` for `examples/flask/templates/login.html`); `undefined` outside one. */
function templateOwnerFolder(template: TemplateFile): string | undefined {
  const segments = path.dirname(template.absolutePath).split(path.sep);
  const at = segments.findLastIndex((segment) => TEMPLATE_FOLDERS.has(segment));
  return at > 0 ? segments.slice(0, at).join(path.sep) : undefined;
}

/**
 * Whether an app may render a template: its module lies in the folder holding the template's
 * `templates` folder, or that folder lies in the module's. Two apps side by side (two examples,
 * each with its own `templates/login.html`) render their own.
 */
function mayServe(module: SourceModule, owner: string | undefined): boolean {
  if (owner === undefined) return true;
  const folder = path.dirname(module.absolutePath);
  return folder === owner || folder.startsWith(`${owner}${path.sep}`) || owner.startsWith(`${folder}${path.sep}`);
}

/** The folders of the modules that define an app's routed views: a blueprint's package renders the templates beside it. */
function viewFoldersOf(app: ReturnType<typeof findApplications>[number]): Set<string> {
  return new Set(app.usage.routes.map((route) => path.dirname(route.module.absolutePath)));
}

/**
 * A Flask app renders the templates of a package whose views it routes, wherever the app is made:
 * Indico's `modules/events/abstracts/templates/` are rendered by the views of
 * `modules/events/abstracts/controllers/`, registered on the app made in `web/flask/app.py`.
 */
function servesFromViewFolders(viewFolders: ReadonlySet<string>, owner: string | undefined): boolean {
  if (owner === undefined) return false;
  for (const folder of viewFolders) if (folder === owner || folder.startsWith(`${owner}${path.sep}`)) return true;
  return false;
}

const TEMPLATE_NAME = /\.(?:html?|jinja2?|j2|djhtml)$/;

/** A form without an action (or with `""`, `"#"`, `"."`) posts to the page it is on. */
function postsBack(form: TemplateForm): boolean {
  return form.action === undefined || ['', '#', '.', './'].includes(form.action.trim());
}

function lastName(qualified: string): string {
  return qualified.slice(qualified.lastIndexOf('.') + 1);
}
