import { Prefilter } from '../prefilter.js';
import type { Rule } from './rule.js';

/** The files a run is on, as pre-commit names them: their bytes now and at the commit. */
export interface NamedFiles {
  /** Each file's bytes as the run reads them (an editor's unsaved text instead of the file's). */
  current: readonly Uint8Array[];
  /** Each file's committed version, in the same order (`undefined` for a file new since); `undefined` when there is no commit to compare with. */
  committed: readonly (Uint8Array | undefined)[] | undefined;
}

/**
 * The rules that can change what a run on the named files reports. A rule reports in a named file
 * only when the file holds one of the words it reports at (`reportsAt`, else its `keywords`).
 * Elsewhere, the run reports only findings of rules that judge the whole project and that are new
 * since the commit: caused by a change to a named file whose current or committed version holds one
 * of the rule's words (deleting `CSRFProtect(app)` leaves a file without one). Files just as
 * committed cause nothing new; without a commit to compare with, every such finding in the files'
 * projects is reported, so each rule that judges the project runs. Only Python rules: no template is
 * named here, and suppression rules are the caller's to decide (which suppressions they report
 * depends on every rule run).
 */
export function rulesThatCanReportIn({ current, committed }: NamedFiles, rules: readonly Rule[]): Rule[] {
  const unchanged = committed !== undefined && current.length === committed.length && current.every((bytes, index) => sameBytes(bytes, committed[index]));
  return rules.filter((rule) => {
    if ((rule.reads ?? 'python') !== 'python') return false;
    if (current.some((bytes) => holdsWordOf(rule.reportsAt ?? rule.keywords, bytes))) return true;
    if (rule.judges !== 'project' || unchanged) return false;
    return committed === undefined || [...current, ...committed].some((bytes) => bytes !== undefined && holdsWordOf(rule.keywords, bytes));
  });
}

function holdsWordOf(words: Rule['keywords'], bytes: Uint8Array): boolean {
  return new Prefilter(words).matches(bytes);
}

function sameBytes(first: Uint8Array, second: Uint8Array | undefined): boolean {
  return second !== undefined && Buffer.from(first.buffer, first.byteOffset, first.byteLength).equals(second);
}
