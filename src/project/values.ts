import type { Argument, Expr, SourceRange } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

/** Settings and flags are short chains of names; deeper ones are treated as unknown. */
const MAX_DEPTH = 8;

/** An expression as seen from where it is written. */
export interface ValueSite {
  module: SourceModule;
  scope: number;
  expr: Expr;
}

export type Truthiness = 'truthy' | 'falsy' | 'unknown';

/**
 * The single value a name is bound to, when it is bound exactly once with a plain `=` that always
 * runs; a name assigned in several places or conditionally has no single value.
 */
export function singleAssignedValue(project: Project, site: ValueSite): ValueSite | undefined {
  const assignments = project.assignmentsOf(site.module, site.expr, site.scope);
  const only = assignments.length === 1 ? assignments[0] : undefined;
  if (!only || only.assignment.operator !== '=' || only.assignment.conditional || !only.assignment.value) return undefined;
  return { module: only.module, scope: only.assignment.scope, expr: only.assignment.value };
}

/** Follows names to the literal they are bound to; returns the site unchanged when it is not a name. */
export function dereference(project: Project, site: ValueSite, depth = 0): ValueSite {
  if (depth > MAX_DEPTH || (site.expr.kind !== 'name' && site.expr.kind !== 'attribute')) return site;
  const value = singleAssignedValue(project, site);
  return value ? dereference(project, value, depth + 1) : site;
}

/** Python truthiness of an expression, where it can be known without running the code. */
export function truthiness(project: Project, site: ValueSite, depth = 0): Truthiness {
  if (depth > MAX_DEPTH) return 'unknown';
  const { expr } = site;
  switch (expr.kind) {
    case 'constant':
      return expr.value === true ? 'truthy' : 'falsy';
    case 'number':
      return expr.value === 0 ? 'falsy' : 'truthy';
    case 'string':
      return expr.value === '' ? 'falsy' : 'truthy';
    case 'list':
    case 'tuple':
    case 'set':
      return expr.items.length === 0 ? 'falsy' : expr.items.some((item) => item.kind === 'starred') ? 'unknown' : 'truthy';
    case 'dict':
      return expr.entries.length === 0 ? 'falsy' : expr.entries.some((entry) => entry.key === null) ? 'unknown' : 'truthy';
    case 'unary':
      return expr.operator === 'not' ? negate(truthiness(project, { ...site, expr: expr.operand }, depth + 1)) : 'unknown';
    case 'name':
    case 'attribute': {
      const value = singleAssignedValue(project, site);
      return value ? truthiness(project, value, depth + 1) : 'unknown';
    }
    default:
      return 'unknown';
  }
}

function negate(value: Truthiness): Truthiness {
  if (value === 'unknown') return value;
  return value === 'truthy' ? 'falsy' : 'truthy';
}

/** The string an expression is, directly or through names bound once to a string. */
export function stringValue(project: Project, site: ValueSite): string | undefined {
  const resolved = dereference(project, site);
  return resolved.expr.kind === 'string' ? resolved.expr.value : undefined;
}

export interface MappingEntry {
  key: string;
  value: ValueSite;
  /** The `key: value` pair or `key=value` argument, in `value.module`. */
  range: SourceRange;
}

/**
 * The string-keyed entries of a mapping written in the code: a `{...}` display or a `dict(...)`
 * call, directly or through a name bound once to one. `undefined` when it is something else.
 */
export function mappingEntries(project: Project, site: ValueSite, depth = 0): MappingEntry[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const resolved = dereference(project, site);
  const { expr } = resolved;
  if (expr.kind === 'dict') {
    return expr.entries.flatMap((entry) => {
      const key = entry.key ? stringValue(project, { ...resolved, expr: entry.key }) : undefined;
      return key === undefined ? [] : [{ key, value: { ...resolved, expr: entry.value }, range: entry.range }];
    });
  }
  if (expr.kind === 'call' && project.resolve(resolved.module, expr.callee, resolved.scope) === 'builtins.dict') {
    return expr.args.flatMap((argument) => {
      if (argument.name !== undefined) return [{ key: argument.name, value: { ...resolved, expr: argument.value }, range: argument.range }];
      if (argument.unpack) return [];
      return mappingEntries(project, { ...resolved, expr: argument.value }, depth + 1) ?? [];
    });
  }
  return undefined;
}

/** `os.getenv` and `os.environ.get`: a string from the environment, or their default when the variable is unset. */
const ENVIRONMENT_GETTERS = new Set(['os.getenv', 'os.environ.get']);

/**
 * The default of an environment read (`os.getenv("NAME", "False")`, `os.environ.get(...)`), when the
 * expression is one that has a default. Whatever the variable holds, the value is a string.
 */
export function environmentDefault(project: Project, site: ValueSite): ValueSite | undefined {
  const resolved = dereference(project, site);
  const { expr } = resolved;
  if (expr.kind !== 'call' || !ENVIRONMENT_GETTERS.has(project.resolve(resolved.module, expr.callee, resolved.scope) ?? '')) return undefined;
  const fallback = expr.args.find((argument) => argument.name === 'default') ?? expr.args[1];
  return fallback && !fallback.unpack && (fallback.name === undefined || fallback.name === 'default') ? { ...resolved, expr: fallback.value } : undefined;
}

/** A write into a mapping after it is built: `settings["key"] = value`, `settings.update(key=value)`. */
export interface MappingWrite extends MappingEntry {
  /** Under a condition, or in another scope than the one that builds the mapping: it may not run. */
  conditional: boolean;
  /** `setdefault` writes only a key that is not there yet. */
  onlyIfMissing: boolean;
}

/**
 * The writes into a mapping held in a name, in the module that builds it and the one that uses it,
 * in source order; those below `use` in its own scope come too late to matter. `undefined` when a
 * write cannot be read (`settings[key] = value`, `settings.update(other)`).
 */
export function mappingWrites(project: Project, use: ValueSite, useLine: number): MappingWrite[] | undefined {
  if (use.expr.kind !== 'name') return [];
  const holder = project.resolve(use.module, use.expr, use.scope);
  const [built] = project.assignmentsOf(use.module, use.expr, use.scope);
  if (holder === undefined || !built) return [];
  const writes: MappingWrite[] = [];
  for (const module of new Set([built.module, use.module])) {
    const found = writesIn(project, module, holder, built.assignment.scope);
    if (!found) return undefined;
    writes.push(...found.filter((write) => module !== use.module || write.value.scope !== use.scope || write.range.line < useLine));
  }
  return writes.sort((first, second) => first.range.line - second.range.line);
}

function writesIn(project: Project, module: SourceModule, holder: string, buildScope: number): MappingWrite[] | undefined {
  const writes: MappingWrite[] = [];
  const isHolder = (expr: Expr, scope: number) => expr.kind === 'name' && project.resolve(module, expr, scope) === holder;
  for (const { target, value, scope, operator, conditional, range } of module.facts.assignments) {
    if (target.kind !== 'subscript' || !value || operator !== '=' || !isHolder(target.object, scope)) continue;
    const key = stringValue(project, { module, scope, expr: target.index });
    if (key === undefined) return undefined;
    writes.push({ key, value: { module, scope, expr: value }, range, conditional: conditional || scope !== buildScope, onlyIfMissing: false });
  }
  for (const { call, scope, conditional } of module.facts.calls) {
    const { callee } = call;
    if (callee.kind !== 'attribute' || (callee.attribute !== 'update' && callee.attribute !== 'setdefault') || !isHolder(callee.object, scope)) continue;
    const entries = callee.attribute === 'update' ? updatedEntries(project, module, scope, call.args) : defaultedEntry(project, module, scope, call.args);
    if (!entries) return undefined;
    const mayNotRun = conditional || scope !== buildScope;
    writes.push(...entries.map((entry) => ({ ...entry, range: call.range, conditional: mayNotRun, onlyIfMissing: callee.attribute === 'setdefault' })));
  }
  return writes;
}

/** `update(key=value)`, `update({...})`, `update(**{...})`. */
function updatedEntries(project: Project, module: SourceModule, scope: number, args: Argument[]): MappingEntry[] | undefined {
  const entries: MappingEntry[] = [];
  for (const argument of args) {
    if (argument.name !== undefined) {
      entries.push({ key: argument.name, value: { module, scope, expr: argument.value }, range: argument.range });
      continue;
    }
    const unpacked = mappingEntries(project, { module, scope, expr: argument.value });
    if (!unpacked) return undefined;
    entries.push(...unpacked);
  }
  return entries;
}

/** `setdefault("key", value)`. */
function defaultedEntry(project: Project, module: SourceModule, scope: number, args: Argument[]): MappingEntry[] | undefined {
  const [key, value] = args;
  const name = key && !key.name ? stringValue(project, { module, scope, expr: key.value }) : undefined;
  if (name === undefined || !value) return undefined;
  return [{ key: name, value: { module, scope, expr: value.value }, range: value.range }];
}

/** A list built in steps is a few names deep at most; the bound stops cycles the read set misses. */
const MAX_LIST_DEPTH = 12;

/**
 * What a call in a list stands for: `undefined` keeps the call as an item (`path(...)`), a list of
 * sites puts those in its place (`i18n_patterns(*urls)` gives its arguments back).
 */
export type CallItems = (call: ValueSite) => ValueSite[] | undefined;

/**
 * The items of a list as the code builds it: written out (with `*starred` parts), concatenated,
 * held in a name bound with `=` or grown with `+=` (also under an `if`), `.append(...)`,
 * `.insert(...)` and `.extend(...)` in the scope that holds it. A call is an item unless
 * `callItems` says what it gives.
 */
export function builtListItems(project: Project, site: ValueSite, callItems: CallItems, depth = 0, read = new Set<object>()): ValueSite[] {
  if (depth > MAX_LIST_DEPTH) return [];
  const { expr } = site;
  const items = (inner: Expr, at: ValueSite = site) => builtListItems(project, { ...at, expr: inner }, callItems, depth + 1, read);
  if (expr.kind === 'list' || expr.kind === 'tuple') return expr.items.flatMap((item) => (item.kind === 'starred' ? items(item.value) : [{ ...site, expr: item }]));
  if (expr.kind === 'binary' && expr.operator === '+') return [...items(expr.left), ...items(expr.right)];
  if (expr.kind === 'call') return callItems(site) ?? [site];
  if (expr.kind !== 'name' && expr.kind !== 'attribute') return [];
  // Each binding is read once per list: `urls = f(urls)` would otherwise read every binding of `urls` again at each level.
  const unread = project.assignmentsOf(site.module, expr, site.scope).filter(({ assignment }) => !read.has(assignment) && assignment.value && (assignment.operator === '=' || assignment.operator === '+='));
  if (unread.length === 0) return expr.kind === 'attribute' ? [site] : [];
  for (const { assignment } of unread) read.add(assignment);
  const built = unread.flatMap(({ module, assignment }) => items(assignment.value!, { module, scope: assignment.scope, expr: assignment.value! }));
  const holders = new Map(unread.flatMap(({ module, assignment }) => (assignment.target.kind === 'name' ? [[`${module.path}\0${assignment.scope}\0${assignment.target.id}`, { module, scope: assignment.scope, id: assignment.target.id }] as const] : [])));
  return [...built, ...[...holders.values()].flatMap((holder) => grownItems(holder, (inner, at) => items(inner, at)))];
}

/** `items.append(x)`, `items.insert(i, x)`, `items.extend(xs)` in the scope that holds the list. */
function grownItems({ module, scope, id }: { module: SourceModule; scope: number; id: string }, items: (inner: Expr, at: ValueSite) => ValueSite[]): ValueSite[] {
  const found: ValueSite[] = [];
  for (const site of module.facts.calls) {
    const { callee, args } = site.call;
    if (site.scope !== scope || callee.kind !== 'attribute' || callee.object.kind !== 'name' || callee.object.id !== id) continue;
    const item = callee.attribute === 'insert' ? args[1] : args[0];
    if (!item || item.unpack) continue;
    const at = { module, scope, expr: item.value };
    if (callee.attribute === 'extend') found.push(...items(item.value, at));
    else if (callee.attribute === 'append' || callee.attribute === 'insert') found.push(at);
  }
  return found;
}

/** `self.access_token` where the class (or a base) says `access_token = "access_token"`: a name (a cookie's, a header's) written once for all its methods. */
export function selfAttributeText(project: Project, module: SourceModule, expr: Expr, scope: number): string | undefined {
  if (expr.kind !== 'attribute' || expr.object.kind !== 'name' || expr.object.id !== 'self') return undefined;
  const owner = project.resolve(module, expr.object, scope);
  if (owner === undefined) return undefined;
  let text: string | undefined;
  project.inheritsFrom(owner, (className) => {
    const assignments = project.assignmentsTo(`${className}.${expr.attribute}`);
    const [only] = assignments;
    if (assignments.length !== 1 || !only?.assignment.value) return assignments.length > 0;
    text = stringValue(project, { module: only.module, scope: only.assignment.scope, expr: only.assignment.value });
    return true;
  });
  return text;
}
