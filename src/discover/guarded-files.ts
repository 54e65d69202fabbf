import { closeSync, constants, fstatSync, ftruncateSync, lstatSync, mkdirSync, openSync, readSync, realpathSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isSameOrInside } from './path-inside.js';

/**
 * Files a scanned repository controls (its configuration, `.gitignore`, baseline) and files
 * csrflint writes (reports, baseline, cache) go through here: the repository may have committed a
 * link to `/dev/zero`, to a secret, or to a file of the host to overwrite.
 */

/** Configuration, `.gitignore` and baseline files are small; a larger one is refused, not read. */
const MAX_SETTINGS_FILE_BYTES = 4 * 1024 * 1024;

export class GuardedFileError extends Error {}

/**
 * The text of a settings file: a regular file of at most `MAX_SETTINGS_FILE_BYTES`, reached, if
 * through a link (the file's own or a linked folder on its path), only when the link stays inside
 * `tree`. Throws `GuardedFileError` (with a message that never quotes the file) or the `ENOENT` of
 * a missing file.
 */
export function readSettingsFile(file: string, tree: string | (() => string)): string {
  const real = realpathSync.native(file);
  if (real !== path.resolve(file)) {
    const root = typeof tree === 'string' ? tree : tree();
    if (!isSameOrInside(realOrSelf(root), real)) throw new GuardedFileError(`${file}: a link out of ${root}; not read`);
  }
  const descriptor = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(descriptor);
    if (!info.isFile()) throw new GuardedFileError(`${file}: not a regular file; not read`);
    if (info.size > MAX_SETTINGS_FILE_BYTES) throw new GuardedFileError(`${file}: larger than ${MAX_SETTINGS_FILE_BYTES / (1024 * 1024)} MB; not read`);
    // One byte past the size it claims shows a file that grew while read; never a 4 MB buffer per `.gitignore`.
    const buffer = Buffer.allocUnsafe(Math.min(info.size, MAX_SETTINGS_FILE_BYTES) + 1);
    let length = 0;
    for (let count = 1; count > 0 && length < buffer.length; length += count) count = readSync(descriptor, buffer, length, buffer.length - length, null);
    if (length > MAX_SETTINGS_FILE_BYTES) throw new GuardedFileError(`${file}: larger than ${MAX_SETTINGS_FILE_BYTES / (1024 * 1024)} MB; not read`);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Writes a file that csrflint creates (a report, the baseline, a cache entry), never through a
 * link: not the file itself (`O_NOFOLLOW`) and not a folder between `trustedRoot` and it, which a
 * repository could have committed (`reports -> /etc`). Folders above `trustedRoot` are the user's.
 */
export function writeFileWithoutLinks(target: string, content: string | Uint8Array, trustedRoots: readonly string[]): void {
  createDirectoryWithoutLinks(path.dirname(target), trustedRoots);
  const descriptor = openWithoutFollowing(target);
  try {
    truncateUnlessHardLinked(target, descriptor);
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    for (let written = 0; written < bytes.length; ) written += writeSync(descriptor, bytes, written, bytes.length - written);
  } finally {
    closeSync(descriptor);
  }
}

/** `mkdir -p`, refusing any link among the folders from each trusted root down to `directory`. */
export function createDirectoryWithoutLinks(directory: string, trustedRoots: readonly string[]): void {
  for (const root of trustedRoots) refuseLinksBetween(root, directory);
  mkdirSync(directory, { recursive: true });
  for (const root of trustedRoots) refuseLinksBetween(root, directory);
}

/**
 * A file with a second hard link may share its bytes with a file out of the tree (an unpacked
 * archive can hold one): writing would change both. It is refused rather than replaced by a new
 * file renamed over it, which would quietly split a link the user may have made on purpose.
 */
function truncateUnlessHardLinked(target: string, descriptor: number): void {
  const info = fstatSync(descriptor);
  if (!info.isFile()) return;
  if (info.nlink > 1) throw new GuardedFileError(`${target} has ${info.nlink} hard links; csrflint does not write through them`);
  ftruncateSync(descriptor, 0);
}

/** Opened without truncating: a file refused for its hard links keeps its bytes. */
function openWithoutFollowing(target: string): number {
  try {
    return openSync(target, constants.O_WRONLY | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0), 0o666);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP' || lstatOrUndefined(target)?.isSymbolicLink()) throw new GuardedFileError(`${target} is a link; csrflint does not write through links`);
    throw error;
  }
}

function refuseLinksBetween(trustedRoot: string, target: string): void {
  const root = path.resolve(trustedRoot);
  const absolute = path.resolve(target);
  if (!isSameOrInside(root, absolute)) return;
  let current = root;
  for (const part of path.relative(root, absolute).split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    if (lstatOrUndefined(current)?.isSymbolicLink()) throw new GuardedFileError(`${current} is a link; csrflint does not write through links`);
  }
}

function lstatOrUndefined(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

function realOrSelf(directory: string): string {
  try {
    return realpathSync.native(directory);
  } catch {
    return path.resolve(directory);
  }
}

