import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { GuardedFileError, readSettingsFile } from '../discover/guarded-files.js';
import { isSameOrInside } from '../discover/path-inside.js';
import { ContextRoots } from '../discover/project-root.js';
import { findRule } from '../rules/index.js';

/** `[tool.csrflint]` in `pyproject.toml`, or the same keys at the top of `csrflint.toml` / `.csrflint.toml`. */
export interface FileConfig {
  select?: string[];
  ignore?: string[];
  exclude?: string[];
  extendExclude?: string[];
  perFileIgnores?: Record<string, string[]>;
  includeTests?: boolean;
  templateDirs?: string[];
  respectGitignore?: boolean;
  /** Apply `exclude` and `extend-exclude` to paths named on the command line too (as pre-commit names them). */
  forceExclude?: boolean;
  requireReason?: boolean;
  reportUnusedSuppressions?: boolean;
  reportBrokenForms?: boolean;
  reportGuardedExemptions?: boolean;
  baseline?: string;
}

export interface LoadedConfig {
  config: FileConfig;
  /** The file it was read from; paths and globs in it are relative to its folder. */
  file: string | undefined;
  directory: string;
}

/** A configuration mistake: one line naming the file and the key, exit code 2. */
export class ConfigError extends Error {}

type KeyKind = 'strings' | 'boolean' | 'string' | 'table-of-strings';

const KEYS: Record<string, { property: keyof FileConfig; kind: KeyKind }> = {
  select: { property: 'select', kind: 'strings' },
  ignore: { property: 'ignore', kind: 'strings' },
  exclude: { property: 'exclude', kind: 'strings' },
  'extend-exclude': { property: 'extendExclude', kind: 'strings' },
  'per-file-ignores': { property: 'perFileIgnores', kind: 'table-of-strings' },
  'include-tests': { property: 'includeTests', kind: 'boolean' },
  'template-dirs': { property: 'templateDirs', kind: 'strings' },
  'respect-gitignore': { property: 'respectGitignore', kind: 'boolean' },
  'force-exclude': { property: 'forceExclude', kind: 'boolean' },
  'require-reason': { property: 'requireReason', kind: 'boolean' },
  'report-unused-suppressions': { property: 'reportUnusedSuppressions', kind: 'boolean' },
  'report-broken-forms': { property: 'reportBrokenForms', kind: 'boolean' },
  'report-guarded-exemptions': { property: 'reportGuardedExemptions', kind: 'boolean' },
  baseline: { property: 'baseline', kind: 'string' },
};

const CONFIG_FILES = ['csrflint.toml', '.csrflint.toml', 'pyproject.toml'];

/** The configuration nearest to `start` (a file or folder), walking up; none found is an empty one. */
export function findConfig(start: string): LoadedConfig {
  const absolute = path.resolve(start);
  const first = existsSync(absolute) && statSync(absolute).isFile() ? path.dirname(absolute) : absolute;
  for (let directory = first; ; directory = path.dirname(directory)) {
    for (const name of CONFIG_FILES) {
      const file = path.join(directory, name);
      if (!existsSync(file)) continue;
      const config = readConfigFile(file, name !== 'pyproject.toml');
      if (config) return { config, file, directory };
    }
    if (path.dirname(directory) === directory) return { config: {}, file: undefined, directory: first };
  }
}

/** Reads a configuration file given with `--config`: it must exist and parse. */
export function loadConfigFile(file: string): LoadedConfig {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) throw new ConfigError(`${file}: no such configuration file`);
  const isPyproject = path.basename(absolute) === 'pyproject.toml';
  return { config: readConfigFile(absolute, !isPyproject) ?? {}, file: absolute, directory: path.dirname(absolute) };
}

/** A `pyproject.toml` without a `[tool.csrflint]` table is no configuration (`undefined`). */
function readConfigFile(file: string, isOwnFile: boolean): FileConfig | undefined {
  let document: Record<string, unknown>;
  let text: string;
  try {
    text = readSettingsFile(file, () => new ContextRoots().repositoryOf(path.dirname(file)) ?? path.dirname(file));
  } catch (error) {
    throw new ConfigError(error instanceof GuardedFileError ? error.message : `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`${file}${tomlPosition(error)}: not valid TOML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
  const table = isOwnFile ? document : toolTable(document);
  return table === undefined ? undefined : validate(table, file, isOwnFile ? '' : '[tool.csrflint] ');
}

/** `:3:1` from smol-toml's error, so that editors and terminals can jump to the mistake. */
function tomlPosition(error: unknown): string {
  const { line, column } = (error ?? {}) as { line?: unknown; column?: unknown };
  return typeof line === 'number' && typeof column === 'number' ? `:${line}:${column}` : '';
}

function toolTable(document: Record<string, unknown>): Record<string, unknown> | undefined {
  const tool = document.tool;
  if (typeof tool !== 'object' || tool === null) return undefined;
  const table = (tool as Record<string, unknown>).csrflint;
  return typeof table === 'object' && table !== null ? (table as Record<string, unknown>) : undefined;
}

function validate(table: Record<string, unknown>, file: string, where: string): FileConfig {
  const config: FileConfig = {};
  if (Array.isArray(table)) throw new ConfigError(`${file}: ${where || 'the file '}must be a table, not an array of tables`);
  for (const [key, value] of Object.entries(table)) {
    // Own keys only: `constructor`, `toString` or `__proto__` must not find `Object.prototype`'s members.
    const spec = Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
    if (!spec) throw new ConfigError(`${file}: unknown key '${key}' in ${where || 'the file'}(known keys: ${Object.keys(KEYS).join(', ')})`);
    (config as Record<string, unknown>)[spec.property] = checked(value, spec.kind, `${file}: ${where}'${key}'`);
  }
  // A repository's configuration names its own baseline; one outside it could be any file of the host.
  if (config.baseline !== undefined && !isSameOrInside(path.dirname(file), path.resolve(path.dirname(file), config.baseline))) {
    throw new ConfigError(`${file}: ${where}'baseline' must name a file inside ${path.dirname(file)}`);
  }
  for (const name of [...(config.select ?? []), ...(config.ignore ?? []), ...Object.values(config.perFileIgnores ?? {}).flat()]) {
    if (!findRule(name)) throw new ConfigError(`${file}: unknown rule '${name}' (see csrflint rules)`);
  }
  return config;
}

function checked(value: unknown, kind: KeyKind, label: string): unknown {
  const isStrings = (candidate: unknown) => Array.isArray(candidate) && candidate.every((item) => typeof item === 'string');
  switch (kind) {
    case 'boolean':
      if (typeof value !== 'boolean') throw new ConfigError(`${label} must be true or false`);
      return value;
    case 'string':
      if (typeof value !== 'string') throw new ConfigError(`${label} must be a string`);
      return value;
    case 'strings':
      if (!isStrings(value)) throw new ConfigError(`${label} must be a list of strings`);
      return value;
    case 'table-of-strings': {
      const entries = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : undefined;
      if (!entries || !entries.every(([, codes]) => isStrings(codes))) throw new ConfigError(`${label} must be a table of glob = [rule ids or codes]`);
      return Object.fromEntries(entries);
    }
  }
}
