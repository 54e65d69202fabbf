import type { Expr } from '../../python/facts.js';
import type { DefinitionSite, Project } from '../../project/project.js';
import { stringValue, type ValueSite } from '../../project/values.js';
import { libraryAncestors } from '../../endpoints/class-views.js';

const SMART_CRUDL = 'smartmin.views.SmartCRUDL';

/** `SmartCRUDL.actions` when a CRUDL names none. */
const DEFAULT_ACTIONS = ['create', 'read', 'update', 'delete', 'list'];

/**
 * The view smartmin builds for an action the CRUDL defines no class for (`SmartCRUDL.view_for_action`),
 * with the methods it answers; another action without a class makes smartmin raise.
 */
const DEFAULT_VIEWS = new Map([
  ['create', { base: 'SmartCreateView', methods: ['GET', 'POST'] }],
  ['read', { base: 'SmartReadView', methods: ['GET'] }],
  ['update', { base: 'SmartUpdateView', methods: ['GET', 'POST'] }],
  ['delete', { base: 'SmartDeleteView', methods: ['GET', 'POST'] }],
  ['list', { base: 'SmartListView', methods: ['GET'] }],
]);

/** smartmin's views whose `derive_url_pattern` takes an object's id (`derive_single_object_url_pattern`). */
const SINGLE_OBJECT_VIEWS = new Set(['SmartReadView', 'SmartUpdateView', 'SmartDeleteView', 'SmartModelActionView']);
/** smartmin's list views: the `list` action is served at the CRUDL's path itself. */
const LIST_VIEWS = new Set(['SmartListView', 'SmartCsvView', 'SmartXlsView']);

/** One action of a CRUDL: its URL pattern (`undefined` when unread) and its view, a class of the CRUDL's or smartmin's default. */
export interface CrudlRoute {
  action: string;
  pattern: string | undefined;
  view: { kind: 'class'; site: DefinitionSite } | { kind: 'default'; name: string; methods: string[] };
}

/**
 * The routes of `ContactCRUDL().as_urlpatterns()` (smartmin, used by RapidPro): for each of the
 * CRUDL's `actions`, its nested view class (`class Create(SmartCreateView)` for `create`) or smartmin's
 * default view, at the pattern the view derives from the CRUDL's `path` (else its model's name).
 * `undefined` when the call is not that.
 */
export function crudlRoutes(project: Project, call: ValueSite): { crudl: DefinitionSite; routes: CrudlRoute[] } | undefined {
  const { module, scope, expr } = call;
  if (expr.kind !== 'call' || expr.callee.kind !== 'attribute' || expr.callee.attribute !== 'as_urlpatterns') return undefined;
  const className = project.instanceClasses(module, expr.callee.object, scope).find((name) => project.isSubclassOf(name, new Set([SMART_CRUDL])));
  const crudl = className === undefined ? undefined : project.findDefinition(className);
  if (!className || crudl?.definition.kind !== 'class') return undefined;
  const path = crudlPath(project, className);
  const routes = crudlActions(project, className).flatMap((action): CrudlRoute[] => {
    const site = nestedClass(project, className, viewClassName(action));
    if (site) return [{ action, pattern: path === undefined ? undefined : classPattern(project, site, path, action), view: { kind: 'class', site } }];
    const fallback = DEFAULT_VIEWS.get(action);
    if (!fallback) return [];
    const pattern = path === undefined ? undefined : libraryPattern(fallback.base, path, action, undefined);
    return [{ action, pattern, view: { kind: 'default', name: `${crudl.definition.name}.${viewClassName(action)}`, methods: fallback.methods } }];
  });
  return { crudl, routes };
}

/** `replace_foo` -> `ReplaceFoo`, as smartmin names the class it looks for. */
function viewClassName(action: string): string {
  return action
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())
    .join('');
}

function nestedClass(project: Project, className: string, name: string): DefinitionSite | undefined {
  let found: DefinitionSite | undefined;
  project.inheritsFrom(className, (ancestor) => {
    const site = project.findDefinition(`${ancestor}.${name}`);
    if (site?.definition.kind === 'class') found = site;
    return found !== undefined;
  });
  return found;
}

/** A class attribute, the class's own or a scanned base's: the value of its first assignment. */
function classAttribute(project: Project, className: string, attribute: string): ValueSite | undefined {
  let found: ValueSite | undefined;
  project.inheritsFrom(className, (name) => {
    const [assigned] = project.assignmentsTo(`${name}.${attribute}`).filter(({ assignment }) => assignment.operator === '=' && assignment.value !== null);
    if (assigned) found = { module: assigned.module, scope: assigned.assignment.scope, expr: assigned.assignment.value! };
    return found !== undefined;
  });
  return found;
}

function crudlActions(project: Project, className: string): string[] {
  const listed = classAttribute(project, className, 'actions');
  if (!listed || (listed.expr.kind !== 'tuple' && listed.expr.kind !== 'list')) return listed ? [] : DEFAULT_ACTIONS;
  return listed.expr.items.flatMap((item) => stringValue(project, { ...listed, expr: item }) ?? []);
}

/** The CRUDL's `path`, else its `model_name` or its model's class name, in lower case (`model = Campaign` -> `campaign`). */
function crudlPath(project: Project, className: string): string | undefined {
  const path = classAttribute(project, className, 'path');
  if (path) return stringValue(project, path);
  const modelName = classAttribute(project, className, 'model_name');
  if (modelName) return stringValue(project, modelName)?.toLowerCase();
  const model = classAttribute(project, className, 'model');
  const name = model?.expr.kind === 'name' ? model.expr.id : model?.expr.kind === 'attribute' ? model.expr.attribute : undefined;
  return name?.toLowerCase();
}

/** The pattern a view class derives: its own `derive_url_pattern`, when it is a `%` format of `path` and `action`, else its smartmin base's. */
function classPattern(project: Project, site: DefinitionSite, path: string, action: string): string | undefined {
  const className = site.module.symbols.definitionName(site.definition);
  const derive = project.findMethod(className, 'derive_url_pattern');
  if (derive && project.isScannedName(derive.module.symbols.definitionName(derive.definition))) return formattedPattern(derive, path, action);
  const slug = classAttribute(project, className, 'slug_url_kwarg');
  const slugName = slug ? stringValue(project, slug) : undefined;
  const base = libraryAncestors(project, className).map((name) => name.slice(name.lastIndexOf('.') + 1)).find((name) => SINGLE_OBJECT_VIEWS.has(name) || LIST_VIEWS.has(name));
  return libraryPattern(base ?? 'SmartView', path, action, slugName);
}

/** smartmin's own `derive_url_pattern`s. */
function libraryPattern(base: string, path: string, action: string, slugUrlKwarg: string | undefined): string {
  if (SINGLE_OBJECT_VIEWS.has(base)) return slugUrlKwarg ? `^${path}/${action}/(?P<${slugUrlKwarg}>[^/]+)/$` : `^${path}/${action}/(?P<pk>\\d+)/$`;
  if (LIST_VIEWS.has(base) && action === 'list') return `^${path}/$`;
  return `^${path}/${action}/$`;
}

/** `return r"^%s/%s/$" % (path, action)`: the format filled with the parameters' values; `undefined` for anything else. */
function formattedPattern(derive: DefinitionSite, path: string, action: string): string | undefined {
  const { module, definition } = derive;
  const returned = module.facts.returns.filter((statement) => statement.scope === definition.bodyScope && statement.value);
  const [statement] = returned;
  if (returned.length !== 1 || statement?.value?.kind !== 'binary' || statement.value.operator !== '%' || statement.value.left.kind !== 'string') return undefined;
  const [, pathParameter, actionParameter] = definition.parameters.map((parameter) => parameter.name);
  const values = new Map([
    [pathParameter, path],
    [actionParameter, action],
  ]);
  const { right } = statement.value;
  const items: Expr[] = right.kind === 'tuple' ? right.items : [right];
  const filled = items.map((item) => (item.kind === 'name' ? values.get(item.id) : undefined));
  if (filled.some((value) => value === undefined)) return undefined;
  const parts = statement.value.left.value.split('%s');
  if (parts.length !== filled.length + 1 || parts.some((part) => part.includes('%'))) return undefined;
  return parts.reduce((joined, part, index) => joined + filled[index - 1]! + part);
}
