import type { CheckResult, Finding } from '../finding.js';
import { type ReportContext, shownFindings } from './reporter.js';

const SEVERITY_ORDER = ['high', 'medium', 'low'] as const;

/** A text report: its findings (or a count per rule with `statistics`), then the summary unless `quiet`. */
export function textReport(result: CheckResult, context: ReportContext, renderFinding: (finding: Finding) => string, separator: string): string {
  const body = context.statistics ? statisticsLines(shownFindings(result, context)) : shownFindings(result, context).map(renderFinding);
  const parts = context.quiet ? body : [...body, summaryLines(result, context).join('\n')];
  return parts.length === 0 ? '' : `${parts.join(separator)}\n`;
}

/** `--statistics`, as Ruff prints it: count, code, rule and severity per rule, most frequent first. */
function statisticsLines(findings: readonly Finding[]): string[] {
  const counts = new Map<string, { finding: Finding; count: number }>();
  for (const finding of findings) {
    const entry = counts.get(finding.rule) ?? { finding, count: 0 };
    entry.count++;
    counts.set(finding.rule, entry);
  }
  const rows = [...counts.values()].sort((a, b) => b.count - a.count || a.finding.code.localeCompare(b.finding.code));
  const width = String(rows[0]?.count ?? 0).length;
  return rows.length === 0 ? [] : [rows.map(({ finding, count }) => `${String(count).padStart(width)}\t${finding.code}\t[${finding.rule}]\t${finding.severity}`).join('\n')];
}

/** The closing lines of text output: how many findings, of what severity, and what was left out. */
function summaryLines(result: CheckResult, { palette, showSuppressed }: ReportContext): string[] {
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
  if (result.stats.guardedFindingsHidden > 0) lines.push(palette.dim(`${guardedHiddenLine(result.stats.guardedFindingsHidden)}.`));
  const seconds = (result.stats.durationMs / 1000).toFixed(2);
  const filesWithErrors = new Set(result.errors.map((error) => error.path)).size;
  lines.push(palette.dim(`Checked ${plural(result.stats.filesSeen, 'file')} (${result.stats.filesSkipped} skipped, ${plural(filesWithErrors, 'error')}) in ${seconds} s.`));
  return lines;
}

/** How many exemptions were judged guarded and left out, and how to list them. */
export function guardedHiddenLine(count: number): string {
  return `${plural(count, 'exemption')} judged guarded not shown: --report-guarded-exemptions lists them`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
