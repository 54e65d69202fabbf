import path from 'node:path';
import { writeFileWithoutLinks } from '../discover/guarded-files.js';
import { checkProject, type CheckOptions } from '../engine.js';
import { type CsrfState, CSRF_STATES } from '../endpoints/endpoint.js';
import { ENDPOINT_FORMATS, type EndpointFormat, renderInventory } from '../endpoints/formats/index.js';
import { buildInventory } from '../endpoints/inventory.js';
import { COLORS, NO_COLORS, useColor } from '../report/color.js';
import { escapeTerminal } from '../report/escape.js';
import { parseCommand, type CheckCommandOptions } from './args.js';
import { UsageError } from './errors.js';

/** What `csrflint endpoints` takes besides the scan options it shares with `check`. */
interface EndpointsCommandOptions {
  format: EndpointFormat;
  output?: string;
  only?: ReadonlySet<CsrfState>;
  scan: CheckCommandOptions;
}

/** The options only `endpoints` has, taken out before the rest is read as `check` reads it. */
const OWN_OPTIONS = new Set(['--format', '--only', '--output', '-o']);

export function parseEndpointsCommand(argv: readonly string[]): EndpointsCommandOptions {
  const own = new Map<string, string>();
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const [name = '', inlineValue] = argument.startsWith('--') ? splitOnce(argument, '=') : [argument, undefined];
    if (!OWN_OPTIONS.has(name)) {
      rest.push(argument);
      continue;
    }
    const value = inlineValue ?? argv[++index];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    own.set(name === '-o' ? '--output' : name, value);
  }
  const command = parseCommand(['check', ...rest]);
  if (command.name !== 'check') throw new UsageError('csrflint endpoints takes paths and scan options (see csrflint --help)');
  const output = own.get('--output');
  const only = own.get('--only');
  return {
    format: parseFormat(own.get('--format') ?? 'table'),
    ...(output !== undefined ? { output } : {}),
    ...(only !== undefined ? { only: parseStates(only) } : {}),
    scan: command.options,
  };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function parseFormat(name: string): EndpointFormat {
  const format = ENDPOINT_FORMATS.find((candidate) => candidate === name);
  if (!format) throw new UsageError(`unknown --format '${name}' for endpoints (expected ${ENDPOINT_FORMATS.join(', ')})`);
  return format;
}

/** `--only unprotected,exempt`. */
function parseStates(list: string): Set<CsrfState> {
  const states = list.split(',').map((item) => item.trim()).filter((item) => item !== '');
  // An unset `$STATES` in CI must not print an empty map that reads as "no endpoints".
  if (states.length === 0) throw new UsageError(`--only names no state (expected one or more of ${CSRF_STATES.join(', ')}, comma-separated)`);
  for (const state of states) {
    if (!CSRF_STATES.includes(state as CsrfState)) throw new UsageError(`unknown state '${state}' in --only (expected ${CSRF_STATES.join(', ')})`);
  }
  return new Set(states as CsrfState[]);
}

/**
 * Scans as `check` does, without the prefilter (every view matters, not only files naming CSRF),
 * then lists the endpoints with the findings about them. Exit 0: the inventory is a map, not a verdict.
 */
export async function runEndpoints(command: EndpointsCommandOptions, scanOptions: (scan: CheckCommandOptions) => CheckOptions): Promise<number> {
  const cwd = process.cwd();
  const options = scanOptions(command.scan);
  const { result, project } = await checkProject({ ...options, prefilter: false, includeTests: true });
  const inventory = buildInventory(project, result.findings, result.hiddenFindings.filter((finding) => finding.guard !== undefined));
  const shown = inventory.endpoints.filter((endpoint) => (options.includeTests === true || endpoint.context !== 'test') && (!command.only || command.only.has(endpoint.csrf)));
  for (const error of result.errors) process.stderr.write(`csrflint: ${escapeTerminal(error.path)}: ${escapeTerminal(error.message)}\n`);
  const palette = command.output === undefined && useColor(command.scan.color, process.stdout, process.env) ? COLORS : NO_COLORS;
  const text = renderInventory(command.format, { ...inventory, endpoints: shown, version: result.version }, palette);
  if (command.output === undefined) {
    process.stdout.write(text);
    return 0;
  }
  const target = path.resolve(cwd, command.output);
  try {
    // As every report: never through a link the scanned repository may have committed.
    writeFileWithoutLinks(target, text, [cwd, ...command.scan.paths.map((scanned) => path.resolve(cwd, scanned))]);
  } catch (error) {
    throw new UsageError(`cannot write the endpoints to ${command.output} (${error instanceof Error ? error.message : String(error)})`);
  }
  return 0;
}
