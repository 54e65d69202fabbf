import type { Definition, SourceRange } from '../python/facts.js';
import type { SourceModule } from './source-module.js';

/**
 * The items (definitions, assignments) whose range contains `range`, outermost first, in time
 * logarithmic in their number plus their nesting depth. A scan of every item for every finding
 * made a module of 20k exempted views take a minute: each finding's context and fingerprint ask.
 * Ranges from a syntax tree either nest or do not meet, so those containing a place are the
 * ancestors of the last item that starts before it.
 */
export function enclosing<T extends { range: SourceRange }>(items: readonly T[], range: SourceRange): T[] {
  const index = indexOf(items);
  const found: T[] = [];
  for (let at = lastStartingAtOrBefore(index, range); at !== undefined; at = index.parents[at]) {
    const item = index.sorted[at]!;
    if (contains(item.range, range)) found.push(item);
  }
  return found.reverse();
}

/** Whether `outer` starts at or before `inner` and ends at or after it. */
export function contains(outer: SourceRange, inner: SourceRange): boolean {
  return compareStart(outer, inner) <= 0 && (outer.endLine > inner.endLine || (outer.endLine === inner.endLine && outer.endColumn >= inner.endColumn));
}

interface NestingIndex<T> {
  /** By start, and the longer first among those starting at one place. */
  sorted: T[];
  /** For each sorted item, the nearest earlier one that contains it. */
  parents: Array<number | undefined>;
}

const indexes = new WeakMap<readonly unknown[], NestingIndex<unknown>>();

function indexOf<T extends { range: SourceRange }>(items: readonly T[]): NestingIndex<T> {
  const known = indexes.get(items) as NestingIndex<T> | undefined;
  if (known) return known;
  const sorted = [...items].sort((a, b) => compareStart(a.range, b.range) || b.range.endLine - a.range.endLine || b.range.endColumn - a.range.endColumn);
  const parents: Array<number | undefined> = [];
  const open: number[] = [];
  sorted.forEach((item, at) => {
    while (open.length > 0 && !contains(sorted[open[open.length - 1]!]!.range, item.range)) open.pop();
    parents.push(open[open.length - 1]);
    open.push(at);
  });
  const index = { sorted, parents };
  indexes.set(items, index);
  return index;
}

function lastStartingAtOrBefore<T extends { range: SourceRange }>(index: NestingIndex<T>, range: SourceRange): number | undefined {
  let low = 0;
  let high = index.sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareStart(index.sorted[middle]!.range, range) <= 0) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? undefined : low - 1;
}

function compareStart(a: SourceRange, b: SourceRange): number {
  return a.line - b.line || a.column - b.column;
}

/** The class a function is defined in directly (a method's class), or undefined. */
export function enclosingClass(module: SourceModule, definition: Definition): Definition | undefined {
  const owner = module.symbols.definitionOfScope(definition.scope);
  return owner?.kind === 'class' ? owner : undefined;
}
