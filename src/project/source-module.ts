import type { ModuleFacts } from '../python/facts.js';
import type { FindingContext } from './context.js';
import type { ModuleSymbols } from './symbols.js';

/** A scanned Python file with its facts and its place in the project. */
export interface SourceModule {
  /** As reported: relative to the working directory, with `/`. */
  path: string;
  absolutePath: string;
  /** Dotted import name. */
  name: string;
  /** Unique among the scanned modules: the import name, or `name@2` when another project has one of that name. */
  key: string;
  isPackage: boolean;
  /** The `sys.path` entry the module is importable from. */
  root: string;
  /** Other dotted names other modules may import it by (namespace packages, `src/` layouts). */
  aliases: string[];
  facts: ModuleFacts;
  symbols: ModuleSymbols;
  context: FindingContext;
  /** Under the paths given to the scan; other modules of the project are read for context only. */
  isTarget: boolean;
}
