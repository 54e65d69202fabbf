import type { Expr } from '../../python/facts.js';
import type { DefinitionSite, Project } from '../../project/project.js';
import { stringValue, type ValueSite } from '../../project/values.js';

const LAZY_OBJECT = new Set(['django.utils.functional.LazyObject', 'django.utils.functional.SimpleLazyObject']);
const IMPORT_STRING = 'django.utils.module_loading.import_string';
const APP_CONFIG = new Set(['django.apps.AppConfig', 'django.apps.config.AppConfig']);

/**
 * The class of an object whose `urls` property builds URL patterns from its own methods
 * (django-wiki's `WikiSite`: `urls` returns `(self.get_urls(), "wiki", name)`), when `urls.object`
 * is one: an instance of a scanned class with a `urls` method, or a `LazyObject` whose `_setup`
 * wraps one, named directly or by an app config's setting (`import_string(apps.get_app_config("wiki").default_site)`).
 */
export function urlSiteClass(project: Project, object: ValueSite): string | undefined {
  for (const className of project.instanceClasses(object.module, object.expr, object.scope)) {
    const site = project.isSubclassOf(className, LAZY_OBJECT) ? wrappedClass(project, className) : className;
    if (site !== undefined && urlsProperty(project, site)) return site;
  }
  return undefined;
}

/** The `urls` method (a property) of a scanned class. */
export function urlsProperty(project: Project, className: string): DefinitionSite | undefined {
  const method = project.findMethod(className, 'urls');
  return method && project.isScannedName(method.module.symbols.definitionName(method.definition)) ? method : undefined;
}

/** What a `urls` property returns as patterns: the first item of an `include()`-style tuple, else the value. */
export function returnedPatterns(method: DefinitionSite): ValueSite[] {
  const { module, definition } = method;
  return module.facts.returns.flatMap((statement) => {
    if (statement.scope !== definition.bodyScope || !statement.value) return [];
    const value = statement.value.kind === 'tuple' && statement.value.items[0] ? statement.value.items[0] : statement.value;
    return [{ module, scope: statement.scope, expr: value }];
  });
}

/** `self.<attribute>` as assigned in the class's `__init__`; `getattr(self, "<attribute>", default)` stands for its default. */
export function selfAttributeValue(project: Project, className: string, attribute: string): ValueSite | undefined {
  const constructor = project.findMethod(className, '__init__');
  if (!constructor) return undefined;
  const { module, definition } = constructor;
  const assignment = module.facts.assignments.find(
    ({ scope, target, operator }) => scope === definition.bodyScope && operator === '=' && target.kind === 'attribute' && target.attribute === attribute && isSelf(target.object),
  );
  if (!assignment?.value) return undefined;
  const value = assignment.value;
  const isDefaulted = value.kind === 'call' && value.callee.kind === 'name' && value.callee.id === 'getattr' && value.args[0] !== undefined && isSelf(value.args[0].value);
  const chosen = isDefaulted && value.kind === 'call' ? value.args[2]?.value : value;
  return chosen && { module, scope: assignment.scope, expr: chosen };
}

export function isSelf(expr: Expr): boolean {
  return expr.kind === 'name' && expr.id === 'self';
}

/** The class a `LazyObject` subclass's `_setup` wraps: `self._wrapped = SiteClass()`. */
function wrappedClass(project: Project, lazyClass: string): string | undefined {
  const setup = project.findMethod(lazyClass, '_setup');
  if (!setup) return undefined;
  const { module, definition } = setup;
  const wrapped = module.facts.assignments.find(({ scope, target }) => scope === definition.bodyScope && target.kind === 'attribute' && target.attribute === '_wrapped' && isSelf(target.object));
  if (wrapped?.value?.kind !== 'call') return undefined;
  const callee = wrapped.value.callee;
  const direct = project.resolve(module, callee, wrapped.scope);
  if (direct !== undefined && project.findDefinition(direct)?.definition.kind === 'class') return direct;
  if (callee.kind !== 'name') return undefined;
  const bound = module.facts.assignments.find(({ scope, target }) => scope === definition.bodyScope && target.kind === 'name' && target.id === callee.id);
  return bound?.value ? importedClass(project, { module, scope: bound.scope, expr: bound.value }) : undefined;
}

/** `import_string("pkg.Site")` or `import_string(apps.get_app_config("label").setting)`: the class named. */
function importedClass(project: Project, site: ValueSite): string | undefined {
  const { module, scope, expr } = site;
  if (expr.kind !== 'call' || project.resolve(module, expr.callee, scope) !== IMPORT_STRING || !expr.args[0]) return undefined;
  const argument = { module, scope, expr: expr.args[0].value };
  const dotted = stringValue(project, argument) ?? appConfigSetting(project, argument);
  return dotted === undefined ? undefined : project.canonical(dotted, module);
}

/** `apps.get_app_config("wiki").default_site`: the string the project's `AppConfig` for that label sets. */
function appConfigSetting(project: Project, { module, scope, expr }: ValueSite): string | undefined {
  if (expr.kind !== 'attribute' || expr.object.kind !== 'call' || expr.object.callee.kind !== 'attribute' || expr.object.callee.attribute !== 'get_app_config') return undefined;
  const labelArgument = expr.object.args[0];
  const label = labelArgument && stringValue(project, { module, scope, expr: labelArgument.value });
  if (label === undefined) return undefined;
  for (const configClass of project.classFamily(APP_CONFIG)) {
    if (APP_CONFIG.has(configClass)) continue;
    const config = project.findDefinition(configClass);
    if (config?.definition.kind !== 'class') continue;
    const ownLabel = classString(project, configClass, 'label') ?? classString(project, configClass, 'name')?.split('.').pop();
    if (ownLabel === label) return classString(project, configClass, expr.attribute);
  }
  return undefined;
}

function classString(project: Project, className: string, attribute: string): string | undefined {
  const [assigned] = project.assignmentsTo(`${className}.${attribute}`).filter(({ assignment }) => assignment.operator === '=' && assignment.value !== null);
  return assigned ? stringValue(project, { module: assigned.module, scope: assigned.assignment.scope, expr: assigned.assignment.value! }) : undefined;
}
