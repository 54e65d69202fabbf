import type { CallExpr, Expr } from '../python/facts.js';
import type { Project } from '../project/project.js';
import type { SourceModule } from '../project/source-module.js';
import { TORNADO } from '../project/tornado.js';
import { dereference, stringValue } from '../project/values.js';
import { createsApplication, finalSetting, settingsOf } from '../rules/tornado/tornado-xsrf-disabled.js';
import { classMethods } from './class-views.js';
import { appAuthentication, withTargetReason } from './apps.js';
import type { AppSite, Protection, RoutedEndpoint } from './endpoint.js';

/**
 * The handlers of every Tornado `Application([(r"/x", Handler), url(...)], ...)`: one endpoint per
 * handler class, answering the methods it defines. `xsrf_cookies=True` protects them all.
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
  const settings = settingsOf(project, module, call, scope);
  const xsrf = settings && finalSetting(project, settings, 'xsrf_cookies');
  const evidence = xsrf?.entry ? { file: xsrf.entry.value.module, line: xsrf.entry.range.line } : app.anchor;
  const secret = settings?.find((entry) => entry.key === 'cookie_secret');
  const authentication = appAuthentication(project, { module, call, scope }, secret ? [{ kind: 'browser-state', what: '`cookie_secret` set', path: secret.value.module.path, line: secret.range.line }] : []);
  const appLevel: Protection =
    xsrf?.state === 'truthy' ? { state: 'protected', check: 'xsrf_cookies', evidence } : { state: 'unprotected', check: xsrf === undefined ? 'xsrf_cookies unknown' : 'no xsrf_cookies', evidence };
  const protection = withTargetReason(appLevel, authentication);
  const { credentials } = authentication;
  const argument = call.args.find((candidate) => candidate.name === 'handlers') ?? call.args.find((candidate) => candidate.name === undefined && !candidate.unpack);
  if (!argument) return [];
  const list = dereference(project, { module, scope, expr: argument.value });
  if (list.expr.kind !== 'list' && list.expr.kind !== 'tuple') return [];
  return list.expr.items.flatMap((item) => {
    const [pattern, handler] = routeParts(item);
    const className = handler && project.resolve(list.module, handler, list.scope);
    const site = className === undefined ? undefined : project.findDefinition(className);
    if (!site || site.definition.kind !== 'class') return [];
    const route = pattern ? (stringValue(project, { ...list, expr: pattern }) ?? null) : null;
    return [{ app, module: site.module, definition: site.definition, view: site.definition.name, route, methods: classMethods(project, className!), protection, credentials }];
  });
}

/** `(r"/", Handler)`, `(r"/", Handler, {...})`, `url(r"/", Handler, name="x")`: the pattern and the handler. */
function routeParts(item: Expr): Array<Expr | undefined> {
  if (item.kind === 'tuple' || item.kind === 'list') return item.items;
  if (item.kind === 'call') return item.args.filter((argument) => !argument.name).map((argument) => argument.value);
  return [];
}
