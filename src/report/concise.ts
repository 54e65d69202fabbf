import type { Finding } from '../finding.js';
import type { Palette } from './color.js';
import type { Reporter } from './reporter.js';
import { summaryLines } from './summary.js';

/** `path:line:col: CODE [rule-id] message`, the format editors and CI log parsers understand. */
export function conciseLine(finding: Finding, palette: Palette): string {
  const location = `${palette.bold(finding.path)}:${finding.line}:${finding.column}:`;
  return `${location} ${severityColor(finding, palette)(finding.code)} ${palette.dim(`[${finding.rule}]`)} ${finding.message}`;
}

export function severityColor(finding: Finding, palette: Palette): (text: string) => string {
  return finding.severity === 'high' ? palette.red : finding.severity === 'medium' ? palette.yellow : palette.cyan;
}

export const reportConcise: Reporter = (result, { palette }) => {
  const lines = result.findings.filter((finding) => !finding.suppressed).map((finding) => conciseLine(finding, palette));
  return [...lines, ...summaryLines(result, palette)].join('\n') + '\n';
};
