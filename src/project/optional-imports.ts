import type { Assignment, Expr } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { stringValue } from './values.js';

const IMPORT_MODULE = 'importlib.import_module';

/** How far the helper's own calls are followed to find `import_module` (`optional_import` calling `_attempt_import`). */
const HELPER_DEPTH = 2;

/**
 * What a name bound by the project's optional-import helper stands for: `do_complete` in
 * `do_auth, do_complete = optional_import(("do_auth", "do_complete"), from_module="social_core.actions")`
 * is `social_core.actions.do_complete`, when the helper (or a function of the project's it calls)
 * imports with `importlib.import_module`. Without the library it stands for a placeholder that
 * raises when called: either way, what runs is the library's function or nothing.
 */
export function optionallyImportedName(project: Project, module: SourceModule, expr: Expr, scope: number): string | undefined {
  if (expr.kind !== 'name') return undefined;
  for (const { module: owner, assignment } of project.assignmentsOf(module, expr, scope)) {
    const { value } = assignment;
    if (value?.kind !== 'call' || assignment.operator !== '=') continue;
    const fromModule = value.args.find((argument) => argument.name === 'from_module');
    const [names] = value.args.filter((argument) => !argument.name && !argument.unpack);
    if (!fromModule || !names) continue;
    const moduleName = stringValue(project, { module: owner, scope: assignment.scope, expr: fromModule.value });
    const attribute = importedAttribute(project, owner, assignment, names.value, expr.id);
    if (moduleName === undefined || attribute === undefined) continue;
    if (importsModules(project, owner, value.callee, assignment.scope, 0)) return `${moduleName}.${attribute}`;
  }
  return undefined;
}

/** The attribute the helper is asked for under the name: `"x"` for `x = ...`, the matching item of a tuple for `a, b = ...`. */
function importedAttribute(project: Project, module: SourceModule, assignment: Assignment, names: Expr, boundName: string): string | undefined {
  const { target } = assignment;
  if (target.kind === 'name') return stringValue(project, { module, scope: assignment.scope, expr: names });
  if ((target.kind !== 'tuple' && target.kind !== 'list') || (names.kind !== 'tuple' && names.kind !== 'list')) return undefined;
  const index = target.items.findIndex((item) => item.kind === 'name' && item.id === boundName);
  const item = index < 0 || target.items.length !== names.items.length ? undefined : names.items[index];
  return item && stringValue(project, { module, scope: assignment.scope, expr: item });
}

/** A function of the project's that calls `importlib.import_module`, itself or through the project's functions it calls. */
function importsModules(project: Project, module: SourceModule, callee: Expr, scope: number, depth: number): boolean {
  const name = project.resolve(module, callee, scope);
  if (name === IMPORT_MODULE) return true;
  const site = name === undefined || depth > HELPER_DEPTH ? undefined : project.findDefinition(name);
  if (site?.definition.kind !== 'function') return false;
  const calls = site.module.symbols.itemsWithin(site.module.facts.calls, site.definition.bodyScope);
  return calls.some((call) => importsModules(project, site.module, call.call.callee, call.scope, depth + 1));
}
