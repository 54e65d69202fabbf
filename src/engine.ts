import path from 'node:path';
import type { FileOutcomeMemo } from './analysis/outcome-memo.js';
import type { DiscoveryMemo } from './discover/discovery-memo.js';
import { isSameOrInside } from './discover/path-inside.js';
import { ContextRoots } from './discover/project-root.js';
import type { CheckResult, Finding } from './finding.js';
import { fingerprintOf, normalisedPython, sliceRange, subjectOf, withoutWhitespace } from './fingerprint.js';
import { RunMemo, settledTime } from './analysis/run-memo.js';
import { DEFAULT_MAX_FILE_SIZE_BYTES, type DiscoveredProject, discoverProject, filesRead, type LoadedProject, loadDiscovered, type ProgressListener } from './load-project.js';
import { onlyNewElsewhere } from './partial-run.js';
import { runRules } from './run-rules.js';
import { contextOfFinding } from './project/context.js';
import type { Project } from './project/project.js';
import { findRule, RULES } from './rules/index.js';
import type { Rule, RuleSettings } from './rules/rule.js';
import { SourceLinesCache } from './source-lines.js';
import { templateReadingNotes } from './templates/template-document.js';
import { applySuppressions, type PerFileIgnores, type RuleFinding } from './suppress/apply.js';
import { type Baseline, isInBaseline } from './suppress/baseline.js';
import { VERSION } from './version.js';
import type { WarmProject } from './warm-project.js';

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
  /** The rules to run; all but the opt-in ones by default. */
  rules?: readonly Rule[];
  /** Parse only files holding a word some rule needs, and what they import (default on). */
  prefilter?: boolean;
  /** Globs (relative to `excludeDirectory`) replacing the default skipped folders (`.git`, `node_modules`, `venv`...). */
  exclude?: readonly string[];
  /** Globs skipped on top of `exclude` or the defaults. */
  extendExclude?: readonly string[];
  /** Skip excluded paths even when they are given in `paths` (Ruff's `force-exclude`; pre-commit names every file). */
  forceExclude?: boolean;
  /** What `exclude` and `extendExclude` globs are relative to; defaults to `cwd`. */
  excludeDirectory?: string;
  /** Folder names whose HTML files are templates (default `templates`, `jinja2`). */
  templateDirectories?: readonly string[];
  perFileIgnores?: PerFileIgnores;
  /** Report suppression comments that silence nothing. */
  reportUnusedSuppressions?: boolean;
  /** Report `csrflint: ignore` comments that give no reason. */
  requireReason?: boolean;
  /** Also report template forms without a token that the server will reject (broken forms, not holes). */
  reportBrokenForms?: boolean;
  /** Also report CSRF exemptions judged guarded (a signature, a header token, a secret URL turns a forged request away): hidden by default. */
  reportGuardedExemptions?: boolean;
  /** Findings recorded here are marked suppressed. */
  baseline?: Baseline;
  /** Report only findings in these files (absolute paths): the rest of the project is still read. */
  changedFiles?: ReadonlySet<string>;
  /**
   * What a run on some files compares project-wide findings elsewhere with: only those new since
   * this git revision are reported (default `HEAD`; `--diff-base REF` gives the merge base).
   */
  baseRevision?: string;
  /** Threads that parse (default: `defaultJobs`, one per core but one on 2 cores or fewer; small scans parse inline whatever this says). */
  jobs?: number;
  /** Where facts are cached by file content, so that unchanged files are not parsed again; no cache without it. */
  cacheDirectory?: string;
  /** Told how many of the files found are done, as they are. */
  onProgress?: ProgressListener;
  /**
   * Text to read instead of the file on disk, by absolute path: an editor's unsaved buffers. Files
   * are still found on disk; an overlay's analysis is never written to the cache.
   */
  overlays?: ReadonlyMap<string, string>;
  /** Outcomes of loading files, kept from one check to the next in a long-lived process (the language server). */
  outcomeMemo?: FileOutcomeMemo;
  /**
   * Keep a whole run's result in `cacheDirectory` and answer `check` from it while no file the run
   * read, nor csrflint, nor an option has changed (see `RunMemo`); not with `changedFiles` or `overlays`.
   */
  rememberResult?: boolean;
  /** The files found under `paths` last time, while none can have been added or removed. */
  discoveryMemo?: DiscoveryMemo;
  /** The project model of the previous check, with the files changed since (the language server). */
  warmProject?: WarmProject;
}

/** Runs the pipeline of DESIGN.md: discover, parse, build the project model, run the rules, suppress, report. */
export async function check(options: CheckOptions): Promise<CheckResult> {
  if (options.cacheDirectory === undefined || !options.rememberResult || options.changedFiles || options.overlays || options.outcomeMemo) return (await checkProject(options)).result;
  const started = performance.now();
  const rules = activeRules(options);
  const discovered = await discoverProject({ ...options, rules });
  if (discovered.answer) return (await checkProject(options, discovered)).result;
  const memo = new RunMemo(options.cacheDirectory, optionsKey(options, rules), filesRead(discovered), settledTime(), discovered.fileStats);
  const remembered = memo.read();
  if (remembered) {
    const { stats } = remembered;
    return { ...remembered, stats: { ...stats, filesParsed: 0, filesCached: stats.filesParsed + stats.filesCached, durationMs: Math.round(performance.now() - started) } };
  }
  const { result } = await checkProject(options, discovered);
  memo.write(result);
  return result;
}

/** Every option that can change a run's result, as text (not the threads, the cache or the progress display). */
function optionsKey(options: CheckOptions, rules: readonly Rule[]): string {
  const { onProgress: _progress, jobs: _jobs, cacheDirectory: _cache, rememberResult: _remember, rules: _rules, baseline, ...rest } = options;
  const baselineKeys = baseline ? { directory: baseline.directory, keys: [...baseline.keys].sort() } : undefined;
  return JSON.stringify({ cwd: options.cwd ?? process.cwd(), ...rest, rules: rules.map((rule) => rule.id), baseline: baselineKeys });
}

/** The project of the files `discoverProject` found (or finds now), loaded for the rules that can report in this run, and those rules. */
async function loadDiscoveredOrFind(options: CheckOptions & { rules: readonly Rule[] }, discovered: DiscoveredProject | undefined): Promise<{ loaded: LoadedProject; rules: readonly Rule[] }> {
  const found = discovered ?? (await discoverProject(options));
  if (found.answer) return { loaded: found.answer, rules: options.rules };
  const rules = found.rulesThatCanReport;
  const loaded = await loadDiscovered({ ...options, rules }, found);
  return { loaded, rules: loaded.rulesToRun ?? rules };
}

/** `check`, also handing back the project model the findings were made from (`csrflint endpoints` reads both). */
export async function checkProject(options: CheckOptions, discovered?: DiscoveredProject): Promise<{ result: CheckResult; project: Project }> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const rules = activeRules(options);
  const { loaded, rules: rulesRun } = options.warmProject ? { loaded: await options.warmProject.load({ ...options, rules }), rules } : await loadDiscoveredOrFind({ ...options, rules }, discovered);
  const { project, errors, filesSeen, filesParsed, filesCached, filesSkipped, pathsExcluded, pathsIgnored, targetFiles } = loaded;
  const sources = new SourceLinesCache(options.overlays);
  const looked = options.changedFiles ? [...options.changedFiles] : targetFiles;
  const found = options.warmProject ? options.warmProject.ruleFindings(project, rules, ruleSettings(options)) : runRules(project, rulesRun, ruleSettings(options));
  const reports = await reportedFindings(found, project, looked, options);
  const suppressed = await applySuppressions(project, reports, sources, {
    activeRules: rules,
    ...(options.perFileIgnores ? { perFileIgnores: options.perFileIgnores } : {}),
    ...(optInRule(rules, 'unused-suppression') ? { unusedSuppression: optInRule(rules, 'unused-suppression')! } : {}),
    ...(optInRule(rules, 'suppression-without-reason') ? { suppressionWithoutReason: optInRule(rules, 'suppression-without-reason')! } : {}),
  });
  const allFindings = markBaselined(await finishFindings(project, suppressed, sources), options.baseline, cwd);
  const allErrors = [...errors, ...templateReadingNotes(project.templates)];
  const isTestHidden = (finding: Finding) => options.includeTests !== true && finding.context === 'test';
  const isGuardHidden = (finding: Finding) => options.reportGuardedExemptions !== true && finding.guard !== undefined;
  const findings = allFindings.filter((finding) => !isTestHidden(finding) && !isGuardHidden(finding));
  const result: CheckResult = {
    version: VERSION,
    findings,
    hiddenFindings: allFindings.filter((finding) => isTestHidden(finding) || isGuardHidden(finding)),
    errors: options.changedFiles ? allErrors.filter((error) => isChanged(options, path.resolve(cwd, error.path))) : allErrors,
    stats: {
      filesSeen,
      filesParsed,
      filesCached,
      filesSkipped,
      pathsExcluded,
      pathsIgnored,
      durationMs: Math.round(performance.now() - started),
      testFindingsHidden: allFindings.filter(isTestHidden).length,
      guardedFindingsHidden: allFindings.filter((finding) => !isTestHidden(finding) && isGuardHidden(finding)).length,
    },
  };
  return { result, project };
}

/** The rules to run: the given ones, or every rule but the opt-in ones, plus those their options turn on. */
function activeRules(options: CheckOptions): Rule[] {
  const rules = [...(options.rules ?? RULES.filter((rule) => !rule.optIn))];
  const turnedOn = [options.reportUnusedSuppressions ? 'unused-suppression' : undefined, options.requireReason ? 'suppression-without-reason' : undefined];
  for (const id of turnedOn) {
    const rule = id === undefined ? undefined : findRule(id);
    if (rule && !rules.includes(rule)) rules.push(rule);
  }
  return rules;
}

function optInRule(rules: readonly Rule[], id: string): Rule | undefined {
  return rules.find((rule) => rule.id === id);
}

/**
 * Which findings a run on some files (or with `--diff-base`) reports: those in the files it looks
 * at, and, for a rule that judges the whole project, those anywhere that are new since the base
 * revision: the change that removed a protection is seldom in the file the finding lands on, nor
 * always in the same project root (a monorepo's shared library; see `onlyNewElsewhere`). When the
 * base cannot be read, only the findings in a project one of the files belongs to are kept.
 */
async function reportedFindings(found: readonly RuleFinding[], project: Project, looked: readonly string[], options: CheckOptions): Promise<RuleFinding[]> {
  const touchedRoots = new Map<string, boolean>();
  const isTouched = (root: string) => {
    if (!touchedRoots.has(root)) touchedRoots.set(root, looked.some((file) => isSameOrInside(root, file)));
    return touchedRoots.get(root)!;
  };
  const inLooked = ({ report }: RuleFinding) => report.file.isTarget && isChanged(options, report.file.absolutePath);
  const elsewhere = found.filter((entry) => !inLooked(entry) && entry.rule.judges === 'project' && entry.report.file.kind === 'python');
  const base = { revision: options.baseRevision ?? 'HEAD', cwd: options.cwd ?? process.cwd(), maxFileSizeBytes: options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE_BYTES, settings: ruleSettings(options) };
  const withoutBase = (entry: RuleFinding) => isTouched(entry.report.file.projectRoot);
  const newElsewhere = new Set(await onlyNewElsewhere(elsewhere, project, looked, base, withoutBase));
  return found.filter((entry) => inLooked(entry) || newElsewhere.has(entry));
}

function isChanged(options: CheckOptions, absolutePath: string): boolean {
  return !options.changedFiles || options.changedFiles.has(absolutePath);
}

function ruleSettings(options: CheckOptions): RuleSettings {
  return { reportBrokenForms: options.reportBrokenForms === true };
}

function markBaselined(findings: Finding[], baseline: Baseline | undefined, cwd: string): Finding[] {
  if (!baseline) return findings;
  return findings.map((finding) => (!finding.suppressed && isInBaseline(baseline, finding, cwd) ? { ...finding, suppressed: true, suppression: { kind: 'baseline' } } : finding));
}

/** Turns rule reports into findings: one per place, sorted, with fingerprints from the source text. */
async function finishFindings(project: Project, reports: RuleFinding[], sources: SourceLinesCache): Promise<Finding[]> {
  const unique = new Map<string, RuleFinding>();
  for (const entry of reports) {
    const { range, file } = entry.report;
    const key = `${entry.rule.id}\0${file.path}\0${range.line}:${range.column}`;
    if (!unique.has(key)) unique.set(key, entry);
  }
  const sorted = [...unique.values()].sort(compareReports);
  const occurrences = new Map<string, number>();
  const contextRoots = new ContextRoots();
  const findings: Finding[] = [];
  for (const { rule, report, suppression } of sorted) {
    const lines = await sources.get(report.file.absolutePath);
    const construct = sliceRange(lines, report.range) || (lines[report.range.line - 1] ?? '');
    const subject = report.file.kind === 'python' ? subjectOf(report.file.facts, report.range) : '';
    const normalised = report.file.kind === 'python' ? await normalisedPython(construct) : withoutWhitespace(construct);
    const occurrenceKey = `${rule.id}\0${report.file.path}\0${subject}\0${normalised}`;
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
      ...(report.fix ? { fix: report.fix } : {}),
      ...(report.guard ? { guard: report.guard } : {}),
      context: report.context ?? (report.file.kind === 'python' ? contextOfFinding(project, report.file, report.range) : report.file.context),
      fingerprint: fingerprintOf(rule.id, contextRoots.pathFromRoot(report.file.absolutePath), subject, normalised, occurrence),
      suppressed: suppression !== undefined,
      ...(suppression ? { suppression } : {}),
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
