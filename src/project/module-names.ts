import { existsSync } from 'node:fs';
import path from 'node:path';

export interface ModuleLocation {
  /** The dotted name Python would import the file as (`shop.views`, `shop` for `shop/__init__.py`). */
  name: string;
  isPackage: boolean;
  /** The directory Python would need on `sys.path` to import it under that name. */
  root: string;
}

/**
 * Names modules the way Python would when the outermost package's parent is on `sys.path`:
 * every directory holding an `__init__.py` is a package level.
 */
export class ModuleNamer {
  private readonly packageDirectories = new Map<string, boolean>();

  locate(filePath: string): ModuleLocation {
    const absolute = path.resolve(filePath);
    const directory = path.dirname(absolute);
    const stem = path.basename(absolute).replace(/\.pyi?$/, '');
    const isPackage = stem === '__init__';
    const parts = isPackage ? [] : [stem];
    let current = directory;
    while (this.isPackageDirectory(current)) {
      parts.unshift(path.basename(current));
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    return { name: parts.join('.') || stem, isPackage, root: current };
  }

  private isPackageDirectory(directory: string): boolean {
    let known = this.packageDirectories.get(directory);
    if (known === undefined) {
      known = existsSync(path.join(directory, '__init__.py'));
      this.packageDirectories.set(directory, known);
    }
    return known;
  }
}

/** The package a relative import starts from: `from . import x` in `a/b.py` looks in `a`. */
export function relativeImportBase(moduleName: string, isPackage: boolean, level: number): string | undefined {
  const parts = moduleName.split('.');
  const keep = parts.length - (isPackage ? 0 : 1) - (level - 1);
  if (keep < 0) return undefined;
  return parts.slice(0, keep).join('.');
}
