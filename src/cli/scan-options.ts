import path from 'node:path';
import { projectCacheDirectory } from '../analysis/fact-cache.js';
import { findConfig, type LoadedConfig, loadConfigFile } from '../config/config.js';
import { optionsFromConfig, withCommandLine } from '../config/options.js';
import { ContextRoots } from '../discover/project-root.js';
import type { CheckOptions } from '../engine.js';
import type { CheckCommandOptions } from './args.js';
import { changedFilesSince } from './changed-files.js';
import { UsageError } from './errors.js';

/** What a scan's options are made of: the command line's say on configuration, paths and speed. */
export type ScanRequest = Pick<CheckCommandOptions, 'paths' | 'isolated' | 'configFile' | 'settings' | 'writeBaseline' | 'maxFileSizeBytes' | 'jobs' | 'cacheDirectory' | 'diffBase' | 'fixes'>;

/** Defaults, then the nearest configuration (or `--config`), then the command line. */
export function scanOptions(command: ScanRequest, cwd: string): { options: CheckOptions; loaded: LoadedConfig } {
  if (command.isolated && command.configFile !== undefined) throw new UsageError('--isolated and --config exclude each other');
  if (command.fixes && command.writeBaseline !== undefined) throw new UsageError('--write-baseline records findings; it cannot be combined with --fix or --diff');
  const scanned = commonDirectory(command.paths.map((given) => path.resolve(cwd, given)));
  const loaded = command.isolated
    ? { config: {}, file: undefined, directory: cwd }
    : command.configFile !== undefined
      ? loadConfigFile(command.configFile)
      : findConfig(scanned);
  const configured = withCommandLine(loaded, command.settings, cwd);
  // A new baseline records every finding, including those the old one hides.
  if (command.writeBaseline !== undefined) delete configured.config.baseline;
  const options: CheckOptions = {
    ...optionsFromConfig(configured),
    paths: command.paths,
    cwd,
    maxFileSizeBytes: command.maxFileSizeBytes,
    ...(command.jobs !== undefined ? { jobs: command.jobs } : {}),
    // By default in the user's cache folder, out of the scanned tree, whose files its author controls.
    ...(command.cacheDirectory !== false ? { cacheDirectory: command.cacheDirectory !== undefined ? path.resolve(cwd, command.cacheDirectory) : projectCacheDirectory(loaded.file ? loaded.directory : projectRootOf(scanned, cwd)) } : {}),
  };
  if (command.diffBase !== undefined) {
    const { changedFiles, baseRevision } = changedFilesSince(command.diffBase, cwd);
    options.changedFiles = changedFiles;
    options.baseRevision = baseRevision;
  }
  return { options, loaded };
}

function commonDirectory(absolutePaths: readonly string[]): string {
  const [first = '.', ...rest] = absolutePaths;
  let common = first;
  for (const other of rest) {
    while (common !== path.dirname(common) && path.relative(common, other).startsWith('..')) common = path.dirname(common);
  }
  return common;
}

/** Where the cache goes without a configuration file: the project's root, not the subfolder a scan starts from. */
function projectRootOf(scanned: string, cwd: string): string {
  return new ContextRoots().rootOf(scanned) ?? cwd;
}

