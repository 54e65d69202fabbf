import type { Expr, SourceRange } from '../python/facts.js';
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
