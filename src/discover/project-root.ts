import { existsSync } from 'node:fs';
import path from 'node:path';

/** Files that mark the top of a Python project: where `sys.path` starts when its code runs. */
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
}

/**
 * The folder a file's place is judged from (is it under `tests/`, `examples/`?): the git
 * repository it is in, or failing that the outermost project around it. A nested `manage.py` or
 * an example's own `pyproject.toml` must not hide the `tests/` or `examples/` folder above it.
 */
export class ContextRoots {
  private readonly known = new Map<string, string | undefined>();

  rootOf(directory: string): string | undefined {
    if (this.known.has(directory)) return this.known.get(directory);
    let outermost: string | undefined;
    let repository: string | undefined;
    for (let current = directory; repository === undefined; ) {
      if (existsSync(path.join(current, '.git'))) repository = current;
      else if (hasMarker(current)) outermost = current;
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    const root = repository ?? outermost;
    this.known.set(directory, root);
    return root;
  }
}

function hasMarker(directory: string): boolean {
  return PROJECT_ROOT_MARKERS.some((marker) => existsSync(path.join(directory, marker)));
}
