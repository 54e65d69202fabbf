import type { Argument, Definition, Expr } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { dereference, stringValue, type ValueSite } from '../../project/values.js';
import { ANY_METHOD, sortedMethods } from '../../endpoints/endpoint.js';

/**
 * Cornice's service class and resource decorator. A project that vendors Cornice keeps its module
 * path below its own package (`kinto.core.cornice.service.Service`), so a name ending in one of
 * these is Cornice's too.
 */
const SERVICE_CLASSES = ['cornice.service.Service', 'cornice.Service'];
const RESOURCE_DECORATORS = ['cornice.resource.resource', 'cornice.resource'];
/** Kinto's resource registration (`kinto.core`, also a library of its plugins): a plural and an object endpoint per class. */
const KINTO_REGISTER = 'kinto.core.resource.register';
/** The methods a Kinto `ViewSet` serves by default. */
const KINTO_PLURAL_METHODS = ['HEAD', 'GET', 'POST', 'DELETE'];
const KINTO_OBJECT_METHODS = ['GET', 'PUT', 'PATCH', 'DELETE'];

/** `@service.post()`: the HTTP method of each of a service's decorator methods. */
const SERVICE_DECORATORS = new Map([
  ['get', 'GET'],
  ['head', 'HEAD'],
  ['options', 'OPTIONS'],
  ['post', 'POST'],
  ['put', 'PUT'],
  ['patch', 'PATCH'],
  ['delete', 'DELETE'],
]);

/** A `cornice.resource` method's name, by the path it answers at and its HTTP method. */
const RESOURCE_METHOD = /^(collection_)?(get|head|options|post|put|patch|delete)$/;

/** A view Cornice routes: the function or method, the keywords that configure it, where they are written, its path and methods. */
export interface CorniceView {
  module: SourceModule;
  definition: Definition;
  view: string;
  /** The keywords of the decorator or `add_view` call, written in `writtenIn` at `scope`. */
  args: Argument[];
  writtenIn: SourceModule;
  scope: number;
  route: string | null;
  methods: string[];
}

/**
 * The views of Cornice services (`service = Service(name=..., path=...)` with `@service.post()`
 * or `service.add_view("POST", view)`), of `@resource(collection_path=..., path=...)` classes, and
 * of Kinto's `@resource.register(plural_path=..., object_path=...)` classes.
 */
export function corniceViews(project: Project): CorniceView[] {
  const vendored = project.modules.some((module) => module.name.split('.').includes('cornice'));
  if (!project.usesPackage('cornice') && !vendored && !project.usesPackage('kinto')) return [];
  const services = servicePaths(project);
  return project.modules.flatMap((module) => [...decoratedViews(project, module, services), ...addedViews(project, module, services)]);
}

function isCorniceName(name: string | undefined, known: readonly string[]): boolean {
  return name !== undefined && known.some((candidate) => name === candidate || name.endsWith(`.${candidate}`));
}

/** Each service held in a name, by its qualified name: the path it was made with, `null` when it cannot be read. */
function servicePaths(project: Project): Map<string, string | null> {
  const services = new Map<string, string | null>();
  for (const module of project.modules) {
    for (const { scope, target, value } of module.facts.assignments) {
      if (value?.kind !== 'call' || target.kind !== 'name') continue;
      const className = project.resolve(module, value.callee, scope);
      if (className === undefined || !project.inheritsFrom(className, (name) => isCorniceName(name, SERVICE_CLASSES))) continue;
      const held = project.targetName(module, target, scope);
      const path = value.args.find((argument) => argument.name === 'path') ?? value.args.filter((argument) => !argument.name && !argument.unpack)[1];
      if (held !== undefined) services.set(held, path ? (joinedString(project, { module, scope, expr: path.value }) ?? null) : null);
    }
  }
  return services;
}

function decoratedViews(project: Project, module: SourceModule, services: Map<string, string | null>): CorniceView[] {
  const views: CorniceView[] = [];
  for (const definition of module.facts.definitions) {
    for (const { expression } of definition.decorators) {
      if (expression.kind !== 'call') continue;
      const { callee } = expression;
      const method = callee.kind === 'attribute' ? SERVICE_DECORATORS.get(callee.attribute) : undefined;
      const service = callee.kind === 'attribute' ? project.resolve(module, callee.object, definition.scope) : undefined;
      if (method && service !== undefined && services.has(service)) {
        views.push({ module, definition, view: definition.name, args: expression.args, writtenIn: module, scope: definition.scope, route: services.get(service) ?? null, methods: [method] });
        continue;
      }
      const decorator = project.resolve(module, callee, definition.scope);
      const site = { module, scope: definition.scope };
      if (definition.kind === 'class' && isCorniceName(decorator, RESOURCE_DECORATORS)) views.push(...resourceViews(project, module, definition, expression.args, site));
      else if (definition.kind === 'class' && decorator === KINTO_REGISTER) views.push(...kintoResourceViews(project, module, definition, expression.args, site));
    }
  }
  return views;
}

/** `service.add_view("POST", view, **options)`. */
function addedViews(project: Project, module: SourceModule, services: Map<string, string | null>): CorniceView[] {
  const views: CorniceView[] = [];
  for (const { call, scope } of module.facts.calls) {
    if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'add_view') continue;
    const service = project.resolve(module, call.callee.object, scope);
    if (service === undefined || !services.has(service)) continue;
    const [method, view] = call.args.filter((argument) => !argument.name && !argument.unpack);
    const name = view && project.resolve(module, view.value, scope);
    const site = name === undefined ? undefined : project.findDefinition(name);
    if (!site || !method) continue;
    const methods = stringsOf(project, { module, scope, expr: method.value });
    views.push({ ...site, view: site.definition.name, args: call.args, writtenIn: module, scope, route: services.get(service) ?? null, methods: methods ? sortedMethods(methods) : [ANY_METHOD] });
  }
  return views;
}

/** The `collection_*` methods answer at `collection_path`, the others at `path`. */
function resourceViews(project: Project, module: SourceModule, resource: Definition, args: Argument[], site: Omit<ValueSite, 'expr'>): CorniceView[] {
  const path = (keyword: string) => {
    const argument = args.find((candidate) => candidate.name === keyword);
    return argument ? (joinedString(project, { ...site, expr: argument.value }) ?? null) : null;
  };
  return module.facts.definitions.flatMap((method) => {
    const match = method.kind === 'function' && method.scope === resource.bodyScope ? RESOURCE_METHOD.exec(method.name) : null;
    if (!match) return [];
    const route = match[1] ? path('collection_path') : path('path');
    return [{ module, definition: method, view: `${resource.name}.${method.name}`, args, writtenIn: module, scope: site.scope, route, methods: [match[2]!.toUpperCase()] }];
  });
}

/** Kinto's default paths are `/{name}s` and `/{name}s/{{id}}`; `object_path=None` leaves the object endpoint out. */
function kintoResourceViews(project: Project, module: SourceModule, resource: Definition, args: Argument[], site: Omit<ValueSite, 'expr'>): CorniceView[] {
  const keyword = (name: string) => args.find((argument) => argument.name === name);
  const name = keyword('name') ? joinedString(project, { ...site, expr: keyword('name')!.value }) : resource.name.toLowerCase();
  const endpoint = (pathKeyword: string, defaultPath: string | undefined, methodsKeyword: string, defaultMethods: string[]): CorniceView[] => {
    const pathArgument = keyword(pathKeyword);
    if (pathArgument?.value.kind === 'constant' && pathArgument.value.value === null) return [];
    const written = pathArgument ? joinedString(project, { ...site, expr: pathArgument.value }) : defaultPath;
    const methodsArgument = keyword(methodsKeyword);
    const methods = methodsArgument ? stringsOf(project, { ...site, expr: methodsArgument.value }) : defaultMethods;
    if (methods?.length === 0) return [];
    // Kinto formats the paths with the resource's name: `{{id}}` is the route's `{id}`.
    const route = written === undefined ? null : written.replaceAll('{{', '{').replaceAll('}}', '}');
    return [{ module, definition: resource, view: resource.name, args, writtenIn: module, scope: site.scope, route, methods: methods ? sortedMethods(methods) : [ANY_METHOD] }];
  };
  return [
    ...endpoint('plural_path', name === undefined ? undefined : `/${name}s`, 'plural_methods', KINTO_PLURAL_METHODS),
    ...endpoint('object_path', name === undefined ? undefined : `/${name}s/{{id}}`, 'object_methods', KINTO_OBJECT_METHODS),
  ];
}

/** A string written out or joined with `+` from strings bound once to a name (`_parent_path + "/records"`). */
function joinedString(project: Project, site: ValueSite, depth = 0): string | undefined {
  const value = dereference(project, site);
  const { expr } = value;
  if (expr.kind !== 'binary' || expr.operator !== '+' || depth > 8) return stringValue(project, value);
  const left = joinedString(project, { ...value, expr: expr.left }, depth + 1);
  const right = joinedString(project, { ...value, expr: expr.right }, depth + 1);
  return left === undefined || right === undefined ? undefined : left + right;
}

/** `"POST"`, `("HEAD", "GET")`, `tuple()`: the strings, `undefined` when one cannot be read. */
function stringsOf(project: Project, site: ValueSite): string[] | undefined {
  const value = dereference(project, site);
  const { expr } = value;
  if (expr.kind === 'call' && expr.args.length === 0 && isBuiltinCollection(project, value, expr)) return [];
  const items = expr.kind === 'list' || expr.kind === 'tuple' || expr.kind === 'set' ? expr.items : [expr];
  const strings = items.map((item) => stringValue(project, { ...value, expr: item }));
  return strings.every((item) => item !== undefined) ? (strings as string[]) : undefined;
}

function isBuiltinCollection(project: Project, site: ValueSite, call: Expr & { kind: 'call' }): boolean {
  const name = project.resolve(site.module, call.callee, site.scope);
  return name === 'builtins.tuple' || name === 'builtins.list' || name === 'builtins.set';
}
