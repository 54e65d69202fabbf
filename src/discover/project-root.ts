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

function hasMarker(directory: string): boolean {
  return PROJECT_ROOT_MARKERS.some((marker) => existsSync(path.join(directory, marker)));
}
