#!/usr/bin/env node
import path from 'node:path';
import { ConfigError } from '../config/config.js';
import { GuardedFileError, writeFileWithoutLinks } from '../discover/guarded-files.js';
import { check, checkProject } from '../engine.js';
import { ContextRoots } from '../discover/project-root.js';
import { MissingPathError } from '../discover/walk.js';
import type { CheckResult } from '../finding.js';
import type { Project } from '../project/project.js';
import { COLORS, NO_COLORS, useColor } from '../report/color.js';
import { escapeTerminal, terminalSafeResult } from '../report/escape.js';
import { isTerminalFormat, needsSourceLines, type OutputFormat, REPORTERS } from '../report/index.js';
import { renderRuleDoc } from '../rules/doc.js';
import { RULES } from '../rules/index.js';
import { SourceLinesCache } from '../source-lines.js';
import { VERSION } from '../version.js';
import { BaselineError, writeBaseline } from '../suppress/baseline.js';
import { parseCommand, type CheckCommandOptions, type OutputRequest } from './args.js';
import { scanOptions } from './scan-options.js';
import { configurationNote } from './configuration-note.js';
import { withProgressLine } from './progress.js';
import type { Severity } from '../rules/rule.js';
import { OutputError, UsageError } from './errors.js';
import { HELP } from './help.js';

const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;
const EXIT_ERROR = 2;
/** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
const EXIT_INTERRUPTED = 130;


/** options → run → report → exit code. Known mistakes print one line; bugs keep their stack. */
async function main(argv: readonly string[]): Promise<number> {
  try {
    if (argv[0] === 'server') return await runServerCommand(argv.slice(1));
    if (argv[0] === 'endpoints' && !argv.includes('--help') && !argv.includes('-h')) return await runEndpointsCommand(argv.slice(1));
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
    if (error instanceof OutputError) {
      process.stderr.write(`csrflint: error: ${error.message}\n`);
      return EXIT_ERROR;
    }
    if (error instanceof UsageError || error instanceof MissingPathError || error instanceof ConfigError || error instanceof BaselineError || error instanceof GuardedFileError) {
      process.stderr.write(`csrflint: error: ${error.message}\nRun 'csrflint --help' for usage.\n`);
      return EXIT_ERROR;
    }
    process.stderr.write(`csrflint: internal error, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_ERROR;
  }
}

/** `--stdio` is accepted and changes nothing: many LSP clients add it, and stdio is the only transport. */
async function runServerCommand(options: readonly string[]): Promise<number> {
  const unknown = options.find((option) => option !== '--stdio');
  if (unknown !== undefined) throw new UsageError(`csrflint server takes no option but --stdio (got '${unknown}')`);
  // Loaded only when asked for: the language server library costs every `check` (a pre-commit call) start-up time.
  const { runServer } = await import('../server/language-server.js');
  return runServer(process.stdin, process.stdout);
}

async function runEndpointsCommand(argv: readonly string[]): Promise<number> {
  const { parseEndpointsCommand, runEndpoints } = await import('./endpoints-command.js');
  return runEndpoints(parseEndpointsCommand(argv), (scan) => scanOptions(scan, process.cwd()).options);
}

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 };

async function runCheck(command: CheckCommandOptions): Promise<number> {
  const cwd = process.cwd();
  const startedAt = new Date();
  const { options, loaded } = scanOptions(command, cwd);
  const stop = () => process.exit(EXIT_INTERRUPTED);
  // Fixes need the project model; a plain check may be answered from the last run's memo.
  const checked = await withProgressLine(process.stderr, process.env, process, stop, (onProgress): Promise<{ result: CheckResult; project?: Project }> => {
    const withProgress = { ...options, ...(onProgress ? { onProgress } : {}) };
    return command.fixes || command.noMemo ? checkProject(withProgress) : check({ ...withProgress, rememberResult: true }).then((result) => ({ result }));
  });
  let { result } = checked;
  if (result.stats.filesSeen === 0) process.stderr.write('csrflint: warning: No Python files found under the given path(s)\n');
  const note = command.outputs.some(({ format }) => isLogFormat(format)) ? configurationNote(loaded, result, cwd) : undefined;
  if (note && !command.quiet) process.stderr.write(escapeTerminal(note.trimEnd()) + '\n');
  const trustedRoots = [cwd, ...command.paths.map((scanned) => path.resolve(cwd, scanned))];
  if (command.writeBaseline !== undefined) return recordBaseline(command.writeBaseline, result, cwd, trustedRoots);
  if (command.fixes?.mode === 'diff') return (await import('./fix-command.js')).printFixDiffs(result, cwd, command.fixes.level, checked.project!);
  if (command.fixes?.mode === 'write') result = await (await import('./fix-command.js')).writeFixes(result, cwd, command.fixes.level, trustedRoots, checked.project!);
  await writeReports(command, result, cwd, startedAt, trustedRoots);
  if (command.exitZero) return EXIT_CLEAN;
  // Code csrflint could not read must not pass as clean: fail closed.
  if (result.errors.some((error) => error.blocking)) return EXIT_ERROR;
  const failing = result.findings.some((finding) => !finding.suppressed && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[command.failOn]);
  return failing ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** Each requested format to its file or to standard output; file problems to stderr beside text reports. */
async function writeReports(command: CheckCommandOptions, result: CheckResult, cwd: string, startedAt: Date, trustedRoots: readonly string[]): Promise<void> {
  if (command.outputs.some(({ format }) => isTerminalFormat(format))) writeScanErrors(result);
  const palette = useColor(command.color, process.stdout, process.env) ? COLORS : NO_COLORS;
  const sourceLines = command.outputs.some(({ format }) => needsSourceLines(format)) ? await reportedSources(result, cwd) : new Map<string, string[]>();
  const shared = { showSuppressed: command.showSuppressed, quiet: command.quiet, statistics: command.statistics, startedAt, repositoryPath: repositoryPathOf(cwd) };
  const logSafe = { result: terminalSafeResult(result), sourceLines: new Map([...sourceLines].map(([file, lines]) => [escapeTerminal(file), lines.map(escapeTerminal)])) };
  for (const output of command.outputs) {
    const context = { ...shared, sourceLines: isLogFormat(output.format) ? logSafe.sourceLines : sourceLines, palette: output.file === undefined ? palette : NO_COLORS };
    writeReport(output, REPORTERS[output.format](isLogFormat(output.format) ? logSafe.result : result, context), cwd, trustedRoots);
  }
  // With every report in a file the terminal would stay blank: say where they went.
  if (!command.quiet && command.outputs.every((output) => output.file !== undefined)) {
    for (const output of command.outputs) process.stderr.write(`csrflint: wrote ${output.format} to ${output.file}\n`);
  }
}

/** Formats printed to terminals and CI logs, where a path or line of code could carry control sequences. */
function isLogFormat(format: OutputFormat): boolean {
  return isTerminalFormat(format) || format === 'github';
}

/** `services/web/` when csrflint runs there inside a repository; `` at its root or outside any. */
function repositoryPathOf(cwd: string): string {
  const root = new ContextRoots().repositoryOf(cwd);
  const relative = root === undefined ? '' : path.relative(root, cwd).split(path.sep).join('/');
  return relative === '' ? '' : `${relative}/`;
}

function recordBaseline(file: string, result: CheckResult, cwd: string, trustedRoots: readonly string[]): number {
  let count: number;
  try {
    count = writeBaseline(file, result.findings, cwd, trustedRoots);
  } catch (error) {
    throw new OutputError(`cannot write the baseline to ${file} (${errorText(error)})`);
  }
  process.stderr.write(`csrflint: recorded ${count === 1 ? '1 finding' : `${count} findings`} in ${file}; scans with --baseline ${file} (or baseline = "${file}" in the configuration) hide them.\n`);
  return EXIT_CLEAN;
}

/** Never through a link: a scanned repository may have committed `report.sarif -> ~/.bashrc`. */
function writeReport(output: OutputRequest, report: string, cwd: string, trustedRoots: readonly string[]): void {
  if (output.file === undefined) {
    process.stdout.write(report);
    return;
  }
  const target = path.resolve(cwd, output.file);
  try {
    writeFileWithoutLinks(target, report, trustedRoots);
  } catch (error) {
    throw new OutputError(`cannot write the ${output.format} report to ${output.file} (${errorText(error)})`);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** In text formats, unreadable or broken files go to stderr so that stdout stays parseable. */
function writeScanErrors(result: CheckResult): void {
  for (const error of result.errors) process.stderr.write(`csrflint: ${escapeTerminal(error.path)}: ${escapeTerminal(error.message)}\n`);
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
