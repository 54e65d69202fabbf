import type { FindingContext } from './project/context.js';
import type { Severity } from './rules/rule.js';

/** One reported place, as the JSON output and every reporter see it (see DESIGN.md, the result contract). */
export interface Finding {
  rule: string;
  code: string;
  severity: Severity;
  /** Relative to the working directory, with `/`. */
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** What a reviewer should weigh: e.g. the view verifies a signature. */
  hint?: string;
  /** How to fix this finding, when the rule's general fix does not fit it (a webhook that verifies a signature). */
  fix?: string;
  /** The check that turns a forged request away, on an exemption judged guarded (`header-token`, `url-secret`...): hidden unless `reportGuardedExemptions`. */
  guard?: string;
  context: FindingContext;
  /** Stable across line moves: rule, path and the normalised source of the construct. */
  fingerprint: string;
  suppressed: boolean;
  /** What silenced it: an inline comment (with its reason), `per-file-ignores`, or the baseline. */
  suppression?: { kind: 'comment' | 'noqa' | 'per-file-ignores' | 'baseline'; reason?: string };
}

export interface ScanError {
  path: string;
  message: string;
  /** The file may hold code csrflint could not see (an encoding it cannot decode): the scan fails. */
  blocking?: boolean;
}

export interface ScanStats {
  /** Python files and templates under the given paths. */
  filesSeen: number;
  /** Python files parsed this run (some may be files of the surrounding project). */
  filesParsed: number;
  /** Python files whose facts came from the cache, unparsed. */
  filesCached: number;
  /** Python files under the given paths that the prefilter passed over: they hold no word any rule needs. */
  filesSkipped: number;
  /** Python files, templates and folders left out by `exclude` / `extend-exclude` (not by the default skipped folders). */
  pathsExcluded?: number;
  /** Python files, templates and folders left out because a `.gitignore` lists them. */
  pathsIgnored?: number;
  durationMs: number;
  /** Test-context findings left out because tests were not included. */
  testFindingsHidden: number;
  /** Exemptions judged guarded (see `Finding.guard`), outside test code, left out because they were not asked for. */
  guardedFindingsHidden: number;
}

export interface CheckResult {
  version: string;
  findings: Finding[];
  /** Test-context findings and exemptions judged guarded, left out of `findings` (shown with `includeTests`, `reportGuardedExemptions`). */
  hiddenFindings: Finding[];
  errors: ScanError[];
  stats: ScanStats;
}
