import path from 'node:path';
import type { CheckOptions } from '../engine.js';
import { findRule, RULES } from '../rules/index.js';
import type { Rule } from '../rules/rule.js';
import { isSameOrInside } from '../discover/path-inside.js';
import { readBaseline } from '../suppress/baseline.js';
import type { FileConfig, LoadedConfig } from './config.js';

/** The scan options a configuration file sets. */
export function optionsFromConfig({ config, directory }: LoadedConfig): Partial<CheckOptions> {
  const options: Partial<CheckOptions> = { excludeDirectory: directory };
  if (config.select || config.ignore) options.rules = selectRules(config.select, config.ignore);
  if (config.exclude) options.exclude = config.exclude;
  if (config.extendExclude) options.extendExclude = config.extendExclude;
  if (config.perFileIgnores) options.perFileIgnores = { directory, patterns: config.perFileIgnores };
  if (config.includeTests !== undefined) options.includeTests = config.includeTests;
  if (config.templateDirs) options.templateDirectories = config.templateDirs;
  if (config.respectGitignore !== undefined) options.respectGitignore = config.respectGitignore;
  if (config.forceExclude !== undefined) options.forceExclude = config.forceExclude;
  if (config.requireReason !== undefined) options.requireReason = config.requireReason;
  if (config.reportUnusedSuppressions !== undefined) options.reportUnusedSuppressions = config.reportUnusedSuppressions;
  if (config.reportBrokenForms !== undefined) options.reportBrokenForms = config.reportBrokenForms;
  if (config.reportGuardedExemptions !== undefined) options.reportGuardedExemptions = config.reportGuardedExemptions;
  if (config.baseline) options.baseline = readBaselineNamedBy(path.resolve(directory, config.baseline), directory);
  return options;
}

/**
 * A baseline the configuration names lies inside its folder (the configuration checks that), and
 * every folder on the way must too: `b/base.json` with `b -> ../outside` is refused. One named on
 * the command line elsewhere is the user's, judged from its own folder.
 */
function readBaselineNamedBy(file: string, configDirectory: string) {
  return readBaseline(file, isSameOrInside(configDirectory, file) ? configDirectory : path.dirname(file));
}

/**
 * The configuration with the command line's settings laid over it. A setting given on the command
 * line replaces the file's, except the lists that add up: `ignore`, `extend-exclude` and
 * `per-file-ignores`. Command-line globs and files are relative to the working directory, so they
 * are rebased onto the configuration's folder.
 */
export function withCommandLine(loaded: LoadedConfig, commandLine: FileConfig, cwd: string): LoadedConfig {
  const rebase = (patterns: readonly string[]) => patterns.map((pattern) => rebaseGlob(pattern, cwd, loaded.directory));
  const file = loaded.config;
  const merged: FileConfig = { ...file };
  if (commandLine.select) merged.select = commandLine.select;
  if (commandLine.ignore) merged.ignore = [...(file.ignore ?? []), ...commandLine.ignore];
  if (commandLine.exclude) merged.exclude = rebase(commandLine.exclude);
  if (commandLine.extendExclude) merged.extendExclude = [...(file.extendExclude ?? []), ...rebase(commandLine.extendExclude)];
  if (commandLine.perFileIgnores) merged.perFileIgnores = mergedPerFileIgnores(file.perFileIgnores ?? {}, commandLine.perFileIgnores, rebase);
  if (commandLine.templateDirs) merged.templateDirs = commandLine.templateDirs;
  if (commandLine.baseline) merged.baseline = path.resolve(cwd, commandLine.baseline);
  for (const key of ['includeTests', 'respectGitignore', 'forceExclude', 'requireReason', 'reportUnusedSuppressions', 'reportBrokenForms', 'reportGuardedExemptions'] as const) {
    if (commandLine[key] !== undefined) merged[key] = commandLine[key];
  }
  return { ...loaded, config: merged };
}

function mergedPerFileIgnores(file: Record<string, string[]>, commandLine: Record<string, string[]>, rebase: (patterns: readonly string[]) => string[]): Record<string, string[]> {
  const merged = { ...file };
  for (const [pattern, rules] of Object.entries(commandLine)) {
    const [rebased = pattern] = rebase([pattern]);
    merged[rebased] = [...(merged[rebased] ?? []), ...rules];
  }
  return merged;
}

/**
 * A glob written relative to `from`, made relative to `to`. Name globs (no `/`) match anywhere and
 * stay as they are, as does a glob that points outside `to`.
 */
function rebaseGlob(pattern: string, from: string, to: string): string {
  if (!pattern.includes('/') || path.resolve(from) === path.resolve(to)) return pattern;
  const trailingSlash = pattern.endsWith('/') ? '/' : '';
  const rebased = path.relative(to, path.resolve(from, pattern)).split(path.sep).join('/');
  return rebased.startsWith('..') || rebased === '' ? pattern : `${rebased}${trailingSlash}`;
}

/**
 * `select` (ids or codes) or every default rule, minus `ignore`. Names are checked when the
 * configuration is read; here they resolve.
 */
export function selectRules(select: readonly string[] | undefined, ignore: readonly string[] | undefined): Rule[] {
  const selected = select && select.length > 0 ? select.map((name) => findRule(name)!) : RULES.filter((rule) => !rule.optIn);
  const ignored = new Set((ignore ?? []).map((name) => findRule(name)!));
  return selected.filter((rule) => !ignored.has(rule));
}
