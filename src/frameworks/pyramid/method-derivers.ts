import type { Argument, Expr } from '../../python/facts.js';
import type { DefinitionSite, Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { answersOnlySafeMethods, methodCalls } from './configuration.js';

/**
 * A view option of the project's own (`require_methods=["GET"]`) read by a view deriver it
 * registers that turns away any other method: the view then answers only the methods listed.
 * Pyramid's `request_method` predicate is judged by `answersOnlySafeMethods`.
 */
export function restrictedToSafeMethodsByDeriver(project: Project, module: SourceModule, scope: number, args: Argument[]): string | undefined {
  for (const argument of args) {
    if (argument.name === undefined || argument.name === 'request_method') continue;
    // The option's list is judged as Pyramid judges `request_method`'s.
    if (!answersOnlySafeMethods(project, module, scope, [{ ...argument, name: 'request_method' }])) continue;
    if (methodRejectingDerivers(project, module).has(argument.name)) return argument.name;
  }
  return undefined;
}

/**
 * The options of the view derivers a project registers (`config.add_view_deriver(deriver)`,
 * `deriver.options = {"require_methods"}`) whose wrapper reads `request.method` and raises.
 */
function methodRejectingDerivers(project: Project, viewModule: SourceModule): Set<string> {
  const options = new Set<string>();
  for (const { module, scope, call } of methodCalls(project, 'add_view_deriver')) {
    if (module.projectRoot !== viewModule.projectRoot || module.context === 'test') continue;
    const [deriver] = call.args;
    const name = deriver && deriver.name === undefined ? project.resolve(module, deriver.value, scope) : undefined;
    const site = name === undefined ? undefined : project.findDefinition(name);
    if (site?.definition.kind !== 'function' || !rejectsOtherMethods(site)) continue;
    for (const option of declaredOptions(site)) options.add(option);
  }
  return options;
}

/** A function nested in the deriver (its wrapper) that reads `request.method` and raises. */
function rejectsOtherMethods({ module, definition }: DefinitionSite): boolean {
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  const raising = new Set(module.facts.raises.filter((statement) => scopes.has(statement.scope)).map((statement) => statement.scope));
  return module.facts.scopes.some((scope) => raising.has(scope.id) && scope.id !== definition.bodyScope && scope.reads.some((read) => read.endsWith('request.method')));
}

/** The strings of `deriver.options = {...}` in the deriver's module. */
function declaredOptions({ module, definition }: DefinitionSite): string[] {
  return module.facts.assignments.flatMap(({ target, value }) => {
    if (target.kind !== 'attribute' || target.attribute !== 'options' || !value || !namesDefinition(target.object, definition.name)) return [];
    return itemsOf(value).flatMap((item) => (item.kind === 'string' ? [item.value] : []));
  });
}

function namesDefinition(expr: Expr, name: string): boolean {
  return expr.kind === 'name' && expr.id === name;
}

function itemsOf(value: Expr): Expr[] {
  return value.kind === 'list' || value.kind === 'tuple' || value.kind === 'set' ? value.items : [];
}
