import path from 'node:path';
import { DEFAULT_MAX_FILE_SIZE_BYTES } from '../load-project.js';
import type { CheckOptions } from '../engine.js';
import type { CheckResult, Finding } from '../finding.js';
import { scanOptions } from '../cli/scan-options.js';
import { FileOutcomeMemo } from '../analysis/outcome-memo.js';
import { isSameOrInside } from '../discover/path-inside.js';

/** Runs the engine: `check`, or a stand-in in tests. */
export type Analyse = (options: CheckOptions) => Promise<CheckResult>;

/** An open document's text, read instead of the file, and its version (to tell whether findings still match it). */
export interface OpenText {
  text: string;
  version: number;
}

export interface SessionListener {
  /** The open documents' unsaved text, by absolute path. */
  openTexts(): ReadonlyMap<string, OpenText>;
  /** A file's findings changed (an empty list clears them). */
  publish(absolutePath: string, findings: readonly Finding[]): void;
  log(message: string): void;
}

/** A file's findings, and the version of the open text they were made from (`undefined`: the file on disk). */
export interface FileFindings {
  findings: readonly Finding[];
  version: number | undefined;
}

/**
 * One workspace root: its latest findings, and the analyses that refresh them. Analyses run one at a
 * time; edits that arrive meanwhile are gathered into the next. Each reads the configuration again
 * (an edited `pyproject.toml` applies at once) and the open documents' unsaved text as overlays.
 * The project's unchanged files are remembered from the previous analysis, or come from the fact cache.
 */
export class ProjectSession {
  private findings = new Map<string, FileFindings>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  /** Unchanged files are not read or parsed again from one analysis to the next. */
  private readonly outcomeMemo = new FileOutcomeMemo();

  constructor(
    readonly root: string,
    private readonly analyse: Analyse,
    private readonly listener: SessionListener,
  ) {}

  /** Analyses after `delayMs` of quiet: typing restarts the wait. */
  schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.start();
    }, delayMs);
  }

  findingsOf(absolutePath: string): FileFindings | undefined {
    return this.findings.get(absolutePath);
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
    this.running = this.analyseOnce();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
    if (this.rerun) {
      this.rerun = false;
      await this.start();
    }
  }

  /** A crash is logged and the previous findings stay: one bad file never takes the server down. */
  private async analyseOnce(): Promise<void> {
    const open = new Map([...this.listener.openTexts()].filter(([file]) => isSameOrInside(this.root, file)));
    let result: CheckResult;
    try {
      const { options } = scanOptions({ paths: ['.'], isolated: false, settings: {}, maxFileSizeBytes: DEFAULT_MAX_FILE_SIZE_BYTES }, this.root);
      result = await this.analyse({ ...options, outcomeMemo: this.outcomeMemo, overlays: new Map([...open].map(([file, { text }]) => [file, text])) });
    } catch (error) {
      this.listener.log(`csrflint: analysing ${this.root} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return;
    }
    for (const problem of result.errors) this.listener.log(`csrflint: ${problem.path}: ${problem.message}`);
    this.replaceFindings(result.findings.filter((finding) => !finding.suppressed), open);
  }

  /** Publishes every file whose findings changed, including those that have none left. */
  private replaceFindings(found: readonly Finding[], open: ReadonlyMap<string, OpenText>): void {
    const byFile = new Map<string, Finding[]>();
    for (const finding of found) {
      const file = path.resolve(this.root, finding.path);
      const list = byFile.get(file);
      if (list) list.push(finding);
      else byFile.set(file, [finding]);
    }
    const previous = this.findings;
    this.findings = new Map([...byFile].map(([file, findings]) => [file, { findings, version: open.get(file)?.version }]));
    for (const file of new Set([...previous.keys(), ...byFile.keys()])) {
      const before = previous.get(file)?.findings ?? [];
      const after = byFile.get(file) ?? [];
      if (JSON.stringify(before) !== JSON.stringify(after)) this.listener.publish(file, after);
    }
  }
}
