import type { CheckResult } from '../finding.js';
import type { Palette } from './color.js';

/** What a reporter may need besides the result: source lines for code frames, and styling. */
export interface ReportContext {
  palette: Palette;
  /** The lines of a reported file, keyed by the finding's `path`. */
  sourceLines: ReadonlyMap<string, readonly string[]>;
}

/** Reporters are pure: the same result and context always give the same text. */
export type Reporter = (result: CheckResult, context: ReportContext) => string;
