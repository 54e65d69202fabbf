import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { findGitExecutable } from '../discover/git.js';
import { UsageError } from './errors.js';

/**
 * The files `--diff-base REF` keeps findings for: changed since the branch left REF (committed,
 * staged or not) plus untracked files, as absolute paths under the working directory's spelling
 * of the repository root; and the commit where the branch left REF.
 */
export function changedFilesSince(ref: string, cwd: string): { changedFiles: Set<string>; baseRevision: string } {
  if (ref.startsWith('-')) throw new UsageError(`--diff-base takes a git revision, not '${ref}'`);
  const root = path.resolve(cwd, git(['rev-parse', '--show-cdup'], cwd).trim() || '.');
  const changed = nulSeparated(git(['diff', '--name-only', '-z', '--no-renames', '--merge-base', ref, '--'], cwd));
  const untracked = nulSeparated(git(['ls-files', '--others', '--exclude-standard', '--full-name', '-z'], cwd));
  // What the changes are compared with: where the branch left REF, as `git diff --merge-base` does.
  const baseRevision = git(['merge-base', ref, 'HEAD'], cwd).trim();
  return { changedFiles: new Set([...changed, ...untracked].map((file) => path.resolve(root, file))), baseRevision };
}

function git(args: string[], cwd: string): string {
  const run = spawnSync(gitExecutable(cwd), args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, shell: false });
  if (run.error) throw new UsageError(`--diff-base needs git, which could not be run (${run.error.message})`);
  if (run.status !== 0) throw new UsageError(`--diff-base: git ${args[0]} failed: ${firstLine(run.stderr) || `exit code ${run.status}`}`);
  return run.stdout;
}

/** git's full path, never one inside the working directory (see `findGitExecutable`). */
export function gitExecutable(cwd: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const found = findGitExecutable(cwd, env, platform);
  if (found === undefined) throw new UsageError('--diff-base needs git, which was not found on PATH (folders inside the working directory are not searched)');
  return found;
}

function nulSeparated(text: string): string[] {
  return text.split('\0').filter((entry) => entry !== '');
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
