import path from 'node:path';
import type { CheckOptions } from '../engine.js';
import { findRule, RULES } from '../rules/index.js';
import type { Rule } from '../rules/rule.js';
import { readBaseline } from '../suppress/baseline.js';
import type { LoadedConfig } from './config.js';

/** The scan options a configuration file sets; the command line overrides them key by key. */
export function optionsFromConfig({ config, directory }: LoadedConfig): Partial<CheckOptions> {
  const options: Partial<CheckOptions> = { excludeDirectory: directory };
  if (config.select || config.ignore) options.rules = selectRules(config.select, config.ignore);
  if (config.exclude) options.exclude = config.exclude;
  if (config.extendExclude) options.extendExclude = config.extendExclude;
  if (config.perFileIgnores) options.perFileIgnores = { directory, patterns: config.perFileIgnores };
  if (config.includeTests !== undefined) options.includeTests = config.includeTests;
  if (config.templateDirs) options.templateDirectories = config.templateDirs;
  if (config.respectGitignore !== undefined) options.respectGitignore = config.respectGitignore;
  if (config.requireReason !== undefined) options.requireReason = config.requireReason;
  if (config.reportUnusedSuppressions !== undefined) options.reportUnusedSuppressions = config.reportUnusedSuppressions;
  if (config.baseline) options.baseline = readBaseline(path.resolve(directory, config.baseline));
  return options;
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
