import type { CallExpr } from '../../python/facts.js';
import type { DefinitionSite, Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { isVendoredModule } from '../../project/context.js';
import { overrideBehaviour } from '../../project/overrides.js';
import { applicationRoutes, builtOnJupyterServerHandler, checksTokenInPrepare, createsApplication, definesUnsafeMethod, guardedByLibraryMixin, finalSetting, handlersOfProject, readsBrowserUser, returnedSettings, routeTablePatterns, settingsOf, TORNADO, type UnreadWrite } from './routes.js';
import { routeText } from '../../project/route-text.js';
import type { ValueSite } from '../../project/values.js';
import { classMethods } from '../../endpoints/class-views.js';
import { appAuthentication, withTargetReason } from '../../endpoints/apps.js';
import type { AppSite, Credentials, Place, Protection, RoutedEndpoint } from '../../endpoints/endpoint.js';
import { xsrfNeverSet } from './setting-mentions.js';
import { isSignInView } from '../../templates/form-purpose.js';

/**
 * The handlers of every Tornado `Application([(r"/x", Handler), url(...)], ...)`: one endpoint per
 * handler class, answering the methods it defines. `xsrf_cookies=True` protects them all. When the
 * list cannot be read (built by a function, handlers loaded by name), the app may route to every
 * handler class of its project, as the rule judges it: those are listed, with no route.
 */
export function tornadoEndpoints(project: Project): RoutedEndpoint[] {
  const family = project.classFamily(new Set([TORNADO.application]));
  const names = project.identifiersFor(family);
  return project.modules.flatMap((module) =>
    module.facts.calls.flatMap(({ call, scope }) => (createsApplication(project, module, call, scope, family, names) ? applicationEndpoints(project, module, call, scope) : [])),
  );
}

function applicationEndpoints(project: Project, module: SourceModule, call: CallExpr, scope: number): RoutedEndpoint[] {
  const app: AppSite = { name: `Application at ${module.path}:${call.range.line}`, framework: 'tornado', anchor: { file: module, line: call.range.line }, anchorRange: call.range };
  const { protection: appProtection, credentials } = applicationProtection(project, module, call, scope, app);
  const { routes, complete } = applicationRoutes(project, module, call, scope);
  const listed = routes.flatMap(({ pattern, handler }) => {
    const route = pattern ? (routeText(project, pattern) ?? null) : null;
    return handler === undefined ? [] : handlerEndpoint(project, handler, route, app, appProtection, credentials);
  });
  if (complete) return listed;
  const seen = new Set(routes.map(({ handler }) => handler));
  const unlisted = handlersOfProject(project, module.projectRoot).filter((handler) => !seen.has(handler));
  const tables = routeTablePatterns(project, module.projectRoot);
  return [...listed, ...unlisted.flatMap((handler) => tabledRoutes(project, tables.get(handler)).flatMap((route) => handlerEndpoint(project, handler, route, app, appProtection, credentials)))];
}

/** The routes a project's route tables give a handler the app's list does not show; one unknown route when none does. */
function tabledRoutes(project: Project, patterns: ValueSite[] | undefined): Array<string | null> {
  if (!patterns) return [null];
  return patterns.map((pattern) => routeText(project, pattern) ?? null);
}


/** What the app's settings say protects its handlers. */
interface AppProtection {
  protection: Protection;
  /** \`false\` when a user's configuration may change it: a handler's own check, which holds whatever it says, is shown first. */
  settled: boolean;
}

function applicationProtection(project: Project, module: SourceModule, call: CallExpr, scope: number, app: AppSite): { protection: AppProtection; credentials: Credentials } {
  const written = settingsOf(project, module, call, scope);
  const returned = written ? undefined : returnedSettings(project, module, call, scope);
  const settings = written ?? returned?.settings;
  const xsrf = settings && finalSetting(project, settings, 'xsrf_cookies');
  const evidence = xsrf?.entry ? { file: xsrf.entry.value.module, line: xsrf.entry.range.line } : app.anchor;
  const secret = settings?.find((entry) => entry.key === 'cookie_secret');
  const authentication = appAuthentication(project, { module, call, scope }, secret ? [{ kind: 'browser-state', what: '`cookie_secret` set', path: secret.value.module.path, line: secret.range.line }] : []);
  const read = settings === undefined && xsrfNeverSet(project, module.projectRoot, call) ? neverSetProtection(evidence) : xsrfProtection(xsrf, evidence);
  const protection = returned?.unreadWrite ? overridableProtection(read, returned.unreadWrite) : read;
  return { protection: { protection: withTargetReason(protection, authentication), settled: returned?.unreadWrite === undefined }, credentials: authentication.credentials };
}

/**
 * Settings the code writes out, then updates from a mapping the scan cannot read (Jupyter Server's
 * \`settings.update(settings_overrides)\`, its users' \`tornado_settings\`): \`xsrf_cookies=True\` as
 * written protects the app unless a user's configuration turns it off, which the row says; a
 * false or missing one may be turned on there, so it is unknown.
 */
function overridableProtection(protection: Protection, write: UnreadWrite): Protection {
  const where = `\`${write.text}\` (${write.module.path}:${write.line})`;
  if (protection.state === 'protected') return { ...protection, check: `xsrf_cookies, unless ${where} turns it off` };
  return { ...protection, state: 'unknown', check: `${protection.check}, unless ${where} turns it on` };
}

function neverSetProtection(evidence: Place): Protection {
  return { state: 'unprotected', check: 'no code of the project sets xsrf_cookies', evidence };
}

/** `xsrf_cookies` as the settings end with it; settings or a value the scan cannot read leave the check unknown, as the rule leaves it unreported. */
function xsrfProtection(xsrf: ReturnType<typeof finalSetting> | undefined, evidence: Place): Protection {
  if (xsrf === undefined) return { state: 'unknown', check: 'xsrf_cookies in settings built where csrflint cannot read them', evidence };
  if (xsrf.state === 'truthy') return { state: 'protected', check: 'xsrf_cookies', evidence };
  if (xsrf.state === 'falsy') return { state: 'unprotected', check: 'no xsrf_cookies', evidence };
  return { state: 'unknown', check: 'xsrf_cookies set to a value the scan cannot tell', evidence };
}

/** The handler's own protection: a token check in its \`prepare()\` (its own or Jupyter Server's), or a JupyterHub service mixin. */
function handlerProtection(project: Project, handler: string, site: DefinitionSite): Protection | undefined {
  const evidence = { file: site.module, line: site.definition.range.line };
  if (checksTokenInPrepare(project, handler)) return { state: 'protected', inView: true, check: 'prepare() checks the token', evidence };
  if (guardedByLibraryMixin(project, handler)) return { state: 'protected', inView: true, check: 'a JupyterHub service mixin authenticates no forged request', evidence };
  if (builtOnJupyterServerHandler(project, handler)) return { state: 'protected', inView: true, check: "Jupyter Server's prepare() checks the token", evidence };
  return undefined;
}

/**
 * A \`check_xsrf_cookie\` the handler defines or inherits that never checks: Tornado's check and
 * Jupyter Server's \`prepare()\` both call it, so the handler is exempt whatever the app's settings.
 * The rule reports it unless the handler's state-changing methods change nothing (a CSP report
 * that is only logged) or never read who the user is: that is the reason the row gives.
 */
function skippedCheck(project: Project, handler: string): Protection | undefined {
  const override = project.findMethod(handler, 'check_xsrf_cookie');
  if (!override || isVendoredModule(override.module) || overrideBehaviour(project, override) !== 'accepts-all') return undefined;
  const owner = override.module.symbols.definitionOfScope(override.definition.scope);
  const evidence = { file: override.module, line: override.definition.range.line };
  const exemption: Protection = { state: 'exempt', check: `${owner?.name ?? handler}.check_xsrf_cookie`, evidence };
  if (!definesUnsafeMethod(project, handler)) return { ...exemption, reason: 'its post, put, patch and delete only log or raise: a forged request changes nothing' };
  const ownerName = owner === undefined ? handler : override.module.symbols.definitionName(owner);
  if (!isSignInView(owner?.name ?? handler) && !readsBrowserUser(project, ownerName)) return { ...exemption, reason: 'no state-changing method of it reads who its user is: a forged request acts for nobody' };
  return exemption;
}

function handlerEndpoint(project: Project, handler: string, route: string | null, app: AppSite, { protection, settled }: AppProtection, credentials: Credentials): RoutedEndpoint[] {
  const site = project.findDefinition(handler);
  if (!site || site.definition.kind !== 'class') return [];
  const methods = classMethods(project, handler);
  if (methods.length === 0) return [];
  const own = skippedCheck(project, handler) ?? (settled && protection.state === 'protected' ? protection : (handlerProtection(project, handler, site) ?? protection));
  return [{ app, module: site.module, definition: site.definition, view: site.definition.name, route, methods, protection: own, credentials }];
}
