import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FileOutcomeMemo } from '../analysis/outcome-memo.js';
import { scanOptions } from '../cli/scan-options.js';
import { isSameOrInside } from '../discover/path-inside.js';
import type { CheckOptions } from '../engine.js';
import type { CheckResult, Finding } from '../finding.js';
import { DEFAULT_MAX_FILE_SIZE_BYTES } from '../load-project.js';
import { Prefilter } from '../prefilter.js';
import { WarmProject } from '../warm-project.js';
import type { Project } from '../project/project.js';
import type { SourceRange } from '../python/facts.js';
import { declaresOtherEncoding, looksBinary } from '../python/source.js';
import { RULES } from '../rules/index.js';

/** Runs the engine (`checkProject`, or a stand-in in tests): the findings and the project model they were made from. */
export type Analyse = (options: CheckOptions) => Promise<{ result: CheckResult; project: Project }>;

/** An open document's text, read instead of the file, and its version (to tell whether findings still match it). */
export interface OpenText {
  text: string;
  version: number;
}

/** Why csrflint could not read all of a file (a syntax error, an undecodable file), and where. */
export interface FileProblem {
  message: string;
  range: SourceRange;
}

/** What an editor is told of one file, and the version of the open text it was made from (`undefined`: the file on disk). */
export interface FileReport {
  findings: readonly Finding[];
  problems: readonly FileProblem[];
  version: number | undefined;
}

export interface SessionListener {
  /** The open documents' unsaved text, by absolute path. */
  openTexts(): ReadonlyMap<string, OpenText>;
  /** A file's report changed (an empty one clears it), or an open file is to be shown its report again. */
  publish(absolutePath: string, report: FileReport): void;
  log(message: string): void;
}

/** What the latest analysis read, to tell which later changes cannot alter its findings. */
interface Analysis {
  project: Project;
  startedAt: number;
  /** The unsaved texts it read instead of the files. */
  overlays: ReadonlyMap<string, string>;
  /** Files it parsed into the project model, and files it reported a problem with. */
  modules: ReadonlySet<string>;
  problemFiles: ReadonlySet<string>;
}

/** A file changed, or something whose effect cannot be told (a configuration file, a file created or deleted). */
export type Change = string | 'anything';

/**
 * A file on disk older than this before an analysis started was read by it as it is now, even on
 * a file system that keeps modification times to the second.
 */
const MODIFICATION_TIME_SLACK_MS = 2_000;

/** Every rule's words, opt-in rules' too: a file without any of them is passed over by every configuration. */
const ANY_RULE_WORD = Prefilter.forRules(RULES);

/**
 * One workspace root: its latest findings, and the analyses that refresh them. Analyses run one at a
 * time; changes that arrive meanwhile are gathered into the next. Each reads the configuration again
 * (an edited `pyproject.toml` applies at once) and the open documents' unsaved text as overlays.
 * Unchanged files are remembered from the previous analysis, or come from the fact cache; changes
 * that cannot alter any finding (the text analysed is back, a file the prefilter passes over) are
 * not analysed at all.
 */
export class ProjectSession {
  private reports = new Map<string, FileReport>();
  private analysis: Analysis | undefined;
  private pending = new Set<string>();
  private pendingAnything = false;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private rerun = false;
  /** Unchanged files are not read or parsed again from one analysis to the next. */
  private readonly outcomeMemo = new FileOutcomeMemo();
  /** Nor is the project model built again when some modules' text is all that changed. */
  private readonly warmProject: WarmProject;

  /** `filesWatched`: the client tells of files created or deleted, so the files found need not be looked for again each time. */
  constructor(
    readonly root: string,
    private readonly analyse: Analyse,
    private readonly listener: SessionListener,
    filesWatched = false,
  ) {
    this.warmProject = new WarmProject(filesWatched);
  }

  /** Notes a change, and analyses after `delayMs` of quiet: typing restarts the wait. */
  changed(change: Change, delayMs: number): void {
    if (change === 'anything') this.pendingAnything = true;
    else this.pending.add(change);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.start();
    }, delayMs);
  }

  reportOf(absolutePath: string): FileReport | undefined {
    return this.reports.get(absolutePath);
  }

  /** The project model the reports were made from. */
  get project(): Project | undefined {
    return this.analysis?.project;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async start(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    try {
      await this.analyseChanges();
    } finally {
      this.running = false;
    }
    if (this.rerun) {
      this.rerun = false;
      await this.start();
    }
  }

  private async analyseChanges(): Promise<void> {
    const changes = this.pendingAnything ? 'anything' : [...this.pending];
    this.pending = new Set();
    this.pendingAnything = false;
    const open = new Map([...this.listener.openTexts()].filter(([file]) => isSameOrInside(this.root, file)));
    if (changes !== 'anything' && changes.every((file) => this.cannotAlterFindings(file, open))) {
      this.showAgain(changes, open);
      return;
    }
    if (!(await this.analyseOnce(open, changes))) this.pendingAnything = true;
  }

  /**
   * The file's text is the one the latest analysis read, or it is a Python file that analysis did
   * not parse and whose text still holds no rule's word: the prefilter passes it over again, and no
   * module imports it (else it would have been parsed), so the project model is the same.
   */
  private cannotAlterFindings(file: string, open: ReadonlyMap<string, OpenText>): boolean {
    const analysis = this.analysis;
    const text = open.get(file)?.text ?? readTextOrUndefined(file);
    if (!analysis || text === undefined) return false;
    if (text === this.analysedTextOf(file, analysis)) return true;
    const isPython = file.endsWith('.py') || file.endsWith('.pyi');
    return isPython && !analysis.modules.has(file) && !analysis.problemFiles.has(file) && isPassedOver(text);
  }

  private analysedTextOf(file: string, analysis: Analysis): string | undefined {
    const overlay = analysis.overlays.get(file);
    if (overlay !== undefined) return overlay;
    try {
      return statSync(file).mtimeMs < analysis.startedAt - MODIFICATION_TIME_SLACK_MS ? readFileSync(file, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  }

  /** Unchanged findings now hold for the open texts' new versions; an editor that opened the file is shown them. */
  private showAgain(files: readonly string[], open: ReadonlyMap<string, OpenText>): void {
    for (const file of files) {
      const report = this.reports.get(file) ?? { findings: [], problems: [], version: undefined };
      const current = { ...report, version: open.get(file)?.version };
      if (current.findings.length > 0 || current.problems.length > 0) this.reports.set(file, current);
      if (open.has(file)) this.listener.publish(file, current);
    }
  }

  /** A crash is logged and the previous findings stay: one bad file never takes the server down. */
  private async analyseOnce(open: ReadonlyMap<string, OpenText>, changes: readonly string[] | 'anything'): Promise<boolean> {
    const overlays = new Map([...open].map(([file, { text }]) => [file, text]));
    const startedAt = Date.now();
    let checked: Awaited<ReturnType<Analyse>>;
    try {
      const { options } = scanOptions({ paths: ['.'], isolated: false, settings: {}, maxFileSizeBytes: DEFAULT_MAX_FILE_SIZE_BYTES }, this.root);
      if (changes === 'anything') this.warmProject.invalidate();
      checked = await this.analyse({ ...options, outcomeMemo: this.outcomeMemo, warmProject: this.warmProject, overlays });
    } catch (error) {
      this.listener.log(`csrflint: analysing ${this.root} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return false;
    }
    const { result, project } = checked;
    const problems = problemsByFile(result, project, this.root);
    this.analysis = { project, startedAt, overlays, modules: new Set(project.modules.map((module) => module.absolutePath)), problemFiles: new Set(problems.keys()) };
    const touched = changes === 'anything' ? [...open.keys()] : changes.filter((file) => open.has(file));
    this.replaceReports(result.findings.filter((finding) => !finding.suppressed), problems, open, new Set(touched));
    return true;
  }

  /** Publishes every file whose report changed, including those left with nothing, and the open files the change touched. */
  private replaceReports(found: readonly Finding[], problems: ReadonlyMap<string, FileProblem[]>, open: ReadonlyMap<string, OpenText>, touched: ReadonlySet<string>): void {
    const findings = groupBy(found, (finding) => path.resolve(this.root, finding.path));
    const previous = this.reports;
    this.reports = new Map();
    for (const file of new Set([...findings.keys(), ...problems.keys()])) {
      this.reports.set(file, { findings: findings.get(file) ?? [], problems: problems.get(file) ?? [], version: open.get(file)?.version });
    }
    for (const file of new Set([...previous.keys(), ...this.reports.keys(), ...touched])) {
      const before = previous.get(file);
      const after = this.reports.get(file) ?? { findings: [], problems: [], version: open.get(file)?.version };
      if (!before || touched.has(file) || JSON.stringify([before.findings, before.problems]) !== JSON.stringify([after.findings, after.problems])) this.listener.publish(file, after);
    }
  }
}

/**
 * The files csrflint could not read all of, each with one problem: a syntax error at the first
 * place the parser stopped (the rest of the file was still analysed), else the file's first line.
 */
function problemsByFile(result: CheckResult, project: Project, root: string): Map<string, FileProblem[]> {
  const messages = groupBy(result.errors, (error) => path.resolve(root, error.path));
  const problems = new Map<string, FileProblem[]>();
  for (const [file, errors] of messages) {
    const syntaxProblem = project.modules.find((module) => module.absolutePath === file)?.facts.syntaxProblems[0];
    const range = syntaxProblem?.range ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
    problems.set(file, [{ message: errors.map((error) => error.message).join('; '), range }]);
  }
  return problems;
}

function isPassedOver(text: string): boolean {
  const bytes = Buffer.from(text, 'utf8');
  return !looksBinary(bytes) && !declaresOtherEncoding(bytes) && !ANY_RULE_WORD.matches(bytes);
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function readTextOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
