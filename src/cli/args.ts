import { parseArgs } from 'node:util';
import type { ColorChoice } from '../report/color.js';
import { isOutputFormat, type OutputFormat } from '../report/index.js';
import { findRule, RULES } from '../rules/index.js';
import type { Rule } from '../rules/rule.js';
import { UsageError } from './errors.js';

export type Command =
  | { name: 'check'; options: CheckCommandOptions }
  | { name: 'rules'; json: boolean }
  | { name: 'rule'; rule: Rule }
  | { name: 'help' }
  | { name: 'version' };

export interface CheckCommandOptions {
  paths: string[];
  format: OutputFormat;
  color: ColorChoice;
  rules: Rule[];
  includeTests: boolean;
  respectGitignore: boolean;
  maxFileSizeBytes: number;
  exitZero: boolean;
}

const OPTIONS = {
  format: { type: 'string' },
  color: { type: 'string', default: 'auto' },
  select: { type: 'string', multiple: true },
  ignore: { type: 'string', multiple: true },
  'include-tests': { type: 'boolean', default: false },
  'no-gitignore': { type: 'boolean', default: false },
  'max-file-size': { type: 'string', default: '5' },
  'exit-zero': { type: 'boolean', default: false },
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
      throw new UsageError(`unknown command '${commandName}' (expected check, rules or rule)`);
  }
}

function parseOrExplain(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
}

type ParsedValues = ReturnType<typeof parseOrExplain>['values'];

function checkOptions(values: ParsedValues, paths: string[]): CheckCommandOptions {
  return {
    paths: paths.length > 0 ? paths : ['.'],
    format: parseFormat(values.format ?? 'full'),
    color: parseColor(values.color),
    rules: selectRules(values.select ?? [], values.ignore ?? []),
    includeTests: values['include-tests'],
    respectGitignore: !values['no-gitignore'],
    maxFileSizeBytes: parseMegabytes(values['max-file-size']),
    exitZero: values['exit-zero'],
  };
}

function parseFormat(format: string): OutputFormat {
  if (!isOutputFormat(format)) throw new UsageError(`unknown --format '${format}' (expected full, concise or json)`);
  return format;
}

function parseRulesFormat(format: string | undefined): boolean {
  if (format === undefined || format === 'text') return false;
  if (format === 'json') return true;
  throw new UsageError(`unknown --format '${format}' for rules (expected text or json)`);
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

/** `--select` and `--ignore` take ids or codes, comma-separated or repeated. */
function selectRules(select: readonly string[], ignore: readonly string[]): Rule[] {
  const selected = select.length > 0 ? rulesNamed(select) : [...RULES];
  const ignored = new Set(rulesNamed(ignore));
  return selected.filter((rule) => !ignored.has(rule));
}

function rulesNamed(lists: readonly string[]): Rule[] {
  return lists
    .flatMap((list) => list.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map(ruleNamed);
}
