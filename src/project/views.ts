import type { Argument, CallExpr, Definition, Expr, SourceRange } from '../python/facts.js';
import { finalIdentifier, namesCsrf, type Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { stringValue } from './values.js';

/** Methods a cross-site form or script can send without the browser asking the server first. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** `@app.post(...)` and friends (Flask 2, Quart): the decorator names the method. */
const METHOD_DECORATORS = new Map([
  ['get', 'GET'],
  ['post', 'POST'],
  ['put', 'PUT'],
  ['patch', 'PATCH'],
  ['delete', 'DELETE'],
]);
/** Libraries that take the app for data, mail, caching and the like, and add no view to it. */
const NON_VIEW_EXTENSION_PACKAGES = new Set([
  'flask_sqlalchemy', 'flask_migrate', 'flask_mail', 'flask_caching', 'flask_cache', 'flask_babel', 'flask_babelex',
  'flask_compress', 'flask_cors', 'flask_talisman', 'flask_limiter', 'flask_bcrypt', 'flask_marshmallow', 'flask_redis',
  'flask_mongoengine', 'flask_pymongo', 'celery', 'sentry_sdk', 'flask_debugtoolbar',
]);

/** A view that accepts a state-changing method, and whether it checks something a forged request lacks. */
export interface UnsafeView {
  module: SourceModule;
  name: string;
  range: SourceRange;
  /** It validates a FlaskForm (which checks the form's CSRF token), checks a CSRF token itself, or reads only JSON. */
  guarded: boolean;
}

/** A method called on an application object: `app.add_middleware(...)`, `app.middlewares.append(...)`. */
export interface AppCall {
  module: SourceModule;
  scope: number;
  call: CallExpr;
  /** The attribute path from the app to the method: `add_middleware`, `middlewares.append`. */
  method: string;
}

/** What the scanned code shows an application serving and doing. */
export interface AppUsage {
  unsafeViews: UnsafeView[];
  /** The app has routes, blueprints or URL rules, or is handed to code that may add them. */
  serves: boolean;
  /** Canonical names of what the app is passed to: `aiohttp_session.setup`, an extension's class. */
  handedTo: string[];
  calls: AppCall[];
}

/** Tells which slot group an expression belongs to (see `ApplicationFlow`). */
export interface SlotResolver {
  groupOf(module: SourceModule, expr: Expr, scope: number): string | undefined;
}

interface RouteTarget {
  group: string;
  views: UnsafeView[];
  hasRoutes: boolean;
}

/**
 * The views of every app and blueprint of the project, by slot group: `@app.route(..., methods=...)`,
 * `@bp.post(...)`, `add_url_rule(..., view_func=...)` (functions and class-based views), and
 * blueprints reached through `register_blueprint`.
 */
export class ViewIndex {
  private readonly targets = new Map<string, RouteTarget>();
  private readonly blueprintsOf = new Map<string, string[]>();
  private readonly handedTo = new Map<string, string[]>();
  private readonly callsOn = new Map<string, AppCall[]>();

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
    for (const module of project.modules) {
      this.indexRouteDecorators(module);
      this.indexCalls(module);
    }
  }

  /** The views an app group serves, with its blueprints', whether it serves anything at all, and what is done with it. */
  usageOf(group: string | undefined): AppUsage {
    if (group === undefined) return { unsafeViews: [], serves: false, handedTo: [], calls: [] };
    const handedTo = this.handedTo.get(group) ?? [];
    const seen = new Set<string>();
    const pending = [group];
    const unsafeViews: UnsafeView[] = [];
    let serves = handedTo.some((callee) => !isNonViewExtension(callee));
    while (pending.length > 0) {
      const current = pending.pop()!;
      if (seen.has(current)) continue;
      seen.add(current);
      const target = this.targets.get(current);
      if (target) {
        unsafeViews.push(...target.views);
        serves ||= target.hasRoutes;
      }
      const blueprints = this.blueprintsOf.get(current) ?? [];
      serves ||= blueprints.length > 0;
      pending.push(...blueprints);
    }
    return { unsafeViews, serves, handedTo, calls: this.callsOn.get(group) ?? [] };
  }

  private target(group: string): RouteTarget {
    let target = this.targets.get(group);
    if (!target) {
      target = { group, views: [], hasRoutes: false };
      this.targets.set(group, target);
    }
    return target;
  }

  private indexRouteDecorators(module: SourceModule): void {
    for (const definition of module.facts.definitions) {
      if (definition.kind !== 'function') continue;
      for (const { expression } of definition.decorators) {
        if (expression.kind !== 'call' || expression.callee.kind !== 'attribute') continue;
        const methods = routeMethods(this.project, module, definition.scope, expression);
        if (!methods) continue;
        const group = this.slots.groupOf(module, expression.callee.object, definition.scope);
        if (group === undefined) continue;
        this.addView(group, module, definition, methods);
      }
    }
  }

  private indexCalls(module: SourceModule): void {
    for (const { call, scope } of module.facts.calls) {
      const { callee } = call;
      if (callee.kind === 'attribute' && callee.attribute === 'register_blueprint') this.indexBlueprint(module, call, scope);
      else if (callee.kind === 'attribute' && callee.attribute === 'add_url_rule') this.indexUrlRule(module, call, scope);
      this.indexHandedApps(module, call, scope);
      this.indexCallOnApp(module, call, scope);
    }
  }

  /** `app.method(...)` or `app.attribute.method(...)` on an app object. */
  private indexCallOnApp(module: SourceModule, call: CallExpr, scope: number): void {
    const { callee } = call;
    if (callee.kind !== 'attribute') return;
    const receivers: Array<[Expr, string]> = [[callee.object, callee.attribute]];
    if (callee.object.kind === 'attribute') receivers.push([callee.object.object, `${callee.object.attribute}.${callee.attribute}`]);
    for (const [receiver, method] of receivers) {
      if (!this.appIdentifiers.has(finalIdentifier(receiver) ?? '')) continue;
      const group = this.slots.groupOf(module, receiver, scope);
      if (group === undefined) continue;
      this.callsOn.set(group, [...(this.callsOn.get(group) ?? []), { module, scope, call, method }]);
      return;
    }
  }

  private indexBlueprint(module: SourceModule, call: CallExpr, scope: number): void {
    const [blueprint] = call.args;
    if (call.callee.kind !== 'attribute' || !blueprint) return;
    const parent = this.slots.groupOf(module, call.callee.object, scope);
    const child = this.slots.groupOf(module, blueprint.value, scope);
    if (parent === undefined || child === undefined) return;
    this.blueprintsOf.set(parent, [...(this.blueprintsOf.get(parent) ?? []), child]);
  }

  /** `app.add_url_rule("/x", view_func=view, methods=[...])`, `view_func=ItemView.as_view("item")`. */
  private indexUrlRule(module: SourceModule, call: CallExpr, scope: number): void {
    if (call.callee.kind !== 'attribute') return;
    const group = this.slots.groupOf(module, call.callee.object, scope);
    if (group === undefined) return;
    this.target(group).hasRoutes = true;
    const viewArgument = call.args.find((argument) => argument.name === 'view_func') ?? positional(call.args, 2);
    if (!viewArgument) return;
    const methods = methodsArgument(this.project, module, scope, call.args);
    for (const view of this.viewFunctions(module, viewArgument.value, scope)) {
      const viewMethods = view.method ? new Set([view.method]) : methods;
      this.addView(group, view.site.module, view.site.definition, viewMethods);
    }
  }

  /** A function, or the methods of a class-based view named after HTTP methods. */
  private viewFunctions(module: SourceModule, expr: Expr, scope: number): Array<{ site: { module: SourceModule; definition: Definition }; method?: string }> {
    const isAsView = expr.kind === 'call' && expr.callee.kind === 'attribute' && expr.callee.attribute === 'as_view';
    const target = isAsView && expr.callee.kind === 'attribute' ? expr.callee.object : expr;
    const name = this.project.resolve(module, target, scope);
    const site = name === undefined ? undefined : this.project.findDefinition(name);
    if (!site || !name) return [];
    if (site.definition.kind === 'function') return [{ site }];
    return [...UNSAFE_METHODS].flatMap((method) => {
      const handler = this.project.findMethod(name, method.toLowerCase());
      return handler ? [{ site: handler, method }] : [];
    });
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

  /** What a call hands its arguments to: for `ext.init_app(app)`, the extension's class. */
  private receiverName(module: SourceModule, callee: Expr, scope: number): string {
    if (callee.kind === 'attribute' && callee.attribute === 'init_app') {
      return this.project.instanceClasses(module, callee.object, scope)[0] ?? this.project.resolve(module, callee.object, scope) ?? '?';
    }
    return this.project.resolve(module, callee, scope) ?? '?';
  }

  private addView(group: string, module: SourceModule, definition: Definition, methods: ReadonlySet<string> | 'unknown'): void {
    const target = this.target(group);
    target.hasRoutes = true;
    const unsafe = methods === 'unknown' || [...methods].some((method) => UNSAFE_METHODS.has(method));
    if (!unsafe) return;
    const name = module.symbols.definitionName(definition);
    target.views.push({ module, name: name.slice(module.key.length + 1), range: definition.nameRange, guarded: isGuarded(this.project, module, definition, this.formClasses) });
  }
}

/** The methods a route decorator accepts: `route(methods=[...])` (GET by default), `post(...)`, ...; `undefined` if it is no route. */
function routeMethods(project: Project, module: SourceModule, scope: number, decorator: CallExpr): ReadonlySet<string> | 'unknown' | undefined {
  if (decorator.callee.kind !== 'attribute') return undefined;
  const { attribute } = decorator.callee;
  if (attribute === 'route') return methodsArgument(project, module, scope, decorator.args);
  const method = METHOD_DECORATORS.get(attribute);
  return method && decorator.args.length > 0 ? new Set([method]) : undefined;
}

function methodsArgument(project: Project, module: SourceModule, scope: number, args: Argument[]): ReadonlySet<string> | 'unknown' {
  const methods = args.find((argument) => argument.name === 'methods');
  if (!methods) return new Set(['GET']);
  const { value } = methods;
  if (value.kind !== 'list' && value.kind !== 'tuple' && value.kind !== 'set') return 'unknown';
  const names = value.items.map((item) => stringValue(project, { module, scope, expr: item })?.toUpperCase());
  return names.every((name) => name !== undefined) ? new Set(names as string[]) : 'unknown';
}

function positional(args: Argument[], index: number): Argument | undefined {
  return args.filter((argument) => argument.name === undefined && !argument.unpack)[index];
}

/**
 * A view a forged cross-site request cannot use: it validates a FlaskForm (`validate_on_submit`
 * exists only there, and checks the form's token), checks a CSRF token itself, or reads its body
 * only as JSON, which a cross-site form cannot send.
 */
function isGuarded(project: Project, module: SourceModule, view: Definition, formClasses: ReadonlySet<string>): boolean {
  const calls = module.facts.calls.filter((site) => site.scope === view.bodyScope);
  let readsJson = false;
  let readsForm = false;
  for (const { call, scope } of calls) {
    const { callee } = call;
    if (callee.kind === 'attribute' && callee.attribute === 'validate_on_submit') return true;
    const name = project.resolve(module, callee, scope) ?? '';
    if (namesCsrf(name) || project.isSubclassOf(name, formClasses)) return true;
    if (callee.kind === 'attribute' && callee.attribute === 'get_json') readsJson = true;
    if (/\.(form|values|files)\.\w+$/.test(name)) readsForm = true;
  }
  return readsJson && !readsForm;
}

function isNonViewExtension(callee: string): boolean {
  return NON_VIEW_EXTENSION_PACKAGES.has(callee.split('.')[0] ?? '');
}
