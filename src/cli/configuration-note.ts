import path from 'node:path';
import { findConfig, type LoadedConfig } from '../config/config.js';
import { selectRules } from '../config/options.js';
import type { CheckResult } from '../finding.js';
import { RULES } from '../rules/index.js';

/**
 * What the configuration turned off, in one line for stderr: a repository's own settings can
 * silence csrflint (`ignore`, `exclude`, a nested `.csrflint.toml`, a `.gitignore` listing tracked
 * files), and a reviewer of an untrusted change must see it. Nothing turned off, no line.
 */
export function configurationNote(loaded: LoadedConfig, result: CheckResult, cwd: string): string | undefined {
  const shown = (file: string) => path.relative(cwd, file).split(path.sep).join('/') || file;
  const parts: string[] = [];
  const { select, ignore, perFileIgnores } = loaded.config;
  const kept = select || ignore ? selectRules(select, ignore) : RULES;
  const rulesOff = RULES.filter((rule) => !rule.optIn && !kept.includes(rule)).map((rule) => rule.id);
  if (rulesOff.length > 0) parts.push(`rules off: ${rulesOff.join(', ')}`);
  const patterns = Object.keys(perFileIgnores ?? {}).length;
  if (patterns > 0) parts.push(`per-file-ignores: ${patterns} ${patterns === 1 ? 'pattern' : 'patterns'}`);
  const { pathsExcluded = 0, pathsIgnored = 0 } = result.stats;
  if (pathsExcluded > 0) parts.push(`${pathsExcluded} ${pathsExcluded === 1 ? 'path' : 'paths'} excluded by exclude/extend-exclude`);
  if (pathsIgnored > 0) parts.push(`${pathsIgnored} ${pathsIgnored === 1 ? 'path' : 'paths'} ignored by .gitignore`);
  const shadowed = loaded.file ? shadowedConfig(loaded) : undefined;
  if (shadowed) parts.push(`${shown(loaded.file!)} overrides ${shown(shadowed)}`);
  if (parts.length === 0) return undefined;
  const source = loaded.file ? `configuration ${shown(loaded.file)}` : 'configuration';
  // Trusted settings do not stop a `.gitignore` from the change: only not reading any does.
  const gitignoreToo = pathsIgnored > 0 ? ', and --no-respect-gitignore' : '';
  return `csrflint: note: ${source} turned checks off (${parts.join('; ')}); on untrusted changes run with --isolated or --config <trusted file>${gitignoreToo}\n`;
}

/** A configuration further up that the one in use hides: a nested file can override the reviewed one. */
function shadowedConfig(loaded: LoadedConfig): string | undefined {
  const parent = path.dirname(loaded.directory);
  if (parent === loaded.directory) return undefined;
  try {
    return findConfig(parent).file;
  } catch {
    return undefined;
  }
}
