import { statSync } from 'node:fs';
import path from 'node:path';
import { globMatcher } from './glob.js';
import { defaultExclusion } from './walk.js';

interface ExclusionOptions {
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
  const matchers = patterns.map((pattern) => globMatcher(pattern));
  const matches = (candidate: string) => matchers.some((matcher) => matcher(candidate));
  const keepDefaults = options.exclude === undefined;
  return (absolutePath, isDirectory) => {
    if (keepDefaults && defaultExclusion(absolutePath, isDirectory)) return true;
    // Asked for every file and folder walked: without globs, a relative path per entry is waste.
    if (matchers.length === 0) return false;
    const relative = path.relative(options.directory, absolutePath).split(path.sep).join('/');
    const candidates = [relative, path.basename(absolutePath), ...(isDirectory ? [`${relative}/`] : [])];
    return candidates.some((candidate) => matches(candidate));
  };
}

/**
 * Ruff's `force-exclude`: a path given on the command line is skipped when it, or a folder between
 * it and `directory` (the configuration's folder), is excluded.
 */
export function isExcludedGivenPath(isExcluded: (absolutePath: string, isDirectory: boolean) => boolean, absolutePath: string, directory: string): boolean {
  if (isExcluded(absolutePath, statSync(absolutePath, { throwIfNoEntry: false })?.isDirectory() ?? false)) return true;
  for (let folder = path.dirname(absolutePath); folder.startsWith(directory + path.sep); folder = path.dirname(folder)) {
    if (isExcluded(folder, true)) return true;
  }
  return false;
}
