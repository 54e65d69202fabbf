import { existsSync } from 'node:fs';
import path from 'node:path';
import { isSameOrInside } from './path-inside.js';

/** Files that mark the top of a Python project: where `sys.path` starts when its code runs. */
/** A `manage.py` inside a package is one of its modules (Indico's `controllers/manage.py`), not Django's script at a project's root. */
export const PROJECT_ROOT_MARKERS = ['pyproject.toml', 'setup.cfg', 'setup.py', 'manage.py', '.git'];

/** Finds and remembers the nearest directory at or above a path that holds a project marker. */
export class ProjectRoots {
  private readonly known = new Map<string, string | undefined>();

  /** The nearest project root at or above `directory`, or `undefined` when there is none up to `/`. */
  rootOf(directory: string): string | undefined {
    if (this.known.has(directory)) return this.known.get(directory);
    const parent = path.dirname(directory);
    const root = hasMarker(directory) ? directory : parent === directory ? undefined : this.rootOf(parent);
    this.known.set(directory, root);
    return root;
  }

  /**
   * The project a file in \`directory\` belongs to: its nearest project root, or, in a tree with no
   * marker (an archive extracted without \`.git\`), the scanned folder around it. Each folder of such
   * a tree is not a project of its own: \`from pkg import module\` in \`app/main.py\` reaches \`app/pkg/\`.
   */
  projectOf(directory: string, scanRoots: readonly string[]): string {
    return this.rootOf(directory) ?? scanRoots.find((root) => isSameOrInside(root, directory)) ?? directory;
  }
}

/**
 * The folder a file's place is judged from (is it under `tests/`, `examples/`?): the git
 * repository it is in, or failing that the outermost project around it. A nested `manage.py` or
 * an example's own `pyproject.toml` must not hide the `tests/` or `examples/` folder above it.
 */
export class ContextRoots {
  private readonly repositories = new Map<string, string | undefined>();
  private readonly outermostProjects = new Map<string, string | undefined>();

  rootOf(directory: string): string | undefined {
    return this.repositoryOf(directory) ?? this.outermostProjectOf(directory);
  }

  /** The file's path from its context root, with `/`: the same wherever csrflint was started. */
  pathFromRoot(absolutePath: string): string {
    const root = this.rootOf(path.dirname(absolutePath)) ?? path.dirname(absolutePath);
    return path.relative(root, absolutePath).split(path.sep).join('/');
  }

  /** The nearest folder holding `.git` (a folder, or a file in worktrees and submodules). */
  // Each folder's answer comes from its parent's, so a tree of files costs one look per folder.
  repositoryOf(directory: string): string | undefined {
    if (this.repositories.has(directory)) return this.repositories.get(directory);
    const parent = path.dirname(directory);
    const repository = existsSync(path.join(directory, '.git')) ? directory : parent === directory ? undefined : this.repositoryOf(parent);
    this.repositories.set(directory, repository);
    return repository;
  }

  private outermostProjectOf(directory: string): string | undefined {
    if (this.outermostProjects.has(directory)) return this.outermostProjects.get(directory);
    const parent = path.dirname(directory);
    const above = parent === directory ? undefined : this.outermostProjectOf(parent);
    const outermost = above ?? (hasMarker(directory) ? directory : undefined);
    this.outermostProjects.set(directory, outermost);
    return outermost;
  }
}

function hasMarker(directory: string): boolean {
  return PROJECT_ROOT_MARKERS.some((marker) => existsSync(path.join(directory, marker)) && (marker !== 'manage.py' || !existsSync(path.join(directory, '__init__.py'))));
}

/** Whether `inner` is `outer` or lies below it. */
