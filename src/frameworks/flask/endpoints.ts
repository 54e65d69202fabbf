import { type Application, type ApplicationKind, findApplications } from '../../project/applications.js';
import { FLASK_APPLICATIONS, QUART_APPLICATIONS } from './names.js';
import { readsNoCredential, readsRequestCookie, viewCredentials } from './view-credentials.js';
import { decoratorCsrfCheckOf, describeDecoratorCsrfCheck } from '../../project/decorator-csrf-checks.js';
import { describeCsrfCheckingHandler, type HandlerBaseCheck, handlerBaseCheckOf } from '../../project/handler-checks.js';
import type { Project } from '../../project/project.js';
import type { RoutedView } from '../../project/views.js';
import { appAuthentication, appSite, withTargetReason } from '../../endpoints/apps.js';
import { ANY_METHOD, type Credentials, type Place, type Protection, type RoutedEndpoint, sortedMethods } from '../../endpoints/endpoint.js';

/** Flask-SeaSurf's extension: the protector the inventory names for an app it protects. */
const SEASURF = new Set(['flask_seasurf.SeaSurf']);

const FRAMEWORKS: Array<{ framework: string; kind: ApplicationKind; protector: string }> = [
  { framework: 'flask', kind: FLASK_APPLICATIONS, protector: 'CSRFProtect' },
  { framework: 'quart', kind: QUART_APPLICATIONS, protector: 'CSRFProtect (quart)' },
];

/**
 * The views of every Flask and Quart app, with its blueprints': `@app.route`, `@bp.post`,
 * `add_url_rule`. An app given to `CSRFProtect` or SeaSurf protects them all; otherwise a view that
 * validates a FlaskForm, checks a token itself or reads only JSON is protected by that.
 */
export function flaskEndpoints(project: Project): RoutedEndpoint[] {
  return FRAMEWORKS.flatMap(({ framework, kind, protector }) => {
    const protectorCall = firstProtectorCall(project, kind);
    const protectorName = protectorCall && project.isSubclassOf(protectorCall.className, SEASURF) ? 'SeaSurf' : protector;
    return findApplications(project, kind).flatMap((app) => appEndpoints(project, app, framework, appProtection(app, protectorName, protectorCall?.place)));
  });
}

function appProtection(app: Application, protector: string, protectorPlace: Place | undefined): Protection {
  if (app.protected && app.checkingHook) return { state: 'protected', check: `\`before_request\` hook \`${app.checkingHook.name}\``, evidence: { file: app.checkingHook.module, line: app.checkingHook.line } };
  if (app.protected) return { state: 'protected', check: protector, ...(protectorPlace ? { evidence: protectorPlace } : {}) };
  return { state: 'unprotected', check: `no ${protector}`, evidence: { file: app.module, line: app.call.range.line } };
}

function appEndpoints(project: Project, app: Application, framework: string, appLevel: Protection): RoutedEndpoint[] {
  const site = appSite(app, framework);
  const authentication = appAuthentication(project, app);
  const protection = withTargetReason(appLevel, authentication);
  return uniqueRoutes(app.usage.routes).map((route) => ({
    app: site,
    module: route.module,
    definition: route.definition,
    view: route.name,
    route: route.route ?? null,
    methods: route.methods === 'unknown' ? [ANY_METHOD] : sortedMethods(route.methods),
    protection: protection.state !== 'unprotected' ? protection : route.guarded ? viewCheck(project, route, protection) : route.scriptMethodsOnly ? { ...protection, reason: SCRIPT_METHODS_ONLY } : protection,
    credentials: viewCredentials(project, route.module, route.definition) ?? sessionCredentials(project, route, authentication.credentials),
    ...(route.exemptedAt ? { exemptedAt: route.exemptedAt.map(({ module, line }) => ({ file: module, line })) } : {}),
    ...(route.formsWithoutTokenAt ? { relatedAt: route.formsWithoutTokenAt.map(({ module, line }) => ({ file: module, line })) } : {}),
  }));
}

/**
 * A view of an unprotected app that a forged form cannot use: its handler base class checks the
 * token, it validates a form or a token, or reads only JSON. One that only trades an HTTP Basic
 * password for a token checks nothing: it stays unprotected, with the reason it is no finding.
 */
function viewCheck(project: Project, route: RoutedView, appLevel: Protection): Protection {
  if (route.issuesTokenForPassword) return { ...appLevel, reason: TOKEN_FOR_PASSWORD };
  const handlerCheck = route.definition.kind === 'class' ? handlerBaseCheckOf(project, route.module, route.definition) : undefined;
  if (handlerCheck) return handlerProtection(handlerCheck);
  const decorated = decoratorCsrfCheckOf(project, route.module, route.definition);
  if (decorated) return { state: 'protected', inView: true, check: describeDecoratorCsrfCheck(decorated), evidence: { file: route.module, line: route.definition.range.line } };
  return { state: 'protected', inView: true, check: 'checked in the view (form, token or JSON-only body)', evidence: { file: route.module, line: route.definition.range.line } };
}

const SCRIPT_METHODS_ONLY =
  'it answers only methods no HTML form sends (PUT, PATCH, DELETE), and the project lets no other site send them with cookies by CORS: a forged request must come from a script the browser stops';

const TOKEN_FOR_PASSWORD =
  'it trades the HTTP Basic password a browser may have cached for a new token: a forged request can make it mint one, but another site cannot read the token from the response';

function handlerProtection({ handler, handlerAt, turnedOffAt }: HandlerBaseCheck): Protection {
  if (!turnedOffAt) return { state: 'protected', inView: true, check: describeCsrfCheckingHandler(handler), evidence: { file: handlerAt.module, line: handlerAt.line } };
  const base = handler.className.slice(handler.className.lastIndexOf('.') + 1);
  const reason = `\`${turnedOffAt.flag}\` turns off the check of its handler base class \`${base}\`, which no rule reports`;
  return { state: 'exempt', inView: true, check: turnedOffAt.flag, evidence: { file: turnedOffAt.module, line: turnedOffAt.line }, reason };
}

/**
 * The app's session cookie, unless the view reads no user at all (\`POST /api/users\` registering
 * an account): then none, or another cookie when it reads one of the request's cookies itself
 * (hashview's agent API, which looks its caller up by a \`uuid\` cookie).
 */
function sessionCredentials(project: Project, route: RoutedView, appCredentials: Credentials): Credentials {
  if (appCredentials !== 'session cookie' || !readsNoCredential(project, route.module, route.definition)) return appCredentials;
  return readsRequestCookie(project, route.module, route.definition) ? 'other cookie' : 'none';
}

/** The same view routed twice under one rule (stacked decorators seen through two names) is one endpoint. */
function uniqueRoutes(routes: RoutedView[]): RoutedView[] {
  const seen = new Set<string>();
  return routes.filter((route) => {
    const key = `${route.module.path}:${route.definition.range.line}:${route.route ?? ''}:${route.methods === 'unknown' ? '?' : [...route.methods].join(',')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Where the project builds its CSRF protector (`CSRFProtect(app)`, `csrf = SeaSurf()`), for the evidence column, and of which class. */
function firstProtectorCall(project: Project, kind: ApplicationKind): { place: Place; className: string } | undefined {
  const family = project.classFamily(kind.protectorClasses);
  const names = project.identifiersFor(family);
  for (const module of project.modules) {
    for (const { call, scope } of module.facts.calls) {
      const callee = call.callee.kind === 'name' ? call.callee.id : call.callee.kind === 'attribute' ? call.callee.attribute : '';
      const className = names.has(callee) ? project.resolve(module, call.callee, scope) : undefined;
      if (className !== undefined && family.has(className)) return { place: { file: module, line: call.range.line }, className };
    }
  }
  return undefined;
}
