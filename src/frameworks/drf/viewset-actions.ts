import type { Definition, Expr } from '../../python/facts.js';
import type { DefinitionSite, Project } from '../../project/project.js';
import { routeText } from '../../project/route-text.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue } from '../../project/values.js';
import { ANY_METHOD, sortedMethods } from '../../endpoints/endpoint.js';
import { type AuthenticationClasses, keywordAuthentication } from './authentication.js';

const ACTION = 'rest_framework.decorators.action';
/** DRF before 3.10: `@detail_route` and `@list_route`, `@action` with `detail` fixed. */
const FIXED_DETAIL_ACTIONS = new Map([
  ['rest_framework.decorators.detail_route', true],
  ['rest_framework.decorators.list_route', false],
]);

/** An extra route of a viewset (`@action(detail=True, methods=["post"]) def publish`). */
export interface ViewSetAction {
  site: DefinitionSite;
  /** Under the detail route (`<pk>/publish/`) or the list route (`publish/`); `undefined` when `detail=` cannot be read. */
  detail: boolean | undefined;
  /** `url_path=`, else the method's name; `undefined` when it cannot be read. */
  urlPath: string | undefined;
  methods: string[];
  /** \`authentication_classes=[...]\` given to \`@action\`: they replace the viewset's for this route. */
  authentication?: AuthenticationClasses;
}

/**
 * The `@action` methods of a viewset and of its scanned bases (a subclass's own method of the same
 * name wins), each with the methods its `methods=` lists (GET when it lists none) and those added
 * with `@<action>.mapping.post`.
 */
export function viewSetActions(project: Project, className: string): ViewSetAction[] {
  const byName = new Map<string, ViewSetAction | undefined>();
  const mapped: Array<{ action: string; method: string }> = [];
  project.inheritsFrom(className, (name) => {
    const owner = project.findDefinition(name);
    if (owner?.definition.kind !== 'class') return false;
    for (const definition of owner.module.facts.definitions) {
      if (definition.kind !== 'function' || definition.scope !== owner.definition.bodyScope || byName.has(definition.name)) continue;
      byName.set(definition.name, actionOf(project, { module: owner.module, definition }));
      mapped.push(...mappedMethods(definition));
    }
    return false;
  });
  for (const { action, method } of mapped) byName.get(action)?.methods.push(method);
  return [...byName.values()].flatMap((action) => (action ? [{ ...action, methods: sortedMethods(action.methods) }] : []));
}

function actionOf(project: Project, site: DefinitionSite): ViewSetAction | undefined {
  const { module, definition } = site;
  for (const { expression } of definition.decorators) {
    const call = expression.kind === 'call' ? expression : undefined;
    const name = project.resolve(module, call ? call.callee : expression, definition.scope) ?? '';
    if (name !== ACTION && !FIXED_DETAIL_ACTIONS.has(name)) continue;
    const keyword = (key: string) => call?.args.find((argument) => argument.name === key)?.value;
    const detailArgument = keyword('detail');
    const detail = FIXED_DETAIL_ACTIONS.get(name) ?? (detailArgument?.kind === 'constant' && typeof detailArgument.value === 'boolean' ? detailArgument.value : undefined);
    const urlPathArgument = keyword('url_path');
    const urlPath = urlPathArgument ? routeText(project, { module, scope: definition.scope, expr: urlPathArgument }) : definition.name;
    const authentication = call && keywordAuthentication(project, module, definition.scope, call);
    return { site, detail, urlPath, methods: listedMethods(project, module, definition, keyword('methods')), ...(authentication ? { authentication } : {}) };
  }
  return undefined;
}

function listedMethods(project: Project, module: SourceModule, definition: Definition, listed: Expr | undefined): string[] {
  if (!listed) return ['GET'];
  if (listed.kind !== 'list' && listed.kind !== 'tuple') return [ANY_METHOD];
  const names = listed.items.map((item) => stringValue(project, { module, scope: definition.scope, expr: item })?.toUpperCase());
  return names.every((method) => method !== undefined) ? (names as string[]) : [ANY_METHOD];
}

/** `@publish.mapping.delete`: the method's own handler for another HTTP method at the `publish` action's route. */
function mappedMethods(definition: Definition): Array<{ action: string; method: string }> {
  return definition.decorators.flatMap(({ expression }) => {
    if (expression.kind !== 'attribute' || expression.object.kind !== 'attribute' || expression.object.attribute !== 'mapping' || expression.object.object.kind !== 'name') return [];
    return [{ action: expression.object.object.id, method: expression.attribute.toUpperCase() }];
  });
}

/**
 * The URL variable of a viewset's detail route: its `lookup_url_kwarg`, else its `lookup_field`,
 * else `pk`, as DRF's router names it; `{lookup_field}` when the class sets it to something the
 * scan cannot read.
 */
export function lookupName(project: Project, className: string): string {
  for (const attribute of ['lookup_url_kwarg', 'lookup_field']) {
    const text = classAttributeText(project, className, attribute);
    if (text !== undefined) return text ?? `{${attribute}}`;
  }
  return 'pk';
}

/** A class attribute set once in the class or a scanned base: its string, `null` when it is set to something else, `undefined` when it is not set. */
function classAttributeText(project: Project, className: string, attribute: string): string | null | undefined {
  let text: string | null | undefined;
  project.inheritsFrom(className, (name) => {
    const assignments = project.assignmentsTo(`${name}.${attribute}`);
    const [only] = assignments;
    if (!only) return false;
    const value = assignments.length === 1 && only.assignment.value ? stringValue(project, { module: only.module, scope: only.assignment.scope, expr: only.assignment.value }) : undefined;
    text = value ?? null;
    return true;
  });
  return text;
}
