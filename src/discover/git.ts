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

function realOrSelf(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    return file;
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

