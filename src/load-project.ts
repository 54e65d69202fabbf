import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ContextRoots, ProjectRoots } from './discover/project-root.js';
import { exclusionOf } from './discover/exclusion.js';
import { discoverFiles } from './discover/walk.js';
import type { CheckOptions } from './engine.js';
import type { ScanError } from './finding.js';
import { contextOfPath } from './project/context.js';
import { type ModuleLocation, ModuleNamer } from './project/module-names.js';
import { Project } from './project/project.js';
import type { TemplateFile } from './project/scanned-file.js';
import type { SourceModule } from './project/source-module.js';
import { ModuleSymbols } from './project/symbols.js';
import { Prefilter } from './prefilter.js';
import { createAnalyser, type FileAnalyser } from './analysis/index.js';
import { BINARY_FILE, looksBinary } from './python/source.js';
import { RULES } from './rules/index.js';

export const DEFAULT_MAX_FILE_SIZE_BYTES = 5 * 1024 * 1024;

/**
 * How many imports deep the prefilter's passed-over modules are still read: enough for base
 * classes of base classes, re-exports through a package and imported constants, without reading
 * the whole import graph of a large project.
 */
const IMPORT_DEPTH = 3;

/** Files read ahead while earlier ones are parsed: reading is I/O, parsing is CPU. */
const READ_AHEAD = 32;

/** Files being analysed at once: enough to keep every worker busy, few enough to bound memory. */
const ANALYSES_IN_FLIGHT = 64;

export interface LoadedProject {
  project: Project;
  /** Problems with the scanned files (not with files read only for context). */
  errors: ScanError[];
  /** Files under the given paths. */
  filesSeen: number;
  /** Python files parsed, taken from the cache, and passed over by the prefilter. */
  filesParsed: number;
  filesCached: number;
  filesSkipped: number;
}

/** How far reading and parsing have got: files done out of the files found. */
export type ProgressListener = (done: number, total: number) => void;

/**
 * Discovers and parses the given files, plus the rest of each one's project when its root lies
 * above the given paths: `csrflint check app/views.py` still knows that `extensions.py` protects
 * the app. Rules see every module; findings and errors are kept for the given paths only.
 */
export async function loadProject(options: CheckOptions): Promise<LoadedProject> {
  const cwd = options.cwd ?? process.cwd();
  const displayPath = (absolutePath: string) => path.relative(cwd, absolutePath).split(path.sep).join('/') || '.';
  const targets = options.paths.map((given) => path.resolve(cwd, given));
  const discoverOptions = {
    respectGitignore: options.respectGitignore ?? true,
    isExcluded: exclusionOf({ ...optionalExclusions(options), directory: options.excludeDirectory ?? cwd }),
    ...(options.templateDirectories ? { templateDirectories: options.templateDirectories } : {}),
  };
  const discovery = await discoverFiles(targets, discoverOptions);
  const projectRoots = new ProjectRoots();
  const surroundingRoots = rootsAbove(discovery.files, targets, projectRoots);
  const context = surroundingRoots.length > 0 ? await discoverFiles(surroundingRoots, discoverOptions) : { files: [], templates: [], problems: [] };
  const targetFiles = new Set(discovery.files);
  const contextFiles = context.files.filter((file) => !targetFiles.has(file));
  const errors: ScanError[] = discovery.problems.map((problem) => ({ path: displayPath(problem.absolutePath), message: problem.message }));
  const prefilter = options.prefilter === false ? undefined : new Prefilter(options.rules ?? RULES);
  const analyser = createAnalyser({ ...(options.jobs !== undefined ? { jobs: options.jobs } : {}), ...(options.cacheDirectory !== undefined ? { cacheDirectory: options.cacheDirectory } : {}) });
  const progress = new Progress(discovery.files.length + contextFiles.length, options.onProgress);
  const loader = new ModuleLoader({ projectRoots, displayPath, maxFileSizeBytes: options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE_BYTES, prefilter, analyser, progress });
  let modules: SourceModule[];
  try {
    modules = await loader.loadAll(discovery.files, contextFiles, errors);
  } finally {
    await analyser.close();
  }
  const templates = await loadTemplates(discovery.templates, displayPath, new ContextRoots(), errors);
  return {
    project: new Project(modules, templates),
    errors: errors.sort((a, b) => a.path.localeCompare(b.path) || a.message.localeCompare(b.message)),
    filesSeen: discovery.files.length + discovery.templates.length,
    filesParsed: analyser.counts.parsed,
    filesCached: analyser.counts.cached,
    filesSkipped: loader.filesSkipped,
  };
}

function optionalExclusions(options: CheckOptions): { exclude?: readonly string[]; extendExclude?: readonly string[] } {
  return { ...(options.exclude ? { exclude: options.exclude } : {}), ...(options.extendExclude ? { extendExclude: options.extendExclude } : {}) };
}

/** The project roots of the scanned files that lie above every given path, so their modules give context. */
function rootsAbove(files: readonly string[], targets: readonly string[], projectRoots: ProjectRoots): string[] {
  const roots = new Set<string>();
  for (const file of files) {
    const root = projectRoots.rootOf(path.dirname(file));
    if (root !== undefined && !targets.some((target) => isInside(target, root))) roots.add(root);
  }
  return [...roots];
}

/** Templates are read as text; only those with a `<form` can hold a finding, and those with a macro can render a form's token. */
async function loadTemplates(files: readonly string[], displayPath: (absolutePath: string) => string, contextRoots: ContextRoots, errors: ScanError[]): Promise<TemplateFile[]> {
  const templates: TemplateFile[] = [];
  for (const absolutePath of files) {
    const bytes = await readSource(absolutePath, DEFAULT_MAX_FILE_SIZE_BYTES).catch((error: Error) => error);
    const relativePath = displayPath(absolutePath);
    if (bytes instanceof Error || looksBinary(bytes)) {
      errors.push({ path: relativePath, message: bytes instanceof Error ? bytes.message : BINARY_FILE });
      continue;
    }
    const text = new TextDecoder('utf-8').decode(bytes);
    if (!/<form|\{%[-+]?\s*macro\b/i.test(text)) continue;
    // Test, example and settings folders are judged from the repository root, wherever the scan started.
    const context = contextOfPath(contextRoots.pathFromRoot(absolutePath));
    templates.push({ kind: 'template', path: relativePath, absolutePath, text, context, isTarget: true });
  }
  return templates;
}

interface FileRead {
  absolutePath: string;
  bytes: Uint8Array | Error;
}

function isInside(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(outer + path.sep);
}

/**
 * Reads and parses modules. With a prefilter, a file none of whose bytes match a rule's words is
 * passed over, unless a parsed module imports it: class hierarchies, imported constants and
 * helpers are then complete, whatever words their files hold.
 */
interface LoaderSettings {
  projectRoots: ProjectRoots;
  displayPath: (absolutePath: string) => string;
  maxFileSizeBytes: number;
  prefilter: Prefilter | undefined;
  analyser: FileAnalyser;
  progress: Progress;
}

class ModuleLoader {
  private readonly namer: ModuleNamer;
  private readonly contextRoots = new ContextRoots();
  private readonly locations = new Map<string, ModuleLocation & { key: string }>();
  private readonly namesTaken = new Map<string, number>();
  private readonly filesByModuleName = new Map<string, string[]>();
  /** Files the prefilter passed over, and whether each is a scan target. */
  private readonly passedOver = new Map<string, boolean>();

  constructor(private readonly settings: LoaderSettings) {
    this.namer = new ModuleNamer(settings.projectRoots);
  }

  /** Python files under the given paths that the prefilter passed over and no parsed module imports. */
  get filesSkipped(): number {
    return [...this.passedOver.values()].filter((isTarget) => isTarget).length;
  }

  async loadAll(targets: readonly string[], context: readonly string[], errors: ScanError[]): Promise<SourceModule[]> {
    for (const file of [...targets, ...context]) this.indexFile(file);
    const modules = [...(await this.loadInOrder(this.readAhead(targets), true, errors)), ...(await this.loadInOrder(this.readAhead(context), false, []))];
    for (let pending = modules.slice(), depth = 0; pending.length > 0 && depth < IMPORT_DEPTH; depth++) {
      const imported = await this.loadInOrder(this.readImported(pending), undefined, errors);
      modules.push(...imported);
      pending = imported;
    }
    return modules;
  }

  /**
   * Analyses the files as they are read, several at a time (in worker threads when there are
   * many), and returns their modules in reading order, so that results never depend on timing.
   */
  private async loadInOrder(reads: AsyncIterable<FileRead & { isTarget?: boolean }>, isTarget: boolean | undefined, errors: ScanError[]): Promise<SourceModule[]> {
    const loading: Array<Promise<SourceModule | undefined>> = [];
    let settled = 0;
    for await (const read of reads) {
      const fileIsTarget = read.isTarget ?? isTarget ?? false;
      loading.push(this.loadModule(read, fileIsTarget, fileIsTarget ? errors : [], isTarget !== undefined));
      if (loading.length - settled >= ANALYSES_IN_FLIGHT) await loading[settled++];
    }
    const modules = await Promise.all(loading);
    return modules.filter((module): module is SourceModule => module !== undefined);
  }

  /** The passed-over files the modules import, read now that they turn out to be needed. */
  private async *readImported(modules: readonly SourceModule[]): AsyncGenerator<FileRead & { isTarget: boolean }> {
    for (const file of modules.flatMap((module) => this.passedOverImports(module))) {
      const isTarget = this.passedOver.get(file);
      if (isTarget === undefined) continue;
      this.passedOver.delete(file);
      yield { ...(await this.read(file)), isTarget };
    }
  }

  private indexFile(file: string): void {
    const location = this.namer.locate(file);
    const taken = (this.namesTaken.get(location.name) ?? 0) + 1;
    this.namesTaken.set(location.name, taken);
    this.locations.set(file, { ...location, key: taken === 1 ? location.name : `${location.name}@${taken}` });
    for (const name of [location.name, ...location.aliases]) {
      const files = this.filesByModuleName.get(name);
      if (files) files.push(file);
      else this.filesByModuleName.set(name, [file]);
    }
  }

  /**
   * The passed-over files a module imports from: the module named, and for `from m import n` the
   * submodule `m.n` when there is one. Enclosing packages are not needed to resolve those names.
   */
  private passedOverImports(module: SourceModule): string[] {
    const names = new Set<string>();
    for (const statement of module.facts.imports) {
      const base = statement.kind === 'import' ? statement.module : module.symbols.absoluteModule(statement.module, statement.level);
      if (base === undefined) continue;
      if (base !== '') names.add(base);
      if (statement.kind === 'from') for (const name of statement.names) names.add(base === '' ? name.importedName : `${base}.${name.importedName}`);
    }
    return [...names].flatMap((name) => this.filesByModuleName.get(name) ?? []).filter((file) => this.passedOver.has(file));
  }

  /** Reads files in order, keeping several reads in flight. */
  private async *readAhead(files: readonly string[]): AsyncGenerator<FileRead> {
    const inFlight: Array<Promise<FileRead>> = [];
    let next = 0;
    while (next < files.length || inFlight.length > 0) {
      while (next < files.length && inFlight.length < READ_AHEAD) inFlight.push(this.read(files[next++]!));
      yield await inFlight.shift()!;
    }
  }

  private async read(absolutePath: string): Promise<FileRead> {
    const bytes = await readSource(absolutePath, this.settings.maxFileSizeBytes).catch((error: Error) => error);
    return { absolutePath, bytes };
  }

  private async loadModule(read: FileRead, isTarget: boolean, errors: ScanError[], mayPassOver: boolean): Promise<SourceModule | undefined> {
    try {
      return await this.analyseModule(read, isTarget, errors, mayPassOver);
    } finally {
      if (mayPassOver) this.settings.progress.fileDone();
    }
  }

  private async analyseModule({ absolutePath, bytes }: FileRead, isTarget: boolean, errors: ScanError[], mayPassOver: boolean): Promise<SourceModule | undefined> {
    const relativePath = this.settings.displayPath(absolutePath);
    if (bytes instanceof Error) {
      errors.push({ path: relativePath, message: bytes.message });
      return undefined;
    }
    if (looksBinary(bytes)) {
      errors.push({ path: relativePath, message: BINARY_FILE });
      return undefined;
    }
    if (mayPassOver && this.settings.prefilter && !this.settings.prefilter.matches(bytes)) {
      this.passedOver.set(absolutePath, isTarget);
      return undefined;
    }
    const analysis = await this.settings.analyser.analyse(bytes);
    for (const problem of analysis.problems) errors.push({ path: relativePath, message: problem });
    if (!analysis.ok) return undefined;
    const location = this.locations.get(absolutePath)!;
    return {
      kind: 'python',
      path: relativePath,
      absolutePath,
      ...location,
      facts: analysis.facts,
      symbols: new ModuleSymbols(location, analysis.facts),
      context: contextOfPath(this.contextRoots.pathFromRoot(absolutePath)),
      projectRoot: this.settings.projectRoots.rootOf(path.dirname(absolutePath)) ?? path.dirname(absolutePath),
      isTarget,
    };
  }

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

/** Counts the files found that are done (read, and parsed or passed over), for a progress display. */
class Progress {
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly listener: ProgressListener | undefined,
  ) {}

  fileDone(): void {
    this.done++;
    this.listener?.(this.done, this.total);
  }
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
