import type { ModuleFacts } from '../python/facts.js';
import type { ScannedFile } from './scanned-file.js';
import type { ModuleSymbols } from './symbols.js';

/** A scanned Python file with its facts and its place in the project. */
export interface SourceModule extends ScannedFile {
  kind: 'python';
  /** Dotted import name. */
  name: string;
  /** Unique among the scanned modules: the import name, or `name@2` when another project has one of that name. */
  key: string;
  isPackage: boolean;
  /** The `sys.path` entry the module is importable from. */
  root: string;
  /** Other dotted names other modules may import it by (namespace packages, `src/` layouts). */
  aliases: string[];
  /** The project it belongs to: the nearest folder with a project marker, or its own folder. */
  projectRoot: string;
  facts: ModuleFacts;
  symbols: ModuleSymbols;
}
