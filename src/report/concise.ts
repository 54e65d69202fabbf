import type { Finding } from '../finding.js';
import type { Palette } from './color.js';
import type { Reporter } from './reporter.js';
import { textReport } from './summary.js';

/** `path:line:col: CODE [rule-id] severity: message`, the format editors and CI log parsers understand. */
export function conciseLine(finding: Finding, palette: Palette): string {
  const location = `${palette.bold(finding.path)}:${finding.line}:${finding.column}:`;
  const color = severityColor(finding, palette);
  const line = `${location} ${color(finding.code)} ${palette.dim(`[${finding.rule}]`)} ${color(`${finding.severity}:`)} ${finding.message}`;
  return finding.suppressed ? `${line} ${palette.dim(suppressionNote(finding))}` : line;
}

/** `(suppressed: reason)`, shown beside a suppressed finding when `--show-suppressed` asks for them. */
function suppressionNote(finding: Finding): string {
  const { kind, reason } = finding.suppression ?? { kind: 'comment' };
  const how = kind === 'baseline' ? 'in the baseline' : kind === 'per-file-ignores' ? 'by per-file-ignores' : reason ? reason : 'without a reason';
  return `(suppressed: ${how})`;
}

export function severityColor(finding: Finding, palette: Palette): (text: string) => string {
  return finding.severity === 'high' ? palette.red : finding.severity === 'medium' ? palette.yellow : palette.cyan;
}

export const reportConcise: Reporter = (result, context) => {
  return textReport(result, context, (finding) => conciseLine(finding, context.palette), '\n');
};
