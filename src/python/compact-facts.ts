import type { Node } from 'web-tree-sitter';
import type { ModuleFacts } from './facts.js';

/**
 * Facts live for the whole run, and their text was most of the heap: tree-sitter hands a node's
 * text out as a slice of the file's source, which keeps the whole source alive with it, and a name
 * such as `self` or `objects` was a string of its own at each of its thousands of occurrences.
 * Facts hold one shared copy instead, cut loose from the source. The table is per thread and
 * starts again when full, so a long-lived process does not keep every name it ever read.
 */
const MAX_INTERNED = 100_000;

/** Longer text (a docstring-sized literal) is copied but not shared: it seldom repeats. */
const MAX_INTERNED_LENGTH = 200;

/**
 * V8 copies shorter slices and joins outright; from this length on it keeps a reference to the
 * text sliced or joined from.
 */
const MIN_REFERENCING_LENGTH = 13;

const interned = new Map<string, string>();

/** A node's text as facts keep it. */
export function textOf(node: Node): string {
  return internedText(node.text);
}

/** The shared copy of `text` (see above). */
export function internedText(text: string): string {
  if (text.length > MAX_INTERNED_LENGTH) return ownCopy(text);
  const known = interned.get(text);
  if (known !== undefined) return known;
  if (interned.size >= MAX_INTERNED) interned.clear();
  const copy = ownCopy(text);
  interned.set(copy, copy);
  return copy;
}

/** The text in a string of its own: JSON parsing builds one from scratch, where slicing and joining do not. */
function ownCopy(text: string): string {
  return text.length < MIN_REFERENCING_LENGTH ? text : (JSON.parse(JSON.stringify(text)) as string);
}

export function optionalTextOf(node: Node | null | undefined): string | undefined {
  return node ? textOf(node) : undefined;
}

/**
 * The items in an array of their own size: one grown by `push` keeps room for 17 items or more,
 * and facts hold hundreds of thousands of small lists.
 */
export function withoutSpareRoom<T>(items: T[]): T[] {
  return items.length === 0 ? [] : items.slice();
}

/** The facts' lists, grown while the module was walked, cut to their size. */
export function trimFactLists(facts: ModuleFacts): void {
  for (const list of FACT_LISTS) (facts[list] as unknown[]) = withoutSpareRoom(facts[list] as unknown[]);
  for (const scope of facts.scopes) {
    scope.globals = withoutSpareRoom(scope.globals);
    scope.nonlocals = withoutSpareRoom(scope.nonlocals);
    scope.reads = withoutSpareRoom(scope.reads);
  }
}

const FACT_LISTS = ['scopes', 'bindings', 'imports', 'assignments', 'calls', 'definitions', 'returns', 'raises', 'deletions', 'tries', 'conditions', 'directives'] as const satisfies ReadonlyArray<keyof ModuleFacts>;
