import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProjectRoots } from './discover/project-root.js';
import { discoverFiles } from './discover/walk.js';
import type { CheckOptions } from './engine.js';
import type { ScanError } from './finding.js';
import { contextOfPath } from './project/context.js';
import { ModuleNamer } from './project/module-names.js';
import { Project } from './project/project.js';
import type { SourceModule } from './project/source-module.js';
import { ModuleSymbols } from './project/symbols.js';
import { analysePythonSource } from './python/analyse.js';

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
  const loader = new ModuleLoader(projectRoots, displayPath, options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE_BYTES);
  const modules = [...(await loader.load(discovery.files, true, errors)), ...(await loader.load(contextFiles, false, []))];
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

function isInside(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(outer + path.sep);
}

class ModuleLoader {
  private readonly namer: ModuleNamer;

  constructor(
    private readonly projectRoots: ProjectRoots,
    private readonly displayPath: (absolutePath: string) => string,
    private readonly maxFileSizeBytes: number,
  ) {
    this.namer = new ModuleNamer(projectRoots);
  }

  async load(files: readonly string[], isTarget: boolean, errors: ScanError[]): Promise<SourceModule[]> {
    const modules: SourceModule[] = [];
    for (const absolutePath of files) {
      const module = await this.loadModule(absolutePath, isTarget, errors);
      if (module) modules.push(module);
    }
    return modules;
  }

  private async loadModule(absolutePath: string, isTarget: boolean, errors: ScanError[]): Promise<SourceModule | undefined> {
    const relativePath = this.displayPath(absolutePath);
    const bytes = await readSource(absolutePath, this.maxFileSizeBytes).catch((error: Error) => error);
    if (bytes instanceof Error) {
      errors.push({ path: relativePath, message: bytes.message });
      return undefined;
    }
    const analysis = await analysePythonSource(bytes);
    for (const problem of analysis.problems) errors.push({ path: relativePath, message: problem });
    if (!analysis.ok) return undefined;
    const location = this.namer.locate(absolutePath);
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
