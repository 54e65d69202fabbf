import { parseArgs } from 'node:util';
import type { FileConfig } from '../config/config.js';
import type { ColorChoice } from '../report/color.js';
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from '../report/index.js';
import { findRule } from '../rules/index.js';
import type { Rule, Severity } from '../rules/rule.js';
import { UsageError } from './errors.js';

type Command =
  | { name: 'check'; options: CheckCommandOptions }
  | { name: 'rules'; json: boolean }
  | { name: 'rule'; rule: Rule }
  | { name: 'help' }
  | { name: 'version' };

/** One report to write: to `file`, or to standard output. */
export interface OutputRequest {
  format: OutputFormat;
  file?: string;
}

/**
 * What the command line says about a scan. Settings a configuration file can also hold are
 * `undefined` when the command line leaves them to the configuration.
 */
export interface CheckCommandOptions {
  paths: string[];
  outputs: OutputRequest[];
  color: ColorChoice;
  configFile?: string;
  isolated: boolean;
  settings: CommandLineSettings;
  maxFileSizeBytes: number;
  showSuppressed: boolean;
  exitZero: boolean;
  /** Exit 1 only for findings of this severity or above. */
  failOn: Severity;
  /** Findings only: no summary, and no note saying where file reports went. */
  quiet: boolean;
  /** A count per rule instead of the findings. */
  statistics: boolean;
  writeBaseline?: string;
  diffBase?: string;
  jobs?: number;
  /** `undefined`: the default folder; `false`: `--no-cache`. */
  cacheDirectory?: string | false;
  /** `--no-memo`: never answer from, nor write, the memo of the last whole run (facts are still cached). */
  noMemo?: boolean;
  /** `--fix` writes the fixes, `--diff` prints them; `unsafe` (`--unsafe-fixes`) adds those that change behaviour. */
  fixes?: { mode: 'write' | 'diff'; level: 'safe' | 'unsafe' };
}

/** The configuration keys, as given on the command line: globs and files relative to the working directory. */
type CommandLineSettings = FileConfig;

export const OPTIONS = {
  format: { type: 'string', multiple: true },
  output: { type: 'string', short: 'o' },
  color: { type: 'string', default: 'auto' },
  config: { type: 'string' },
  isolated: { type: 'boolean', default: false },
  select: { type: 'string', multiple: true },
  ignore: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'extend-exclude': { type: 'string', multiple: true },
  'per-file-ignores': { type: 'string', multiple: true },
  'include-tests': { type: 'boolean' },
  'template-dirs': { type: 'string', multiple: true },
  'respect-gitignore': { type: 'boolean' },
  gitignore: { type: 'boolean' },
  'force-exclude': { type: 'boolean' },
  'require-reason': { type: 'boolean' },
  'report-unused-suppressions': { type: 'boolean' },
  'report-broken-forms': { type: 'boolean' },
  'report-guarded-exemptions': { type: 'boolean' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  'show-suppressed': { type: 'boolean', default: false },
  'diff-base': { type: 'string' },
  'max-file-size': { type: 'string', default: '5' },
  jobs: { type: 'string', short: 'j' },
  'cache-dir': { type: 'string' },
  cache: { type: 'boolean' },
  memo: { type: 'boolean' },
  'exit-zero': { type: 'boolean', default: false },
  'fail-on': { type: 'string', default: 'low' },
  quiet: { type: 'boolean', short: 'q', default: false },
  statistics: { type: 'boolean', default: false },
  fix: { type: 'boolean', default: false },
  'unsafe-fixes': { type: 'boolean', default: false },
  diff: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'V', default: false },
} as const;

export function parseCommand(argv: readonly string[]): Command {
  const { values, positionals } = parseOrExplain(argv);
  if (values.version) return { name: 'version' };
  const [commandName, ...rest] = positionals;
  if (values.help || commandName === undefined || commandName === 'help') return { name: 'help' };
  switch (commandName) {
    case 'check':
      return { name: 'check', options: checkOptions(values, rest) };
    case 'rules':
      return { name: 'rules', json: parseRulesFormat(values.format) };
    case 'rule':
      return { name: 'rule', rule: ruleNamed(rest[0]) };
    default:
      throw new UsageError(`unknown command '${commandName}' (expected check, endpoints, server, rules or rule)`);
  }
}

function parseOrExplain(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, allowNegative: true, strict: true });
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(explainParseError(error));
    throw error;
  }
}

/** Node's text for an unknown option is long and suggests nothing; name the option meant instead. */
function explainParseError(error: TypeError): string {
  const unknown = (error as TypeError & { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /^Unknown option '([^']+)'/.exec(error.message)?.[1] : undefined;
  if (unknown === undefined) return error.message;
  const suggestion = closestOption(unknown);
  return `unknown option '${unknown}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`;
}

function closestOption(given: string): string | undefined {
  const name = given.replace(/^-+/, '').split('=')[0] ?? '';
  const candidates = Object.entries(OPTIONS).flatMap(([option, spec]) => (spec.type === 'boolean' ? [option, `no-${option}`] : [option]));
  let best: { option: string; distance: number } | undefined;
  for (const option of candidates) {
    const distance = editDistance(name, option);
    if (distance <= Math.max(1, Math.floor(option.length / 3)) && (!best || distance < best.distance)) best = { option, distance };
  }
  return best ? `--${best.option}` : undefined;
}

/** Levenshtein distance; option names are short, so the quadratic table is tiny. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

type ParsedValues = ReturnType<typeof parseOrExplain>['values'];

function checkOptions(values: ParsedValues, paths: string[]): CheckCommandOptions {
  return {
    paths: paths.length > 0 ? paths : ['.'],
    outputs: parseOutputs(values.format ?? [], values.output),
    color: parseColor(values.color),
    ...(values.config !== undefined ? { configFile: values.config } : {}),
    isolated: values.isolated,
    settings: commandLineSettings(values),
    maxFileSizeBytes: parseMegabytes(values['max-file-size']),
    showSuppressed: values['show-suppressed'],
    exitZero: values['exit-zero'],
    failOn: parseSeverity(values['fail-on']),
    quiet: values.quiet,
    statistics: values.statistics,
    ...(values['write-baseline'] !== undefined ? { writeBaseline: values['write-baseline'] } : {}),
    ...(values['diff-base'] !== undefined ? { diffBase: values['diff-base'] } : {}),
    ...(values.jobs !== undefined ? { jobs: parseJobs(values.jobs) } : {}),
    ...cacheChoice(values.cache, values['cache-dir']),
    ...(values.memo === false ? { noMemo: true } : {}),
    ...fixChoice(values),
  };
}

function fixChoice(values: ParsedValues): Pick<CheckCommandOptions, 'fixes'> {
  const level = values['unsafe-fixes'] ? 'unsafe' : 'safe';
  if (values.diff) return { fixes: { mode: 'diff', level } };
  if (values.fix) return { fixes: { mode: 'write', level } };
  if (values['unsafe-fixes']) throw new UsageError('--unsafe-fixes needs --fix or --diff');
  return {};
}

function commandLineSettings(values: ParsedValues): CommandLineSettings {
  const settings: CommandLineSettings = {};
  if (values.select) settings.select = ruleNames(values.select);
  if (values.ignore) settings.ignore = ruleNames(values.ignore);
  if (values.exclude) settings.exclude = listItems(values.exclude);
  if (values['extend-exclude']) settings.extendExclude = listItems(values['extend-exclude']);
  if (values['per-file-ignores']) settings.perFileIgnores = parsePerFileIgnores(values['per-file-ignores']);
  if (values['include-tests'] !== undefined) settings.includeTests = values['include-tests'];
  if (values['template-dirs']) settings.templateDirs = listItems(values['template-dirs']);
  const respectGitignore = values['respect-gitignore'] ?? values.gitignore;
  if (respectGitignore !== undefined) settings.respectGitignore = respectGitignore;
  if (values['force-exclude'] !== undefined) settings.forceExclude = values['force-exclude'];
  if (values['require-reason'] !== undefined) settings.requireReason = values['require-reason'];
  if (values['report-unused-suppressions'] !== undefined) settings.reportUnusedSuppressions = values['report-unused-suppressions'];
  if (values['report-broken-forms'] !== undefined) settings.reportBrokenForms = values['report-broken-forms'];
  if (values['report-guarded-exemptions'] !== undefined) settings.reportGuardedExemptions = values['report-guarded-exemptions'];
  if (values.baseline !== undefined) settings.baseline = values.baseline;
  return settings;
}

/**
 * `--format sarif=report.sarif` writes to a file; a bare `--format sarif` goes to `--output` or
 * standard output, where only one report fits.
 */
function parseOutputs(formats: readonly string[], output: string | undefined): OutputRequest[] {
  const requests = (formats.length > 0 ? formats : ['full']).map((text) => {
    const [name = '', ...file] = text.split('=');
    if (!isOutputFormat(name)) throw new UsageError(`unknown --format '${name}' (expected ${OUTPUT_FORMATS.join(', ')})`);
    if (file.length > 0 && file.join('=') === '') throw new UsageError(`--format ${name}= needs a file name after '='`);
    return file.length > 0 ? { format: name, file: file.join('=') } : { format: name, ...(output !== undefined ? { file: output } : {}) };
  });
  if (output !== undefined && requests.every((request) => request.file !== output)) {
    throw new UsageError(`-o ${output} names no report: every --format has its own =FILE (add a --format without =FILE to write one to ${output})`);
  }
  const toStandardOutput = requests.filter((request) => request.file === undefined);
  if (toStandardOutput.length > 1) throw new UsageError(`only one --format can go to standard output; write the others to files with --format NAME=FILE`);
  const files = requests.flatMap((request) => (request.file === undefined ? [] : [request.file]));
  const repeated = files.find((file, index) => files.indexOf(file) !== index);
  if (repeated !== undefined) throw new UsageError(`two reports would be written to '${repeated}'`);
  return requests;
}

/** `--per-file-ignores 'tests/*.py:CSRF102,CSRF203'`, repeatable. */
function parsePerFileIgnores(entries: readonly string[]): Record<string, string[]> {
  const table: Record<string, string[]> = {};
  for (const entry of entries) {
    const separator = entry.lastIndexOf(':');
    if (separator <= 0) throw new UsageError(`--per-file-ignores takes GLOB:RULES, e.g. 'hooks/*.py:CSRF102', not '${entry}'`);
    const glob = entry.slice(0, separator);
    table[glob] = [...(table[glob] ?? []), ...ruleNames([entry.slice(separator + 1)])];
  }
  return table;
}

function parseJobs(text: string): number {
  const jobs = Number(text);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs takes a whole number of threads (1 or more), not '${text}'`);
  return jobs;
}

function cacheChoice(cache: boolean | undefined, directory: string | undefined): { cacheDirectory?: string | false } {
  if (cache === false && directory !== undefined) throw new UsageError('--no-cache and --cache-dir exclude each other');
  if (cache === false) return { cacheDirectory: false };
  return directory === undefined ? {} : { cacheDirectory: directory };
}

function parseRulesFormat(formats: readonly string[] | undefined): boolean {
  const format = formats?.at(-1);
  if (format === undefined || format === 'text') return false;
  if (format === 'json') return true;
  throw new UsageError(`unknown --format '${format}' for rules (expected text or json)`);
}

function parseSeverity(severity: string): Severity {
  if (severity === 'low' || severity === 'medium' || severity === 'high') return severity;
  throw new UsageError(`unknown --fail-on '${severity}' (expected low, medium or high)`);
}

function parseColor(color: string): ColorChoice {
  if (color === 'auto' || color === 'always' || color === 'never') return color;
  throw new UsageError(`unknown --color '${color}' (expected auto, always or never)`);
}

function parseMegabytes(text: string): number {
  const megabytes = Number(text);
  if (!Number.isFinite(megabytes) || megabytes <= 0) throw new UsageError(`--max-file-size takes a positive number of megabytes, not '${text}'`);
  return Math.round(megabytes * 1024 * 1024);
}

function ruleNamed(idOrCode: string | undefined): Rule {
  if (idOrCode === undefined) throw new UsageError('csrflint rule needs a rule id or code (see csrflint rules)');
  const rule = findRule(idOrCode);
  if (!rule) throw new UsageError(`unknown rule '${idOrCode}' (see csrflint rules)`);
  return rule;
}

/** Rule ids or codes, comma-separated or repeated; each must name a rule. */
function ruleNames(lists: readonly string[]): string[] {
  const names = listItems(lists);
  for (const name of names) ruleNamed(name);
  return names;
}

function listItems(lists: readonly string[]): string[] {
  return lists
    .flatMap((list) => list.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
