import { existsSync } from 'node:fs';
import path from 'node:path';
import { pythonModuleStem } from '../discover/file-kinds.js';
import { isSameOrInside } from '../discover/path-inside.js';
import type { ProjectRoots } from '../discover/project-root.js';
import { isFrameworkPackage } from './known-names.js';

export interface ModuleLocation {
  /** The dotted name Python would import the file as (`shop.views`, `shop` for `shop/__init__.py`). */
  name: string;
  isPackage: boolean;
  /** The directory Python would need on `sys.path` to import it under that name. */
  root: string;
  /**
   * Other names the file can be imported as when the folders above its package are namespace
   * packages: its dotted path from each folder between its package and the project root (the
   * project root itself and its `src/` included), as any of them may be on `sys.path`.
   */
  aliases: string[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names modules as Python would import them. The name follows the `__init__.py` chain (what the
 * code's relative imports need); the folders above the package, up to the project root (or,
 * without one, the scanned directory), give the aliases by which other modules may import it
 * when those folders are namespace packages: `backend/web/ext.py` is `web.ext` to code run from
 * `backend/`.
 */
export class ModuleNamer {
  /** Whether a file exists, asked once per path: `__init__.py` and `manage.py` beside every module. */
  private readonly existingFiles = new Map<string, boolean>();

  /** `scanRoots`: the directories given to the scan, the top of a tree that has no project marker. */
  constructor(
    private readonly projectRoots: ProjectRoots,
    private readonly scanRoots: readonly string[] = [],
  ) {}

  locate(filePath: string): ModuleLocation {
    const absolute = path.resolve(filePath);
    const stem = pythonModuleStem(path.basename(absolute));
    const isPackage = stem === '__init__';
    const parts = isPackage ? [] : [stem];
    let root = path.dirname(absolute);
    while (this.isPackageDirectory(root)) {
      parts.unshift(path.basename(root));
      const parent = path.dirname(root);
      if (parent === root) break;
      root = parent;
    }
    const name = parts.join('.') || stem;
    const aliases = [...this.aliasesOf(root, parts), ...this.managePyAliases(root, parts)];
    return { name, isPackage, root, aliases: aliases.filter((alias) => alias !== name) };
  }

  /**
   * The names a module has from a folder of its package that holds `manage.py`: `python manage.py`
   * puts that folder first on `sys.path`, so `apps/manage.py` makes `apps/shop/middleware.py`
   * importable as `shop.middleware` (and settings name it so) although `apps/` is a package too.
   */
  private managePyAliases(packageRoot: string, parts: string[]): string[] {
    const aliases: string[] = [];
    let directory = packageRoot;
    for (let depth = 0; depth < parts.length - 1; depth++) {
      directory = path.join(directory, parts[depth]!);
      if (this.holdsManagePy(directory)) aliases.push(parts.slice(depth + 1).join('.'));
    }
    return aliases;
  }

  private holdsManagePy(directory: string): boolean {
    return this.fileExists(path.join(directory, 'manage.py'));
  }

  private aliasesOf(packageRoot: string, packageParts: string[]): string[] {
    const top = this.projectRoots.rootOf(packageRoot) ?? this.scanRoots.find((root) => isSameOrInside(root, packageRoot));
    if (top === undefined) return [];
    const aliases: string[] = [];
    const directories: string[] = [];
    for (let base = packageRoot; isSameOrInside(top, base); base = path.dirname(base)) {
      const alias = [...directories, ...packageParts];
      if (alias.length > 0 && alias.every((part) => IDENTIFIER.test(part)) && !isFrameworkPackage(alias[0]!)) aliases.push(alias.join('.'));
      if (base === top || !IDENTIFIER.test(path.basename(base))) break;
      directories.unshift(path.basename(base));
    }
    return aliases;
  }

  private isPackageDirectory(directory: string): boolean {
    return this.fileExists(path.join(directory, '__init__.py'));
  }

  private fileExists(file: string): boolean {
    let known = this.existingFiles.get(file);
    if (known === undefined) {
      known = existsSync(file);
      this.existingFiles.set(file, known);
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

