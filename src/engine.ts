import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { discoverFiles } from './discover/walk.js';
import type { CheckResult, Finding, ScanError } from './finding.js';
import { fingerprintOf, sliceRange } from './fingerprint.js';
import { analysePythonSource } from './python/analyse.js';
import { contextOfFinding, contextOfPath } from './project/context.js';
import { ProjectRoots } from './discover/project-root.js';
import { ModuleNamer } from './project/module-names.js';
import { Project } from './project/project.js';
import type { SourceModule } from './project/source-module.js';
import { ModuleSymbols } from './project/symbols.js';
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
}

export const DEFAULT_MAX_FILE_SIZE_BYTES = 5 * 1024 * 1024;

/** Runs the pipeline of DESIGN.md: discover, parse, build the project model, run the rules. */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const started = performance.now();
  const { project, errors, filesSeen } = await loadProject(options);
  const allFindings = await finishFindings(project, runRules(project, options.rules ?? RULES));
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

export interface LoadedProject {
  project: Project;
  errors: ScanError[];
  filesSeen: number;
}

/** Discovers and parses the files and builds the project model, without running rules. */
export async function loadProject(options: CheckOptions): Promise<LoadedProject> {
  const cwd = options.cwd ?? process.cwd();
  const displayPath = (absolutePath: string) => path.relative(cwd, absolutePath).split(path.sep).join('/') || '.';
  const discovery = await discoverFiles(
    options.paths.map((given) => path.resolve(cwd, given)),
    { respectGitignore: options.respectGitignore ?? true },
  );
  const errors: ScanError[] = discovery.problems.map((problem) => ({ path: displayPath(problem.absolutePath), message: problem.message }));
  const modules = await loadModules(discovery.files, displayPath, options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE_BYTES, errors);
  return { project: new Project(modules), errors: errors.sort((a, b) => a.path.localeCompare(b.path)), filesSeen: discovery.files.length };
}

async function loadModules(files: string[], displayPath: (absolutePath: string) => string, maxFileSizeBytes: number, errors: ScanError[]): Promise<SourceModule[]> {
  const projectRoots = new ProjectRoots();
  const namer = new ModuleNamer(projectRoots);
  const modules: SourceModule[] = [];
  for (const absolutePath of files) {
    const relativePath = displayPath(absolutePath);
    const bytes = await readSource(absolutePath, maxFileSizeBytes).catch((error: Error) => error);
    if (bytes instanceof Error) {
      errors.push({ path: relativePath, message: bytes.message });
      continue;
    }
    const analysis = await analysePythonSource(bytes);
    for (const problem of analysis.problems) errors.push({ path: relativePath, message: problem });
    if (!analysis.ok) continue;
    const location = namer.locate(absolutePath);
    modules.push({
      path: relativePath,
      absolutePath,
      ...location,
      facts: analysis.facts,
      symbols: new ModuleSymbols(location, analysis.facts),
      context: contextOfPath(pathInProject(absolutePath, projectRoots)),
    });
  }
  return modules;
}

async function readSource(absolutePath: string, maxFileSizeBytes: number): Promise<Uint8Array> {
  const info = await stat(absolutePath).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read file (${error.code ?? error.message}); skipped`);
  });
  if (info.size > maxFileSizeBytes) {
    throw new Error(`file is ${formatMegabytes(info.size)}, over the ${formatMegabytes(maxFileSizeBytes)} limit; skipped`);
  }
  return readFile(absolutePath).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read file (${error.code ?? error.message}); skipped`);
  });
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
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
    const { range, module } = entry.report;
    const key = `${entry.rule.id}\0${module.path}\0${range.line}:${range.column}`;
    if (!unique.has(key)) unique.set(key, entry);
  }
  const sorted = [...unique.values()].sort(compareReports);
  const sources = new SourceLinesCache();
  const occurrences = new Map<string, number>();
  const findings: Finding[] = [];
  for (const { rule, report } of sorted) {
    const lines = await sources.get(report.module.absolutePath);
    const construct = sliceRange(lines, report.range);
    const occurrenceKey = `${rule.id}\0${report.module.path}\0${construct.replace(/\s+/g, ' ')}`;
    const occurrence = occurrences.get(occurrenceKey) ?? 0;
    occurrences.set(occurrenceKey, occurrence + 1);
    findings.push({
      rule: rule.id,
      code: rule.code,
      severity: report.severity ?? rule.severity,
      path: report.module.path,
      ...report.range,
      message: report.message,
      ...(report.hint ? { hint: report.hint } : {}),
      context: report.context ?? contextOfFinding(project, report.module, report.range),
      fingerprint: fingerprintOf(rule.id, report.module.path, construct, occurrence),
      suppressed: false,
    });
  }
  return findings;
}

function compareReports(a: RuleFinding, b: RuleFinding): number {
  const first = a.report;
  const second = b.report;
  return (
    first.module.path.localeCompare(second.module.path) ||
    first.range.line - second.range.line ||
    first.range.column - second.range.column ||
    a.rule.code.localeCompare(b.rule.code)
  );
}

/** Test and settings folders are judged from the project root, wherever the scan was started. */
function pathInProject(absolutePath: string, projectRoots: ProjectRoots): string {
  const root = projectRoots.rootOf(path.dirname(absolutePath)) ?? path.dirname(absolutePath);
  return path.relative(root, absolutePath).split(path.sep).join('/');
}
