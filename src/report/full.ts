import type { Finding } from '../finding.js';
import type { Palette } from './color.js';
import { conciseLine, severityColor } from './concise.js';
import type { Reporter } from './reporter.js';
import { fixOf } from './rule-metadata.js';
import { textReport } from './summary.js';

const CONTEXT_LINES = 1;

/** Each finding with a code frame that underlines the construct, the rule's fix, and any hint. */
export const reportFull: Reporter = (result, context) => {
  const { palette, sourceLines } = context;
  return textReport(result, context, (finding) => findingBlock(finding, sourceLines.get(finding.path) ?? [], palette), '\n\n');
};

function findingBlock(finding: Finding, lines: readonly string[], palette: Palette): string {
  const fix = fixOf(finding);
  const parts = [conciseLine(finding, palette), ...codeFrame(finding, lines, palette)];
  if (finding.hint) parts.push(`  ${palette.blue('= hint:')} ${finding.hint}`);
  if (fix) parts.push(`  ${palette.blue('= fix:')} ${fix}`);
  return parts.join('\n');
}

function codeFrame(finding: Finding, lines: readonly string[], palette: Palette): string[] {
  if (lines.length < finding.line) return [];
  const first = Math.max(1, finding.line - CONTEXT_LINES);
  const last = Math.min(lines.length, finding.line + CONTEXT_LINES);
  const gutterWidth = String(last).length;
  const gutter = (label: string) => palette.blue(`${label.padStart(gutterWidth)} |`);
  const frame = [gutter('')];
  for (let lineNumber = first; lineNumber <= last; lineNumber++) {
    const text = expandTabs(lines[lineNumber - 1] ?? '');
    frame.push(`${gutter(String(lineNumber))} ${text}`.trimEnd());
    if (lineNumber === finding.line) frame.push(`${gutter('')} ${underline(finding, lines[lineNumber - 1] ?? '', palette)}`);
  }
  frame.push(gutter(''));
  return frame;
}

/** Carets under the construct on its first line (to the end of the line when it spans several). */
function underline(finding: Finding, line: string, palette: Palette): string {
  const start = expandTabs(line.slice(0, finding.column - 1)).length;
  const endColumn = finding.endLine === finding.line ? finding.endColumn : line.trimEnd().length + 1;
  const width = Math.max(1, expandTabs(line.slice(0, endColumn - 1)).length - start);
  return `${' '.repeat(start)}${severityColor(finding, palette)(`${'^'.repeat(width)} ${finding.code}`)}`;
}

function expandTabs(text: string): string {
  return text.replace(/\t/g, '    ');
}
