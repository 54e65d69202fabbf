#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, findConfig, loadConfigFile } from '../config/config.js';
import { optionsFromConfig, withCommandLine } from '../config/options.js';
import { check, type CheckOptions } from '../engine.js';
import { ContextRoots } from '../discover/project-root.js';
import { MissingPathError } from '../discover/walk.js';
import type { CheckResult } from '../finding.js';
import { COLORS, NO_COLORS, useColor } from '../report/color.js';
import { isTerminalFormat, needsSourceLines, REPORTERS } from '../report/index.js';
import { renderRuleDoc } from '../rules/doc.js';
import { RULES } from '../rules/index.js';
import { SourceLinesCache } from '../source-lines.js';
import { VERSION } from '../version.js';
import { BaselineError, writeBaseline } from '../suppress/baseline.js';
import { parseCommand, type CheckCommandOptions, type OutputRequest } from './args.js';
import { parseEndpointsCommand, runEndpoints } from './endpoints-command.js';
import { changedFilesSince } from './changed-files.js';
import { ProgressLine } from './progress.js';
import { UsageError } from './errors.js';
import { HELP } from './help.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** Beside the configuration file, or in the working directory when there is none, as ruff does. */
const CACHE_FOLDER = '.csrflint_cache';

/** options → run → report → exit code. Known mistakes print one line; bugs keep their stack. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    if (argv[0] === 'endpoints' && !argv.includes('--help') && !argv.includes('-h')) return await runEndpoints(parseEndpointsCommand(argv.slice(1)), (scan) => scanOptions(scan, process.cwd()));
    const command = parseCommand(argv);
    switch (command.name) {
      case 'help':
        process.stdout.write(HELP);
        return EXIT_CLEAN;
      case 'version':
        process.stdout.write(`csrflint ${VERSION}\n`);
        return EXIT_CLEAN;
      case 'rules':
        process.stdout.write(command.json ? rulesJson() : rulesTable());
        return EXIT_CLEAN;
      case 'rule':
        process.stdout.write(renderRuleDoc(command.rule));
        return EXIT_CLEAN;
      case 'check':
        return await runCheck(command.options);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof MissingPathError || error instanceof ConfigError || error instanceof BaselineError) {
      process.stderr.write(`csrflint: error: ${error.message}\nRun 'csrflint --help' for usage.\n`);
      return EXIT_ERROR;
    }
    process.stderr.write(`csrflint: internal error, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_ERROR;
  }
}

async function runCheck(command: CheckCommandOptions): Promise<number> {
  const cwd = process.cwd();
  const startedAt = new Date();
  const progress = ProgressLine.forStream(process.stderr, process.env);
  const result = await check({ ...scanOptions(command, cwd), ...(progress ? { onProgress: (done: number, total: number) => progress.update(done, total) } : {}) });
  progress?.clear();
  if (command.writeBaseline !== undefined) return recordBaseline(command.writeBaseline, result, cwd);
  await writeReports(command, result, cwd, startedAt);
  const hasFindings = result.findings.some((finding) => !finding.suppressed);
  return hasFindings && !command.exitZero ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** Each requested format to its file or to standard output; file problems to stderr beside text reports. */
async function writeReports(command: CheckCommandOptions, result: CheckResult, cwd: string, startedAt: Date): Promise<void> {
  if (command.outputs.some(({ format }) => isTerminalFormat(format))) writeScanErrors(result);
  const palette = useColor(command.color, process.stdout, process.env) ? COLORS : NO_COLORS;
  const sourceLines = command.outputs.some(({ format }) => needsSourceLines(format)) ? await reportedSources(result, cwd) : new Map<string, string[]>();
  const shared = { sourceLines, showSuppressed: command.showSuppressed, startedAt, repositoryPath: repositoryPathOf(cwd) };
  for (const output of command.outputs) {
    const context = { ...shared, palette: output.file === undefined ? palette : NO_COLORS };
    writeReport(output, REPORTERS[output.format](result, context), cwd);
  }
}

/** Defaults, then the nearest configuration (or `--config`), then the command line. */
function scanOptions(command: CheckCommandOptions, cwd: string): CheckOptions {
  if (command.isolated && command.configFile !== undefined) throw new UsageError('--isolated and --config exclude each other');
  const loaded = command.isolated
    ? { config: {}, file: undefined, directory: cwd }
    : command.configFile !== undefined
      ? loadConfigFile(command.configFile)
      : findConfig(commonDirectory(command.paths.map((scanned) => path.resolve(cwd, scanned))));
  const configured = withCommandLine(loaded, command.settings, cwd);
  // A new baseline records every finding, including those the old one hides.
  if (command.writeBaseline !== undefined) delete configured.config.baseline;
  const options: CheckOptions = {
    ...optionsFromConfig(configured),
    paths: command.paths,
    cwd,
    maxFileSizeBytes: command.maxFileSizeBytes,
    ...(command.jobs !== undefined ? { jobs: command.jobs } : {}),
    ...(command.cacheDirectory !== false ? { cacheDirectory: path.resolve(cwd, command.cacheDirectory ?? path.join(loaded.file ? loaded.directory : cwd, CACHE_FOLDER)) } : {}),
  };
  if (command.diffBase !== undefined) options.changedFiles = changedFilesSince(command.diffBase, cwd);
  return options;
}

function commonDirectory(absolutePaths: readonly string[]): string {
  const [first = '.', ...rest] = absolutePaths;
  let common = first;
  for (const other of rest) {
    while (common !== path.dirname(common) && path.relative(common, other).startsWith('..')) common = path.dirname(common);
  }
  return common;
}

/** `services/web/` when csrflint runs there inside a repository; `` at its root or outside any. */
function repositoryPathOf(cwd: string): string {
  const root = new ContextRoots().repositoryOf(cwd);
  const relative = root === undefined ? '' : path.relative(root, cwd).split(path.sep).join('/');
  return relative === '' ? '' : `${relative}/`;
}

function recordBaseline(file: string, result: CheckResult, cwd: string): number {
  const count = writeBaseline(file, result.findings, cwd);
  process.stderr.write(`csrflint: recorded ${count === 1 ? '1 finding' : `${count} findings`} in ${file}; scans with --baseline ${file} (or baseline = "${file}" in the configuration) hide them.\n`);
  return EXIT_CLEAN;
}

function writeReport(output: OutputRequest, report: string, cwd: string): void {
  if (output.file === undefined) {
    process.stdout.write(report);
    return;
  }
  const target = path.resolve(cwd, output.file);
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, report);
  } catch (error) {
    throw new UsageError(`cannot write the ${output.format} report to ${output.file} (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** In text formats, unreadable or broken files go to stderr so that stdout stays parseable. */
function writeScanErrors(result: CheckResult): void {
  for (const error of result.errors) process.stderr.write(`csrflint: ${error.path}: ${error.message}\n`);
}

async function reportedSources(result: CheckResult, cwd: string): Promise<Map<string, string[]>> {
  const cache = new SourceLinesCache();
  const sources = new Map<string, string[]>();
  for (const finding of result.findings) {
    if (!sources.has(finding.path)) sources.set(finding.path, await cache.get(path.resolve(cwd, finding.path)));
  }
  return sources;
}

function rulesTable(): string {
  const rows = RULES.map((rule) => [rule.code, rule.id, rule.severity, rule.framework, rule.title]);
  const header = ['code', 'id', 'severity', 'framework', 'title'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [format(header), ...rows.map(format)].join('\n') + '\n';
}

function rulesJson(): string {
  const rules = RULES.map(({ id, code, title, severity, framework, fix }) => ({ id, code, title, severity, framework, fix }));
  return `${JSON.stringify(rules, null, 2)}\n`;
}

process.exitCode = await main(process.argv.slice(2));
