import { spawnSync } from 'node:child_process';
import { CLI } from './paths.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a user would, without a terminal and without inherited color settings.
 * `timeoutMs` kills a run that takes longer (its status is then `null`): a bound for inputs that
 * once hung, which a test's own timeout cannot interrupt while synchronous code runs.
 */
export function runCli(args: string[], cwd: string, environment: Record<string, string> = {}, timeoutMs?: number): CliRun {
  const env = { ...process.env, ...environment };
  if (!('NO_COLOR' in environment)) delete env.NO_COLOR;
  if (!('FORCE_COLOR' in environment)) delete env.FORCE_COLOR;
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', ...(timeoutMs !== undefined ? { timeout: timeoutMs, killSignal: 'SIGKILL' as const } : {}) });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
