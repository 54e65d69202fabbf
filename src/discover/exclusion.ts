import path from 'node:path';
import picomatch from 'picomatch';
import { defaultExclusion } from './walk.js';

export interface ExclusionOptions {
  /** Globs replacing the default skipped folders. */
  exclude?: readonly string[];
  /** Globs skipped on top of `exclude` or the defaults. */
  extendExclude?: readonly string[];
  /** What the globs are relative to (the configuration's folder). */
  directory: string;
}

/**
 * Ruff's convention: a glob matches a path relative to the configuration's folder, or a file or
 * folder name anywhere (`migrations`, `*_pb2.py`, `legacy/**`).
 */
export function exclusionOf(options: ExclusionOptions): (absolutePath: string, isDirectory: boolean) => boolean {
  const patterns = [...(options.exclude ?? []), ...(options.extendExclude ?? [])];
  const matches = patterns.length > 0 ? picomatch(patterns, { dot: true }) : () => false;
  const keepDefaults = options.exclude === undefined;
  return (absolutePath, isDirectory) => {
    if (keepDefaults && defaultExclusion(absolutePath, isDirectory)) return true;
    const relative = path.relative(options.directory, absolutePath).split(path.sep).join('/');
    const candidates = [relative, path.basename(absolutePath), ...(isDirectory ? [`${relative}/`] : [])];
    return candidates.some((candidate) => matches(candidate));
  };
}
