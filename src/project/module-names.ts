import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ProjectRoots } from '../discover/project-root.js';

export interface ModuleLocation {
  /** The dotted name Python would import the file as (`shop.views`, `shop` for `shop/__init__.py`). */
  name: string;
  isPackage: boolean;
  /** The directory Python would need on `sys.path` to import it under that name. */
  root: string;
  /**
   * Other names the file can be imported as: from the project root as a namespace package
   * (`company/product/module.py` is `company.product.module`), and from a `src/` directory.
   */
  aliases: string[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names modules as Python would import them. The name follows the `__init__.py` chain (what the
 * code's relative imports need); the project root and its `src/` give the aliases by which other
 * modules may import it when directories are namespace packages.
 */
export class ModuleNamer {
  private readonly packageDirectories = new Map<string, boolean>();

  constructor(private readonly projectRoots: ProjectRoots) {}

  locate(filePath: string): ModuleLocation {
    const absolute = path.resolve(filePath);
    const stem = path.basename(absolute).replace(/\.pyi?$/, '');
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
    return { name, isPackage, root, aliases: this.aliasesOf(root, parts).filter((alias) => alias !== name) };
  }

  private aliasesOf(packageRoot: string, packageParts: string[]): string[] {
    const projectRoot = this.projectRoots.rootOf(packageRoot);
    if (projectRoot === undefined) return [];
    const aliases: string[] = [];
    for (const base of [projectRoot, path.join(projectRoot, 'src')]) {
      const relative = path.relative(base, packageRoot);
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
      const directories = relative === '' ? [] : relative.split(path.sep);
      const alias = [...directories, ...packageParts];
      if (alias.length > 0 && alias.every((part) => IDENTIFIER.test(part))) aliases.push(alias.join('.'));
    }
    return aliases;
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
