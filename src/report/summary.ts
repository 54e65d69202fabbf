import type { CheckResult } from '../finding.js';
import type { ReportContext } from './reporter.js';

const SEVERITY_ORDER = ['high', 'medium', 'low'] as const;

/** The closing lines of text output: how many findings, of what severity, and what was left out. */
export function summaryLines(result: CheckResult, { palette, showSuppressed }: ReportContext): string[] {
  const shown = result.findings.filter((finding) => !finding.suppressed);
  const lines: string[] = [];
  if (shown.length === 0) {
    lines.push(palette.bold('No CSRF findings.'));
  } else {
    const bySeverity = SEVERITY_ORDER.map((severity) => [severity, shown.filter((finding) => finding.severity === severity).length] as const)
      .filter(([, count]) => count > 0)
      .map(([severity, count]) => `${count} ${severity}`);
    lines.push(palette.bold(`Found ${plural(shown.length, 'finding')} (${bySeverity.join(', ')}).`));
  }
  const suppressed = result.findings.length - shown.length;
  if (suppressed > 0) lines.push(palette.dim(`${plural(suppressed, 'finding')} suppressed${showSuppressed ? '' : ' (--show-suppressed shows them)'}.`));
  if (result.stats.testFindingsHidden > 0) {
    lines.push(palette.dim(`${plural(result.stats.testFindingsHidden, 'finding')} in test code hidden (--include-tests shows them).`));
  }
  const seconds = (result.stats.durationMs / 1000).toFixed(2);
  const filesWithErrors = new Set(result.errors.map((error) => error.path)).size;
  lines.push(palette.dim(`Checked ${plural(result.stats.filesSeen, 'file')} (${result.stats.filesSkipped} skipped, ${plural(filesWithErrors, 'error')}) in ${seconds} s.`));
  return lines;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
