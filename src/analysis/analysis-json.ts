import type { FileAnalysis } from '../python/analyse.js';
import type { CallExpr, CallSite, ModuleFacts } from '../python/facts.js';
import { isFileAnalysis } from './fact-cache.js';

/**
 * How an analysis crosses threads and sits in the cache. Every call is written once, in
 * `facts.calls`: an assignment, a return or an enclosing call that holds it holds `{"$call": id}`
 * instead. Written plainly, a call nested n deep was written n + 1 times, and calls made up more
 * than a third of an entry; read back, the facts share each call again, as freshly parsed ones do.
 */
export function analysisToJson(analysis: FileAnalysis): string {
  if (!analysis.ok) return JSON.stringify(analysis);
  return JSON.stringify({ ...analysis, facts: factsAsWritten(analysis.facts) });
}

/**
 * The facts with every call but its own site's replaced by `{"$call": id}`, built before writing:
 * a `JSON.stringify` replacer is called for every value written and took a third of the writing.
 * Only the objects on the way to a call are copied; a copy keeps its keys in order, so the text is
 * what the replacer wrote.
 */
function factsAsWritten(facts: ModuleFacts): ModuleFacts {
  const written: Record<string, unknown> = { ...facts };
  for (const list in facts) {
    if (LISTS_WITHOUT_EXPRESSIONS.has(list)) continue;
    written[list] = valueAsWritten(facts.calls, facts, list, facts[list as keyof ModuleFacts]);
  }
  return written as unknown as ModuleFacts;
}

/** `holder[key]` as written: a call held anywhere but in its own site is a reference. */
function valueAsWritten(calls: readonly CallSite[], holder: object, key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (isCallOf(calls, value) && !(key === 'call' && holder === calls[value.id])) return { $call: value.id };
  return Array.isArray(value) ? arrayAsWritten(calls, value) : objectAsWritten(calls, value);
}

function arrayAsWritten(calls: readonly CallSite[], array: readonly unknown[]): readonly unknown[] {
  let copy: unknown[] | undefined;
  for (let index = 0; index < array.length; index++) {
    const value = array[index];
    const written = valueAsWritten(calls, array, '', value);
    if (written === value) continue;
    copy ??= array.slice();
    copy[index] = written;
  }
  return copy ?? array;
}

function objectAsWritten(calls: readonly CallSite[], object: object): object {
  const holder = object as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in holder) {
    // A source range holds only numbers.
    if (key === 'range' || key === 'nameRange') continue;
    const value = holder[key];
    const written = valueAsWritten(calls, holder, key, value);
    if (written === value) continue;
    copy ??= { ...holder };
    copy[key] = written;
  }
  return copy ?? holder;
}

/** The analysis written by `analysisToJson`, or undefined when the text does not have its shape. */
export function analysisFromJson(json: string): FileAnalysis | undefined {
  let analysis: unknown;
  try {
    analysis = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isFileAnalysis(analysis)) return undefined;
  if (!analysis.ok) return analysis;
  const calls = analysis.facts.calls;
  if (!calls.every((site, index) => isCallSite(site) && site.call.id === index)) return undefined;
  // A call holds only calls made after it (its arguments), so the last ones are whole first.
  for (let index = calls.length - 1; index >= 0; index--) {
    if (!restoreCalls(calls, calls[index]!.call, index)) return undefined;
  }
  for (const [list, facts] of Object.entries(analysis.facts)) {
    if (list !== 'calls' && !LISTS_WITHOUT_EXPRESSIONS.has(list) && typeof facts === 'object' && facts !== null && !restoreCalls(calls, facts, -1)) return undefined;
  }
  return analysis;
}

/** Fact lists that hold no expression, so no call: they were over a third of what the walk for references covered. */
const LISTS_WITHOUT_EXPRESSIONS: ReadonlySet<string> = new Set(['scopes', 'bindings', 'imports', 'raises', 'syntaxProblems', 'directives'] satisfies Array<keyof ModuleFacts>);

function isCallOf(calls: readonly CallSite[], value: unknown): value is CallExpr {
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'call') return false;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'number' && calls[id]?.call === value;
}

function isCallSite(site: unknown): site is CallSite {
  const call = (site as { call?: unknown } | null)?.call as { kind?: unknown; id?: unknown } | undefined;
  return typeof call === 'object' && call !== null && call.kind === 'call' && typeof call.id === 'number';
}

/**
 * Puts each call back where `{"$call": id}` stands, inside `container`. Inside call `owner`, only
 * a later call may stand (-1: any call). False when a reference names no such call. Arrays and
 * objects are walked with plain loops: the walk covers every object of every analysis read, and
 * an iterator or a key list per object made it a third slower.
 */
function restoreCalls(calls: readonly CallSite[], container: object, owner: number): boolean {
  if (Array.isArray(container)) {
    for (let index = 0; index < container.length; index++) {
      if (!restoreCallAt(calls, container as unknown as Record<number, unknown>, index, owner)) return false;
    }
    return true;
  }
  const holder = container as Record<string, unknown>;
  for (const key in holder) {
    // A source range holds only numbers, and ranges are a good part of every fact.
    if (key === 'range' || key === 'nameRange') continue;
    if (!restoreCallAt(calls, holder, key, owner)) return false;
  }
  return true;
}

/** `holder[key]` made whole: a reference replaced by its call, anything else walked for references. */
function restoreCallAt(calls: readonly CallSite[], holder: Record<string | number, unknown>, key: string | number, owner: number): boolean {
  const value = holder[key];
  if (typeof value !== 'object' || value === null) return true;
  const reference = (value as { $call?: unknown }).$call;
  if (reference === undefined) return restoreCalls(calls, value, owner);
  if (typeof reference !== 'number' || !Number.isInteger(reference) || reference <= owner || reference >= calls.length) return false;
  holder[key] = calls[reference]!.call;
  return true;
}
