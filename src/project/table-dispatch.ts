/**
 * Calls through a table of functions: `PROVIDERS.get(name, {}).get("imp", unknown)(request)`,
 * `HANDLERS[kind](request)`. A module-level dict literal (of dict literals) names every function
 * the call may reach: the entries a literal key picks, every entry for a key known only at run
 * time, and the default `.get` falls back to (onaio/onadata's SMS gateway proxy views). The lookup
 * may first be bound to a name, and the table be a dict literal bound once in the function.
 */
import type { CallExpr, Definition, Expr } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { dereference, singleAssignedValue, type ValueSite } from './values.js';

/** How many `.get(...)` or `[...]` steps deep a table is followed. */
const MAX_LOOKUPS = 3;

/** The project functions a call through a table may reach; `undefined` unless the callee is such a lookup and every value it may pick is a project function. */
export function tableDispatchTargets(project: Project, module: SourceModule, call: CallExpr, scope: number): Array<{ module: SourceModule; definition: Definition }> | undefined {
  const lookup = lookupCalled(project, { module, scope, expr: call.callee });
  if (lookup === undefined) return undefined;
  const values = possibleValues(project, lookup, 0);
  if (values === undefined || values.length === 0) return undefined;
  const targets: Array<{ module: SourceModule; definition: Definition }> = [];
  for (const value of values) {
    if (value.expr.kind !== 'name' && value.expr.kind !== 'attribute') return undefined;
    const name = project.resolve(value.module, value.expr, value.scope);
    const site = name === undefined ? undefined : project.findDefinition(name);
    if (site?.definition.kind !== 'function') return undefined;
    targets.push(site);
  }
  return targets;
}

/** The callee itself, or the name it is bound to once (`subscribe = SUBSCRIBERS.get(org)` then `subscribe(request)`), when that is a lookup. */
function lookupCalled(project: Project, callee: ValueSite): ValueSite | undefined {
  if (lookupOf(callee.expr) !== undefined) return callee;
  if (callee.expr.kind !== 'name') return undefined;
  const bound = singleAssignedValue(project, callee);
  return bound && lookupOf(bound.expr) !== undefined ? bound : undefined;
}

interface Lookup {
  table: Expr;
  key: Expr;
  fallback?: Expr;
}

/** `table.get(key)`, `table.get(key, fallback)` or `table[key]`. */
function lookupOf(expr: Expr): Lookup | undefined {
  if (expr.kind === 'subscript') return { table: expr.object, key: expr.index };
  if (expr.kind !== 'call' || expr.callee.kind !== 'attribute' || expr.callee.attribute !== 'get') return undefined;
  const [key, fallback] = expr.args;
  if (!key || key.name !== undefined || expr.args.length > 2 || (fallback && fallback.name !== undefined)) return undefined;
  return { table: expr.callee.object, key: key.value, ...(fallback ? { fallback: fallback.value } : {}) };
}

/** What an expression may evaluate to: through lookups in dict literals, down to the values themselves. */
function possibleValues(project: Project, site: ValueSite, depth: number): ValueSite[] | undefined {
  const lookup = lookupOf(site.expr);
  if (!lookup) return [dereference(project, site)];
  if (depth >= MAX_LOOKUPS) return undefined;
  const tables = possibleValues(project, { ...site, expr: lookup.table }, depth + 1);
  if (tables === undefined) return undefined;
  const found: ValueSite[] = [];
  for (const table of tables) {
    if (table.expr.kind !== 'dict' || table.expr.entries.some((entry) => entry.key === null)) return undefined;
    const picked = table.expr.entries.filter((entry) => mayMatch(entry.key!, lookup.key));
    found.push(...picked.map((entry) => dereference(project, { ...table, expr: entry.value })));
  }
  if (lookup.fallback) found.push(dereference(project, { ...site, expr: lookup.fallback }));
  return found;
}

/** A string key picks its own entry; a key known only at run time may pick any. */
function mayMatch(entryKey: Expr, key: Expr): boolean {
  return key.kind !== 'string' || entryKey.kind !== 'string' || entryKey.value === key.value;
}
