import type { CheckResult, Finding } from './finding.js';
import { fingerprintOf, sliceRange } from './fingerprint.js';
import { loadProject } from './load-project.js';
import { contextOfFinding } from './project/context.js';
import type { Project } from './project/project.js';
import { RULES } from './rules/index.js';
import { SourceLinesCache } from './source-lines.js';
import type { Rule, RuleReport } from './rules/rule.js';
import { VERSION } from './version.js';

export interface CheckOptions {
  /** Files and directories to scan, relative to `cwd`. */
  paths: readonly string[];
  /** Findings' paths are relative to it; defaults to the process's working directory. */
  cwd?: string;
  /** Report test-context findings too (hidden by default). */
  includeTests?: boolean;
  /** Skip files and directories matched by `.gitignore` files (default on). */
  respectGitignore?: boolean;
  /** Larger files are skipped with an error entry. */
  maxFileSizeBytes?: number;
  /** The rules to run; all by default. */
  rules?: readonly Rule[];
  /** Parse only files holding a word some rule needs, and what they import (default on). */
  prefilter?: boolean;
}

/** Runs the pipeline of DESIGN.md: discover, parse, build the project model, run the rules. */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const started = performance.now();
  const { project, errors, filesSeen } = await loadProject(options);
  const targetReports = runRules(project, options.rules ?? RULES).filter((entry) => entry.report.file.isTarget);
  const allFindings = await finishFindings(project, targetReports);
  const isShown = (finding: Finding) => options.includeTests === true || finding.context !== 'test';
  const findings = allFindings.filter(isShown);
  return {
    version: VERSION,
    findings,
    hiddenFindings: allFindings.filter((finding) => !isShown(finding)),
    errors,
    stats: {
      filesSeen,
      filesParsed: project.modules.length,
      durationMs: Math.round(performance.now() - started),
      testFindingsHidden: allFindings.length - findings.length,
    },
  };
}

interface RuleFinding {
  rule: Rule;
  report: RuleReport;
}

function runRules(project: Project, rules: readonly Rule[]): RuleFinding[] {
  const found: RuleFinding[] = [];
  for (const rule of rules) {
    rule.check({ project, report: (report) => found.push({ rule, report }) });
  }
  return found;
}

/** Turns rule reports into findings: one per place, sorted, with fingerprints from the source text. */
async function finishFindings(project: Project, reports: RuleFinding[]): Promise<Finding[]> {
  const unique = new Map<string, RuleFinding>();
  for (const entry of reports) {
    const { range, file } = entry.report;
    const key = `${entry.rule.id}\0${file.path}\0${range.line}:${range.column}`;
    if (!unique.has(key)) unique.set(key, entry);
  }
  const sorted = [...unique.values()].sort(compareReports);
  const sources = new SourceLinesCache();
  const occurrences = new Map<string, number>();
  const findings: Finding[] = [];
  for (const { rule, report } of sorted) {
    const lines = await sources.get(report.file.absolutePath);
    const construct = sliceRange(lines, report.range);
    const occurrenceKey = `${rule.id}\0${report.file.path}\0${construct.replace(/\s+/g, ' ')}`;
    const occurrence = occurrences.get(occurrenceKey) ?? 0;
    occurrences.set(occurrenceKey, occurrence + 1);
    findings.push({
      rule: rule.id,
      code: rule.code,
      severity: report.severity ?? rule.severity,
      path: report.file.path,
      ...report.range,
      message: report.message,
      ...(report.hint ? { hint: report.hint } : {}),
      context: report.context ?? (report.file.kind === 'python' ? contextOfFinding(project, report.file, report.range) : report.file.context),
      fingerprint: fingerprintOf(rule.id, report.file.path, construct, occurrence),
      suppressed: false,
    });
  }
  return findings;
}

function compareReports(a: RuleFinding, b: RuleFinding): number {
  const first = a.report;
  const second = b.report;
  return (
    first.file.path.localeCompare(second.file.path) ||
    first.range.line - second.range.line ||
    first.range.column - second.range.column ||
    a.rule.code.localeCompare(b.rule.code)
  );
}
