import type { Argument, Definition } from '../../python/facts.js';
import { type Application, findApplications } from '../../project/applications.js';
import type { Project } from '../../project/project.js';
import { corniceViews } from './cornice.js';
import { pyramidViewOwnCheck, viewDefaultArguments, type ViewArguments } from './views.js';
import { csrfCheckingSubscriber, defaultCsrfSetting, isExceptionView, methodCalls, PYRAMID_CONFIGURATORS } from './configuration.js';
import type { SourceModule } from '../../project/source-module.js';
import { dereference, stringValue, truthiness } from '../../project/values.js';
import { appAuthentication, appSite, withTargetReason } from '../../endpoints/apps.js';
import { ANY_METHOD, type AppSite, type Credentials, type Protection, type RoutedEndpoint, sortedMethods } from '../../endpoints/endpoint.js';

interface ConfiguratorContext {
  app: Application;
  site: AppSite;
  protection: Protection;
  credentials: Credentials;
}

/**
 * The views of every Pyramid project: `@view_config(route_name=..., request_method=...)` and
 * `config.add_view(view, ...)`, with the pattern `config.add_route(name, pattern)` gives the route.
 * `set_default_csrf_options(require_csrf=True)` protects them; `require_csrf=True` on a view protects it.
 */
export function pyramidEndpoints(project: Project): RoutedEndpoint[] {
  const configurators = findApplications(project, PYRAMID_CONFIGURATORS).map((app) => configuratorContext(project, app));
  if (configurators.length === 0) return [];
  const patterns = routePatterns(project);
  const endpoints: RoutedEndpoint[] = [];
  for (const module of project.modules) {
    const context = contextFor(configurators, module);
    if (!context) continue;
    for (const definition of module.facts.definitions) {
      for (const { expression } of definition.decorators) {
        if (expression.kind !== 'call' || project.resolve(module, expression.callee, definition.scope) !== 'pyramid.view.view_config') continue;
        const args = [...expression.args, ...viewDefaultArguments(project, module, definition)];
        // Pyramid calls an exception view only when another view raised; no request reaches it by a URL.
        if (isExceptionView(project, module, definition.scope, args)) continue;
        endpoints.push(viewEndpoint(project, module, definition, definition.scope, args, patterns, context));
      }
    }
    for (const { call, scope } of module.facts.calls) {
      if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'add_view' || isExceptionView(project, module, scope, call.args)) continue;
      const view = call.args.find((argument) => argument.name === 'view') ?? call.args.find((argument) => !argument.name && !argument.unpack);
      const name = view && (stringValue(project, { module, scope, expr: view.value }) ?? project.resolve(module, view.value, scope));
      const site = name === undefined ? undefined : project.findDefinition(name);
      if (site) endpoints.push(viewEndpoint(project, site.module, site.definition, scope, call.args, patterns, context, module));
    }
  }
  for (const cornice of corniceViews(project)) {
    const context = contextFor(configurators, cornice.module);
    if (!context) continue;
    const endpoint = viewEndpoint(project, cornice.module, cornice.definition, cornice.scope, cornice.args, patterns, context, cornice.writtenIn);
    endpoints.push({ ...endpoint, view: cornice.view, route: cornice.route, methods: cornice.methods });
  }
  return endpoints;
}

function configuratorContext(project: Project, app: Application): ConfiguratorContext {
  const site = appSite(app, 'pyramid');
  const factory = methodCalls(project, 'set_session_factory').find((call) => call.module.projectRoot === app.module.projectRoot);
  const authentication = appAuthentication(project, app, factory ? [{ kind: 'session-cookie', what: '`set_session_factory(...)`', path: factory.module.path, line: factory.call.range.line }] : []);
  // A test's own set-up turns the check on for the test alone.
  const defaults = methodCalls(project, 'set_default_csrf_options').filter((call) => call.module.projectRoot === app.module.projectRoot && (call.module.context !== 'test' || app.module.context === 'test'));
  const on = defaults.find((call) => defaultCsrfSetting(project, call) === 'on');
  const protection: Protection = on
    ? { state: 'protected', check: 'set_default_csrf_options(require_csrf=True)', evidence: { file: on.module, line: on.call.range.line } }
    : (subscriberProtection(project, app) ?? { state: 'unprotected', check: 'no default CSRF check', evidence: site.anchor });
  return { app, site, credentials: authentication.credentials, protection: withTargetReason(withBasicOnlyReason(protection, authentication.credentials), authentication) };
}

/** Why an unprotected app whose users only send HTTP Basic credentials has no finding: the rule is about cookies. */
function withBasicOnlyReason(protection: Protection, credentials: Credentials): Protection {
  if (protection.state === 'protected' || credentials !== 'HTTP Basic') return protection;
  return { ...protection, reason: 'HTTP Basic is its only ambient credential: pyramid-csrf-protection-missing reports configurators that keep a session or an AuthTkt cookie' };
}

/** A subscriber to every request that checks the token protects the views of its Configurator's project. */
function subscriberProtection(project: Project, app: Application): Protection | undefined {
  const subscriber = csrfCheckingSubscriber(project, app.module);
  if (!subscriber) return undefined;
  return { state: 'protected', check: `NewRequest subscriber \`${subscriber.definition.name}\``, evidence: { file: subscriber.module, line: subscriber.definition.range.line } };
}

/**
 * The configurator of the view's project that sits nearest to it (`config.scan()` scans the caller's
 * own package: a tutorial's copy under `docs/` belongs to the tutorial's `main()`), a production one
 * among equals.
 */
function contextFor(configurators: ConfiguratorContext[], module: SourceModule): ConfiguratorContext | undefined {
  const sameProject = configurators.filter(({ app }) => app.module.projectRoot === module.projectRoot);
  const nearness = ({ app }: ConfiguratorContext) => sharedDirectoryDepth(app.module.path, module.path);
  const nearest = Math.max(...sameProject.map(nearness));
  const candidates = sameProject.filter((context) => nearness(context) === nearest);
  return candidates.find(({ app }) => app.module.context === 'production') ?? candidates[0];
}

/** How many leading directories two file paths share. */
function sharedDirectoryDepth(first: string, second: string): number {
  const a = first.split('/').slice(0, -1);
  const b = second.split('/').slice(0, -1);
  let depth = 0;
  while (depth < a.length && depth < b.length && a[depth] === b[depth]) depth++;
  return depth;
}

/**
 * `config.add_route("name", "/pattern")`, by route name. A test that adds a route of the same name
 * (to call a view under a short path) does not change where the app serves it: production wins.
 */
function routePatterns(project: Project): Map<string, string> {
  const patterns = new Map<string, string>();
  const fromTests = new Set<string>();
  for (const { module, scope, call } of methodCalls(project, 'add_route')) {
    const [name, pattern] = call.args.filter((argument) => !argument.name && !argument.unpack);
    const patternArgument = call.args.find((argument) => argument.name === 'pattern') ?? pattern;
    const routeName = name && stringValue(project, { module, scope, expr: name.value });
    const text = patternArgument && stringValue(project, { module, scope, expr: patternArgument.value });
    if (routeName === undefined || text === undefined) continue;
    const inTest = module.context === 'test';
    if (inTest && patterns.has(routeName) && !fromTests.has(routeName)) continue;
    patterns.set(routeName, text);
    if (inTest) fromTests.add(routeName);
    else fromTests.delete(routeName);
  }
  return patterns;
}

function viewEndpoint(project: Project, module: SourceModule, definition: Definition, scope: number, args: Argument[], patterns: Map<string, string>, context: ConfiguratorContext, writtenIn = module): RoutedEndpoint {
  const keyword = (name: string) => args.find((argument) => argument.name === name);
  const routeName = keyword('route_name');
  const name = routeName && stringValue(project, { module: writtenIn, scope, expr: routeName.value });
  const required = keyword('require_csrf');
  const viewCheck = required && truthiness(project, { module: writtenIn, scope, expr: required.value }) === 'truthy';
  const protection: Protection = viewCheck ? { state: 'protected', inView: true, check: 'require_csrf=True', evidence: { file: writtenIn, line: required.range.line } } : (ownProtection(project, module, definition, { args, writtenIn, scope }, context.protection) ?? context.protection);
  const owner = module.symbols.definitionOfScope(definition.scope);
  return {
    app: context.site,
    module,
    definition,
    view: owner?.kind === 'class' ? `${owner.name}.${definition.name}` : definition.name,
    route: name === undefined ? null : (patterns.get(name) ?? null),
    methods: requestMethods(project, writtenIn, scope, keyword('request_method')),
    protection,
    credentials: context.credentials,
  };
}

/** A view of an app that does not check it by default, that checks the token itself or validates a schema that does. */
function ownProtection(project: Project, module: SourceModule, definition: Definition, configuration: ViewArguments, appProtection: Protection): Protection | undefined {
  if (appProtection.state === 'protected') return undefined;
  const own = pyramidViewOwnCheck(project, module, definition, configuration);
  return own && { state: 'protected', inView: true, check: `${own.call} in the view`, evidence: { file: own.module, line: own.line } };
}

function requestMethods(project: Project, module: SourceModule, scope: number, argument: Argument | undefined): string[] {
  if (!argument) return [ANY_METHOD];
  const value = dereference(project, { module, scope, expr: argument.value });
  const items = value.expr.kind === 'list' || value.expr.kind === 'tuple' || value.expr.kind === 'set' ? value.expr.items : [value.expr];
  const methods = items.map((item) => stringValue(project, { ...value, expr: item }));
  return methods.every((method) => method !== undefined) ? sortedMethods(methods as string[]) : [ANY_METHOD];
}

