import { spawnSync } from 'node:child_process';
import { CLI } from './paths.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, without a terminal and without inherited color settings. */
export function runCli(args: string[], cwd: string, environment: Record<string, string> = {}): CliRun {
  const env = { ...process.env, ...environment };
  if (!('NO_COLOR' in environment)) delete env.NO_COLOR;
  if (!('FORCE_COLOR' in environment)) delete env.FORCE_COLOR;
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
