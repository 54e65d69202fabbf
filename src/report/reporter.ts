import path from 'node:path';
import type { CheckResult } from '../finding.js';
import type { Palette } from './color.js';

/** What a reporter may need besides the result: source lines for code frames, styling, and choices. */
export interface ReportContext {
  palette: Palette;
  /** The lines of a reported file, keyed by the finding's `path`. */
  sourceLines: ReadonlyMap<string, readonly string[]>;
  /** Include suppressed findings (text formats and SARIF leave them out by default). */
  showSuppressed: boolean;
  /** Text formats: the findings alone, without the summary. */
  quiet?: boolean;
  /** Text formats: a count per rule instead of each finding. */
  statistics?: boolean;
  /** When the scan ran, for formats that record it (GitLab). */
  startedAt: Date;
  /** The working directory as seen from the repository root (`services/web/`, or `` at the root). */
  repositoryPath: string;
}

/**
 * A finding's path from the repository root, as code scanning and CI formats want it (GitHub
 * matches SARIF and annotations against files in the repository, not in the working directory).
 */
export function repositoryRelative(findingPath: string, context: ReportContext): string {
  return path.posix.normalize(`${context.repositoryPath}${findingPath}`);
}

/** The findings a human-facing or code-scanning format shows. */
export function shownFindings(result: CheckResult, context: ReportContext): CheckResult['findings'] {
  return context.showSuppressed ? result.findings : result.findings.filter((finding) => !finding.suppressed);
}

/** Reporters are pure: the same result and context always give the same text. */
export type Reporter = (result: CheckResult, context: ReportContext) => string;
