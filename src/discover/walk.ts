import { existsSync, type Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Directories no one wants scanned: tooling caches, virtual environments, dependencies, build output. */
const SKIPPED_DIRECTORIES = new Set([
  '.bzr', '.csrflint_cache', '.direnv', '.eggs', '.git', '.hg', '.ipynb_checkpoints', '.mypy_cache', '.nox',
  '.pants.d', '.pyenv', '.pytest_cache', '.pytype', '.ruff_cache', '.svn', '.tox', '.venv', '.vscode',
  '__pycache__', '__pypackages__', '_build', 'buck-out', 'build', 'dist', 'node_modules', 'site-packages', 'venv',
]);

export interface DiscoverOptions {
  respectGitignore: boolean;
}

export interface DiscoveryProblem {
  absolutePath: string;
  message: string;
}

export interface Discovery {
  /** Absolute paths of the Python files to scan, sorted. */
  files: string[];
  problems: DiscoveryProblem[];
}

export class MissingPathError extends Error {}

/** A `.gitignore` and the directory its patterns are relative to. */
interface IgnoreFile {
  directory: string;
  rules: Ignore;
}

export async function discoverFiles(paths: readonly string[], options: DiscoverOptions): Promise<Discovery> {
  const walker = new Walker(options);
  for (const given of paths) await walker.walkGivenPath(path.resolve(given));
  return { files: [...walker.files].sort(), problems: walker.problems };
}

class Walker {
  readonly files = new Set<string>();
  readonly problems: DiscoveryProblem[] = [];
  /** Real paths of the directories entered, so a symlink cycle is walked once. */
  private readonly visitedDirectories = new Set<string>();

  constructor(private readonly options: DiscoverOptions) {}

  async walkGivenPath(absolutePath: string): Promise<void> {
    const info = await stat(absolutePath).catch(() => undefined);
    if (!info) throw new MissingPathError(`${absolutePath}: no such file or directory`);
    if (info.isFile()) {
      if (isPythonFile(absolutePath)) this.files.add(absolutePath);
      return;
    }
    const root = await realpath(absolutePath);
    const ignoreFiles = this.options.respectGitignore ? await ancestorIgnoreFiles(absolutePath) : [];
    await this.walkDirectory(absolutePath, root, ignoreFiles);
  }

  private async walkDirectory(directory: string, root: string, ignoreFiles: IgnoreFile[]): Promise<void> {
    const realDirectory = await realpath(directory).catch(() => directory);
    if (this.visitedDirectories.has(realDirectory)) {
      const message = isInside(realDirectory, directory) ? 'symlink loop; skipped' : `symlink to ${realDirectory}, which is scanned already; skipped`;
      this.problems.push({ absolutePath: directory, message });
      return;
    }
    this.visitedDirectories.add(realDirectory);
    const entries = await readdir(directory, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      this.problems.push({ absolutePath: directory, message: `cannot read directory (${error.code ?? error.message}); skipped` });
      return [] as Dirent[];
    });
    const localIgnore = this.options.respectGitignore ? await readIgnoreFile(directory) : undefined;
    const activeIgnores = localIgnore ? [...ignoreFiles, localIgnore] : ignoreFiles;
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) await this.walkEntry(directory, entry, root, activeIgnores);
  }

  private async walkEntry(directory: string, entry: Dirent, root: string, ignoreFiles: IgnoreFile[]): Promise<void> {
    const entryPath = path.join(directory, entry.name);
    const kind = entry.isSymbolicLink() ? await this.symlinkKind(entryPath, root) : entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : 'other';
    if (kind === 'directory') {
      if (SKIPPED_DIRECTORIES.has(entry.name) || isIgnored(entryPath, true, ignoreFiles)) return;
      await this.walkDirectory(entryPath, root, ignoreFiles);
    } else if (kind === 'file' && isPythonFile(entryPath) && !isIgnored(entryPath, false, ignoreFiles)) {
      this.files.add(entryPath);
    }
  }

  /** Symlinks are followed only when they stay inside the scanned root. */
  private async symlinkKind(linkPath: string, root: string): Promise<'directory' | 'file' | 'other'> {
    const target = await realpath(linkPath).catch(() => undefined);
    if (target === undefined) {
      this.problems.push({ absolutePath: linkPath, message: 'broken symlink or symlink loop; skipped' });
      return 'other';
    }
    if (!isInside(root, target)) {
      this.problems.push({ absolutePath: linkPath, message: `symlink to ${target}, outside the scanned directory; not followed` });
      return 'other';
    }
    const info = await stat(target).catch(() => undefined);
    return info?.isDirectory() ? 'directory' : info?.isFile() ? 'file' : 'other';
  }
}

/** Whether `inner` is `outer` or lies below it. */
function isInside(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(outer + path.sep);
}

function isPythonFile(filePath: string): boolean {
  return filePath.endsWith('.py');
}

function isIgnored(entryPath: string, isDirectory: boolean, ignoreFiles: IgnoreFile[]): boolean {
  return ignoreFiles.some(({ directory, rules }) => {
    const relative = path.relative(directory, entryPath).split(path.sep).join('/');
    if (relative === '' || relative.startsWith('..')) return false;
    return rules.ignores(isDirectory ? `${relative}/` : relative);
  });
}

async function readIgnoreFile(directory: string): Promise<IgnoreFile | undefined> {
  const text = await readFile(path.join(directory, '.gitignore'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : { directory, rules: ignore().add(text) };
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
