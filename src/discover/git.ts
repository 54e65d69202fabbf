import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * git's full path, from the absolute folders of `PATH` outside the working directory: Windows
 * looks in the current folder first, so a `git.exe` committed to the scanned repository would run.
 */
export function findGitExecutable(cwd: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const names = platform === 'win32' ? ['git.exe'] : ['git'];
  const searchPath = env.PATH ?? env.Path ?? '';
  const here = path.resolve(cwd);
  for (const directory of searchPath.split(path.delimiter)) {
    if (!path.isAbsolute(directory) || isWithin(here, path.resolve(directory))) continue;
    for (const name of names) {
      const candidate = path.join(directory, name);
      if (isExecutableFile(candidate, platform)) return candidate;
    }
  }
  return undefined;
}

/**
 * The committed (HEAD) bytes of a file, or `undefined` when there are none to read: no git, not in
 * a repository, or a file new since the last commit.
 */
export function committedVersionOf(file: string, maxBytes: number): Buffer | undefined {
  const directory = path.dirname(file);
  const git = findGitExecutable(directory);
  if (git === undefined) return undefined;
  const run = spawnSync(git, ['show', `HEAD:./${path.basename(file)}`], { cwd: directory, maxBuffer: maxBytes, shell: false });
  return run.status === 0 && !run.error ? run.stdout : undefined;
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

function isWithin(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(outer + path.sep);
}
