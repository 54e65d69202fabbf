import { type Dirent, existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TEMPLATE_DIRECTORIES, type FileKind, fileKind } from './file-kinds.js';
import { GitignoreRules } from './gitignore.js';
import { readSettingsFile } from './guarded-files.js';
import { isSameOrInside } from './path-inside.js';
import { ContextRoots, ProjectRoots } from './project-root.js';

/** Directories no one wants scanned: tooling caches, virtual environments, dependencies, build output. */
const SKIPPED_DIRECTORIES = new Set([
  '.bzr', '.csrflint_cache', '.direnv', '.eggs', '.git', '.hg', '.ipynb_checkpoints', '.mypy_cache', '.nox',
  '.pants.d', '.pyenv', '.pytest_cache', '.pytype', '.ruff_cache', '.svn', '.tox', '.venv', '.vscode',
  '__pycache__', '__pypackages__', '_build', 'buck-out', 'build', 'dist', 'node_modules', 'site-packages', 'venv',
]);

interface DiscoverOptions {
  respectGitignore: boolean;
  /** Folder names whose HTML files are templates (see `fileKind`). */
  templateDirectories?: readonly string[];
  /** Decides, besides `.gitignore`, which files and folders are not scanned (default: `defaultExclusion`). */
  isExcluded?: (absolutePath: string, isDirectory: boolean) => boolean;
}

/**
 * Skipped names a Python import can spell (`from shop.build import views`): a repository could
 * otherwise hide its own package from the scan by its folder's name.
 */
const IMPORTABLE_SKIPPED_NAMES = new Set(['_build', 'build', 'dist', 'node_modules', 'venv']);

/**
 * Folders no one wants scanned, by name; but one of `IMPORTABLE_SKIPPED_NAMES` that is a Python
 * package (it holds an `__init__.py`) is application code, walked. Tool output never is one
 * (`build/lib/...`, `venv/lib/...`, `dist/*.whl`), while a package root's `venv` beside an
 * `__init__.py` is still a virtual environment, so the folder's own file decides, not its parent's.
 */
export function defaultExclusion(absolutePath: string, isDirectory: boolean): boolean {
  if (!isDirectory) return false;
  const name = path.basename(absolutePath);
  if (!SKIPPED_DIRECTORIES.has(name)) return false;
  return !IMPORTABLE_SKIPPED_NAMES.has(name) || !existsSync(path.join(absolutePath, '__init__.py'));
}

interface DiscoveryProblem {
  absolutePath: string;
  message: string;
}

interface Discovery {
  /** Absolute paths of the Python files to scan, sorted. */
  files: string[];
  /** Absolute paths of the Django and Jinja templates to scan, sorted. */
  templates: string[];
  /** Absolute paths of the project's scripts (JavaScript, TypeScript), sorted. */
  scripts: string[];
  problems: DiscoveryProblem[];
  /** Python files, templates and folders left out by `isExcluded` beyond the default skipped folders, and by `.gitignore` files. */
  excluded: number;
  ignored: number;
}

export class MissingPathError extends Error {}

/** A `.gitignore` and the directory its patterns are relative to. */
interface IgnoreFile {
  directory: string;
  rules: GitignoreRules;
}

export async function discoverFiles(paths: readonly string[], options: DiscoverOptions): Promise<Discovery> {
  const walker = new Walker(options);
  for (const given of paths) await walker.walkGivenPath(path.resolve(given));
  await walker.walkDeferredLinks();
  return { files: [...walker.files].sort(), templates: [...walker.templates].sort(), scripts: [...walker.scripts].sort(), problems: walker.problems, excluded: walker.excluded, ignored: walker.ignored };
}

/** A FIFO, socket or device named like a source file: reading it could block or never end. */
const NOT_A_REGULAR_FILE = 'not a regular file (a FIFO, socket or device); skipped';

/** A symlink inside the scanned directory, walked after every real file and directory. */
interface DeferredLink {
  linkPath: string;
  target: string;
  kind: 'directory' | 'file';
  root: string;
  ignoreFiles: IgnoreFile[];
}

class Walker {
  readonly files = new Set<string>();
  readonly templates = new Set<string>();
  readonly scripts = new Set<string>();
  readonly problems: DiscoveryProblem[] = [];
  excluded = 0;
  ignored = 0;
  /** Real paths of the directories entered, so a symlink cycle is walked once. */
  private readonly visitedDirectories = new Set<string>();
  /** Real paths of the files found, so a file reached through a link is read once, under its own path. */
  private readonly realFiles = new Set<string>();
  /** Links wait until the real tree is walked, so that findings land on real paths, not on aliases. */
  private readonly deferredLinks: DeferredLink[] = [];

  private readonly templateDirectories: readonly string[];
  private readonly projectRoots = new ProjectRoots();
  /** The directories given to the scan. */
  private readonly scanRoots: string[] = [];

  constructor(private readonly options: DiscoverOptions) {
    this.templateDirectories = options.templateDirectories ?? DEFAULT_TEMPLATE_DIRECTORIES;
  }

  private isExcluded(entryPath: string, isDirectory: boolean): boolean {
    return (this.options.isExcluded ?? defaultExclusion)(entryPath, isDirectory);
  }

  private kindOf(filePath: string, given = false): FileKind | undefined {
    return fileKind(filePath, this.templateDirectories, given, () => this.projectDirectoryOf(filePath));
  }

  /** Where a file's template folders are looked for from: its project's root, or the scanned directory around it. */
  private projectDirectoryOf(filePath: string): string {
    const directory = path.dirname(filePath);
    return this.projectRoots.projectOf(directory, this.scanRoots);
  }

  async walkGivenPath(absolutePath: string): Promise<void> {
    const info = attempt(() => statSync(absolutePath));
    if (!info) throw new MissingPathError(`${absolutePath}: no such file or directory`);
    if (!info.isDirectory()) {
      const outside = linkOutOfItsTree(absolutePath);
      if (outside !== undefined) {
        this.problems.push({ absolutePath, message: `symlink to ${outside}, outside its repository; not followed` });
        return;
      }
      if (!info.isFile()) {
        this.problems.push({ absolutePath, message: NOT_A_REGULAR_FILE });
        return;
      }
      const kind = this.kindOf(absolutePath, true);
      if (kind) this.addFile(absolutePath, absolutePath, kind);
      return;
    }
    this.scanRoots.push(absolutePath);
    const root = realpathSync.native(absolutePath);
    const ignoreFiles = this.options.respectGitignore ? await ancestorIgnoreFiles(absolutePath) : [];
    await this.walkDirectory(absolutePath, root, ignoreFiles);
  }

  /** Links whose target was reached through the real tree are aliases and add nothing. */
  async walkDeferredLinks(): Promise<void> {
    for (let link = this.deferredLinks.shift(); link; link = this.deferredLinks.shift()) {
      if (link.kind === 'file') {
        const kind = this.kindOf(link.linkPath);
        if (kind && !this.realFiles.has(link.target)) this.addFile(link.linkPath, link.target, kind);
      } else if (isSameOrInside(link.target, link.linkPath)) {
        this.problems.push({ absolutePath: link.linkPath, message: 'symlink loop; skipped' });
      } else if (!this.visitedDirectories.has(link.target)) {
        await this.walkDirectory(link.linkPath, link.root, link.ignoreFiles);
      }
    }
  }

  private addFile(filePath: string, realFilePath: string, kind: FileKind): void {
    ({ python: this.files, template: this.templates, script: this.scripts })[kind].add(filePath);
    this.realFiles.add(realFilePath);
  }

  /** `realDirectory` is known when the walk enters a real subfolder of a folder whose real path it knows. */
  private async walkDirectory(directory: string, root: string, ignoreFiles: IgnoreFile[], knownRealDirectory?: string): Promise<void> {
    const realDirectory = knownRealDirectory ?? attempt(() => realpathSync.native(directory)) ?? directory;
    if (this.visitedDirectories.has(realDirectory)) return;
    this.visitedDirectories.add(realDirectory);
    let entries: Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      this.problems.push({ absolutePath: directory, message: `cannot read directory (${(error as NodeJS.ErrnoException).code ?? String(error)}); skipped` });
      entries = [];
    }
    const hasIgnoreFile = entries.some((entry) => entry.name === '.gitignore');
    const localIgnore = this.options.respectGitignore && hasIgnoreFile ? await readIgnoreFile(directory) : undefined;
    const activeIgnores = localIgnore ? [...ignoreFiles, localIgnore] : ignoreFiles;
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) await this.walkEntry(directory, realDirectory, entry, root, activeIgnores);
  }

  private async walkEntry(directory: string, realDirectory: string, entry: Dirent, root: string, ignoreFiles: IgnoreFile[]): Promise<void> {
    const entryPath = path.join(directory, entry.name);
    const isDirectory = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      await this.deferLink(entryPath, root, ignoreFiles);
    } else if (isDirectory && this.isKept(entryPath, true, ignoreFiles)) {
      await this.walkDirectory(entryPath, root, ignoreFiles, path.join(realDirectory, entry.name));
    } else if (!isDirectory) {
      const kind = this.kindOf(entryPath);
      if (!kind || !this.isKept(entryPath, false, ignoreFiles)) return;
      if (entry.isFile()) this.addFile(entryPath, entryPath, kind);
      else this.problems.push({ absolutePath: entryPath, message: NOT_A_REGULAR_FILE });
    }
  }

  /** Not excluded and not ignored; what a repository's own settings leave out is counted, for the summary. */
  private isKept(entryPath: string, isDirectory: boolean, ignoreFiles: IgnoreFile[]): boolean {
    if (this.isExcluded(entryPath, isDirectory)) {
      if (!defaultExclusion(entryPath, isDirectory)) this.excluded++;
      return false;
    }
    if (isIgnored(entryPath, isDirectory, ignoreFiles)) {
      this.ignored++;
      return false;
    }
    return true;
  }

  /** Symlinks are followed only when they stay inside the scanned root, and after the real tree. */
  private async deferLink(linkPath: string, root: string, ignoreFiles: IgnoreFile[]): Promise<void> {
    if (this.isExcluded(linkPath, true)) return;
    const target = attempt(() => realpathSync.native(linkPath));
    if (target === undefined) {
      if (await isSymlinkLoop(linkPath)) this.problems.push({ absolutePath: linkPath, message: 'symlink loop; skipped' });
      else if (isPythonFile(linkPath)) this.problems.push({ absolutePath: linkPath, message: 'broken symlink; skipped' });
      return;
    }
    const info = attempt(() => statSync(target));
    const kind = info?.isDirectory() ? 'directory' : this.kindOf(linkPath) ? 'file' : undefined;
    if (!kind || isIgnored(linkPath, kind === 'directory', ignoreFiles)) return;
    if (!isSameOrInside(root, target)) {
      this.problems.push({ absolutePath: linkPath, message: `symlink to ${target}, outside the scanned directory; not followed` });
      return;
    }
    // A link to a FIFO or device named `*.py` is said out loud, as the real tree's are.
    if (kind === 'file' && !info?.isFile()) {
      this.problems.push({ absolutePath: linkPath, message: NOT_A_REGULAR_FILE });
      return;
    }
    this.deferredLinks.push({ linkPath, target, kind, root, ignoreFiles });
  }
}

/**
 * Where a file named on the command line leads, when it is reached through a link out of the
 * repository it sits in (or out of the folder holding the link, outside any repository): a hook
 * passing a committed `views.py -> ~/.ssh/config`, or `cfg/app.py` with `cfg -> ~/.ssh`, must not
 * have csrflint read it. The repository is the one holding the innermost link, so a link above it
 * (`/tmp -> /private/tmp`) changes nothing.
 */
function linkOutOfItsTree(filePath: string): string | undefined {
  const link = innermostLink(filePath);
  if (link === undefined) return undefined;
  const holder = path.dirname(link);
  const tree = new ContextRoots().repositoryOf(holder) ?? holder;
  const target = realpathSync.native(filePath);
  return isSameOrInside(attempt(() => realpathSync.native(tree)) ?? tree, target) ? undefined : target;
}

/** The last part of the path, the file itself included, that is a symbolic link. */
function innermostLink(filePath: string): string | undefined {
  for (let current = filePath; path.dirname(current) !== current; current = path.dirname(current)) {
    if (attempt(() => lstatSync(current))?.isSymbolicLink()) return current;
  }
  return undefined;
}

/** `realpath` fails for broken links and for links that lead back to themselves; only the second is worth a word. */
async function isSymlinkLoop(linkPath: string): Promise<boolean> {
  try {
    realpathSync.native(linkPath);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ELOOP';
  }
}

/** Whether `inner` is `outer` or lies below it. */
function isPythonFile(filePath: string): boolean {
  return filePath.endsWith('.py');
}

function isIgnored(entryPath: string, isDirectory: boolean, ignoreFiles: IgnoreFile[]): boolean {
  return ignoreFiles.some(({ directory, rules }) => {
    const relative = relativeBelow(directory, entryPath);
    return relative !== undefined && rules.ignores(relative, isDirectory);
  });
}

/**
 * `entryPath` relative to `directory`, with `/` between names, when it lies below it. The walk
 * builds entry paths by joining names to the directory's, so the directory is a prefix of them.
 */
function relativeBelow(directory: string, entryPath: string): string | undefined {
  const prefix = directory.endsWith(path.sep) ? directory : directory + path.sep;
  if (entryPath.length <= prefix.length || !entryPath.startsWith(prefix)) return undefined;
  const relative = entryPath.slice(prefix.length);
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

/** A `.gitignore` that cannot be read safely (a link out of the repository, `/dev/zero`) ignores nothing. */
async function readIgnoreFile(directory: string): Promise<IgnoreFile | undefined> {
  const text = attempt(() => readSettingsFile(path.join(directory, '.gitignore'), () => new ContextRoots().repositoryOf(directory) ?? directory));
  return text === undefined ? undefined : { directory, rules: new GitignoreRules(text) };
}

/**
 * The `.gitignore` files above a scanned directory, up to the root of its git repository; none
 * when the directory is not inside one (or is the repository root, whose file is read on the walk).
 */
async function ancestorIgnoreFiles(directory: string): Promise<IgnoreFile[]> {
  const found: IgnoreFile[] = [];
  if (existsSync(path.join(directory, '.git'))) return found;
  for (let current = path.dirname(directory); ; current = path.dirname(current)) {
    const file = await readIgnoreFile(current);
    if (file) found.unshift(file);
    if (existsSync(path.join(current, '.git'))) return found;
    if (path.dirname(current) === current) return [];
  }
}

/**
 * A file system call that may fail, as `undefined`. The walk uses synchronous calls: on a source
 * tree they cost a system call each, where a promise per directory entry waits on libuv's pool.
 */
function attempt<T>(call: () => T): T | undefined {
  try {
    return call();
  } catch {
    return undefined;
  }
}
