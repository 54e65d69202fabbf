import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { isSameOrInside } from './path-inside.js';

/**
 * git's full path, from the absolute folders of `PATH` outside the working directory: Windows
 * looks in the current folder first, so a `git.exe` committed to the scanned repository would run.
 */
export function findGitExecutable(cwd: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const names = platform === 'win32' ? ['git.exe'] : ['git'];
  const searchPath = env.PATH ?? env.Path ?? '';
  const here = path.resolve(cwd);
  for (const directory of searchPath.split(path.delimiter)) {
    if (!path.isAbsolute(directory) || isSameOrInside(here, path.resolve(directory))) continue;
    for (const name of names) {
      const candidate = path.join(directory, name);
      if (isExecutableFile(candidate, platform)) return candidate;
    }
  }
  return undefined;
}

/**
 * The committed (HEAD) bytes of files of one repository, one after another as `git cat-file
 * --batch` prints them (a file new since the last commit prints its name and `missing`), from two
 * git runs whatever the number of files; `undefined` when there are none to read: no git, or not
 * in a repository.
 */
export function committedVersionsOf(files: readonly string[], maxBytes: number): Buffer | undefined {
  const directory = path.dirname(files[0] ?? '.');
  const git = findGitExecutable(directory);
  if (git === undefined) return undefined;
  const topLevel = spawnSync(git, ['rev-parse', '--show-toplevel'], { cwd: directory, encoding: 'utf8', shell: false });
  if (topLevel.status !== 0 || topLevel.error) return undefined;
  const root = topLevel.stdout.trim();
  const objects = files.map((file) => `HEAD:${path.relative(root, realOrSelf(file)).split(path.sep).join('/')}\n`).join('');
  const run = spawnSync(git, ['cat-file', '--batch'], { cwd: root, input: objects, maxBuffer: maxBytes * files.length + 4096, shell: false });
  return run.status === 0 && !run.error ? run.stdout : undefined;
}

/**
 * Each file's bytes at `revision`, or `undefined` for one that did not exist there; `undefined`
 * as a whole when git cannot tell: no git, not in a repository, an unknown revision, a file
 * outside the repository or one whose name git's batch protocol cannot carry. Two git runs for
 * all the files together.
 */
export function versionsAtRevision(files: readonly string[], revision: string, cwd: string, maxBytes: number): Map<string, Buffer | undefined> | undefined {
  const git = findGitExecutable(cwd);
  if (git === undefined || files.some((file) => /[\n\r]/.test(file))) return undefined;
  const repository = spawnSync(git, ['rev-parse', '--show-toplevel', '--verify', '--end-of-options', `${revision}^{commit}`], { cwd, encoding: 'utf8', shell: false });
  if (repository.status !== 0 || repository.error) return undefined;
  const [root = '', commit = ''] = repository.stdout.trim().split('\n');
  const relativePaths = files.map((file) => path.relative(root, realOrSelf(file)).split(path.sep).join('/'));
  if (relativePaths.some((relative) => relative.startsWith('../') || path.isAbsolute(relative))) return undefined;
  const objects = relativePaths.map((relative) => `${commit}:${relative}\n`).join('');
  const run = spawnSync(git, ['cat-file', '--batch'], { cwd: root, input: objects, maxBuffer: maxBytes * files.length + 4096 * (files.length + 1), shell: false });
  if (run.status !== 0 || run.error) return undefined;
  const contents = batchContents(run.stdout, files.length);
  return contents && new Map(files.map((file, index) => [file, contents[index]]));
}

/** The blobs of `git cat-file --batch` output, in order; `undefined` for a name it reports missing. */
function batchContents(output: Buffer, count: number): Array<Buffer | undefined> | undefined {
  const contents: Array<Buffer | undefined> = [];
  let position = 0;
  for (let index = 0; index < count; index++) {
    const lineEnd = output.indexOf(10, position);
    if (lineEnd < 0) return undefined;
    const header = output.subarray(position, lineEnd).toString('utf8').split(' ');
    position = lineEnd + 1;
    if (header[1] !== 'blob') {
      contents.push(undefined);
      continue;
    }
    const size = Number(header[2]);
    contents.push(output.subarray(position, position + size));
    position += size + 1;
  }
  return contents;
}

/** The real path of a file, or of the nearest folder above it that exists (a deleted file's folder may be gone too). */
function realOrSelf(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    const folder = path.dirname(file);
    return folder === file ? file : path.join(realOrSelf(folder), path.basename(file));
  }
}

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

