import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProjectRoots } from './discover/project-root.js';
import { discoverFiles } from './discover/walk.js';
import type { CheckOptions } from './engine.js';
import type { ScanError } from './finding.js';
import { contextOfPath } from './project/context.js';
import { type ModuleLocation, ModuleNamer } from './project/module-names.js';
import { Project } from './project/project.js';
import type { SourceModule } from './project/source-module.js';
import { ModuleSymbols } from './project/symbols.js';
import { Prefilter } from './prefilter.js';
import { analysePythonSource } from './python/analyse.js';
import { BINARY_FILE, looksBinary } from './python/source.js';
import { RULES } from './rules/index.js';

export const DEFAULT_MAX_FILE_SIZE_BYTES = 5 * 1024 * 1024;

export interface LoadedProject {
  project: Project;
  /** Problems with the scanned files (not with files read only for context). */
  errors: ScanError[];
  /** Files under the given paths. */
  filesSeen: number;
}

/**
 * Discovers and parses the given files, plus the rest of each one's project when its root lies
 * above the given paths: `csrflint check app/views.py` still knows that `extensions.py` protects
 * the app. Rules see every module; findings and errors are kept for the given paths only.
 */
export async function loadProject(options: CheckOptions): Promise<LoadedProject> {
  const cwd = options.cwd ?? process.cwd();
  const displayPath = (absolutePath: string) => path.relative(cwd, absolutePath).split(path.sep).join('/') || '.';
  const respectGitignore = options.respectGitignore ?? true;
  const targets = options.paths.map((given) => path.resolve(cwd, given));
  const discovery = await discoverFiles(targets, { respectGitignore });
  const projectRoots = new ProjectRoots();
  const contextRoots = rootsAbove(discovery.files, targets, projectRoots);
  const context = contextRoots.length > 0 ? await discoverFiles(contextRoots, { respectGitignore }) : { files: [], problems: [] };
  const targetFiles = new Set(discovery.files);
  const contextFiles = context.files.filter((file) => !targetFiles.has(file));
  const errors: ScanError[] = discovery.problems.map((problem) => ({ path: displayPath(problem.absolutePath), message: problem.message }));
  const prefilter = options.prefilter === false ? undefined : new Prefilter(options.rules ?? RULES);
  const loader = new ModuleLoader(projectRoots, displayPath, options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE_BYTES, prefilter);
  const modules = await loader.loadAll(discovery.files, contextFiles, errors);
  return { project: new Project(modules), errors: errors.sort((a, b) => a.path.localeCompare(b.path)), filesSeen: discovery.files.length };
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

/** `a`, `a.b`, `a.b.c` for `a.b.c`. */
function dottedPrefixes(name: string): string[] {
  const parts = name.split('.');
  return parts.map((_, index) => parts.slice(0, index + 1).join('.')).filter((prefix) => prefix !== '');
}

function isInside(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(outer + path.sep);
}

/**
 * Reads and parses modules. With a prefilter, a file none of whose bytes match a rule's words is
 * passed over, unless a parsed module imports it: class hierarchies, imported constants and
 * helpers are then complete, whatever words their files hold.
 */
class ModuleLoader {
  private readonly namer: ModuleNamer;
  private readonly locations = new Map<string, ModuleLocation & { key: string }>();
  private readonly namesTaken = new Map<string, number>();
  private readonly filesByModuleName = new Map<string, string[]>();
  /** Files the prefilter passed over, and whether each is a scan target. */
  private readonly passedOver = new Map<string, boolean>();

  constructor(
    private readonly projectRoots: ProjectRoots,
    private readonly displayPath: (absolutePath: string) => string,
    private readonly maxFileSizeBytes: number,
    private readonly prefilter: Prefilter | undefined,
  ) {
    this.namer = new ModuleNamer(projectRoots);
  }

  async loadAll(targets: readonly string[], context: readonly string[], errors: ScanError[]): Promise<SourceModule[]> {
    for (const file of [...targets, ...context]) this.indexFile(file);
    const modules: SourceModule[] = [];
    for (const file of targets) await this.loadInto(modules, file, true, errors, true);
    for (const file of context) await this.loadInto(modules, file, false, [], true);
    for (let pending = modules.slice(); pending.length > 0; ) {
      const imported: SourceModule[] = [];
      for (const file of pending.flatMap((module) => this.passedOverImports(module))) {
        const isTarget = this.passedOver.get(file);
        if (isTarget === undefined) continue;
        this.passedOver.delete(file);
        await this.loadInto(imported, file, isTarget, isTarget ? errors : [], false);
      }
      modules.push(...imported);
      pending = imported;
    }
    return modules;
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

  /** The passed-over files a module imports from: its modules, their packages, and submodules named in `from` imports. */
  private passedOverImports(module: SourceModule): string[] {
    const names = new Set<string>();
    for (const statement of module.facts.imports) {
      const base = statement.kind === 'import' ? statement.module : module.symbols.absoluteModule(statement.module, statement.level);
      if (base === undefined) continue;
      for (const prefix of dottedPrefixes(base)) names.add(prefix);
      if (statement.kind === 'from') for (const name of statement.names) names.add(base === '' ? name.importedName : `${base}.${name.importedName}`);
    }
    return [...names].flatMap((name) => this.filesByModuleName.get(name) ?? []).filter((file) => this.passedOver.has(file));
  }

  private async loadInto(modules: SourceModule[], absolutePath: string, isTarget: boolean, errors: ScanError[], mayPassOver: boolean): Promise<void> {
    const module = await this.loadModule(absolutePath, isTarget, errors, mayPassOver);
    if (module) modules.push(module);
  }

  private async loadModule(absolutePath: string, isTarget: boolean, errors: ScanError[], mayPassOver: boolean): Promise<SourceModule | undefined> {
    const relativePath = this.displayPath(absolutePath);
    const bytes = await readSource(absolutePath, this.maxFileSizeBytes).catch((error: Error) => error);
    if (bytes instanceof Error) {
      errors.push({ path: relativePath, message: bytes.message });
      return undefined;
    }
    if (looksBinary(bytes)) {
      errors.push({ path: relativePath, message: BINARY_FILE });
      return undefined;
    }
    if (mayPassOver && this.prefilter && !this.prefilter.matches(bytes)) {
      this.passedOver.set(absolutePath, isTarget);
      return undefined;
    }
    const analysis = await analysePythonSource(bytes);
    for (const problem of analysis.problems) errors.push({ path: relativePath, message: problem });
    if (!analysis.ok) return undefined;
    const location = this.locations.get(absolutePath)!;
    return {
      path: relativePath,
      absolutePath,
      ...location,
      facts: analysis.facts,
      symbols: new ModuleSymbols(location, analysis.facts),
      context: contextOfPath(this.pathInProject(absolutePath)),
      isTarget,
    };
  }

  /** Test and settings folders are judged from the project root, wherever the scan was started. */
  private pathInProject(absolutePath: string): string {
    const root = this.projectRoots.rootOf(path.dirname(absolutePath)) ?? path.dirname(absolutePath);
    return path.relative(root, absolutePath).split(path.sep).join('/');
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

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
