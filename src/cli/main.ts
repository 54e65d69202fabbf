#!/usr/bin/env node
import path from 'node:path';
import { check } from '../engine.js';
import { MissingPathError } from '../discover/walk.js';
import type { CheckResult } from '../finding.js';
import { COLORS, NO_COLORS, useColor } from '../report/color.js';
import { REPORTERS } from '../report/index.js';
import { renderRuleDoc } from '../rules/doc.js';
import { RULES } from '../rules/index.js';
import { SourceLinesCache } from '../source-lines.js';
import { VERSION } from '../version.js';
import { parseCommand, type CheckCommandOptions } from './args.js';
import { UsageError } from './errors.js';
import { HELP } from './help.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** options → run → report → exit code. Known mistakes print one line; bugs keep their stack. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
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
    if (error instanceof UsageError || error instanceof MissingPathError) {
      process.stderr.write(`csrflint: error: ${error.message}\nRun 'csrflint --help' for usage.\n`);
      return EXIT_ERROR;
    }
    process.stderr.write(`csrflint: internal error, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_ERROR;
  }
}

async function runCheck(options: CheckCommandOptions): Promise<number> {
  const result = await check({
    paths: options.paths,
    includeTests: options.includeTests,
    respectGitignore: options.respectGitignore,
    maxFileSizeBytes: options.maxFileSizeBytes,
    rules: options.rules,
  });
  const palette = useColor(options.color, process.stdout, process.env) ? COLORS : NO_COLORS;
  if (options.format !== 'json') writeScanErrors(result);
  const sourceLines = options.format === 'full' ? await reportedSources(result) : new Map();
  process.stdout.write(REPORTERS[options.format](result, { palette, sourceLines }));
  const hasFindings = result.findings.some((finding) => !finding.suppressed);
  return hasFindings && !options.exitZero ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** In text formats, unreadable or broken files go to stderr so that stdout stays parseable. */
function writeScanErrors(result: CheckResult): void {
  for (const error of result.errors) process.stderr.write(`csrflint: ${error.path}: ${error.message}\n`);
}

async function reportedSources(result: CheckResult): Promise<Map<string, string[]>> {
  const cache = new SourceLinesCache();
  const sources = new Map<string, string[]>();
  for (const finding of result.findings) {
    if (!sources.has(finding.path)) sources.set(finding.path, await cache.get(path.resolve(finding.path)));
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
