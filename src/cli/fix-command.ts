import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { GuardedFileError } from '../discover/guarded-files.js';
import type { CheckResult } from '../finding.js';
import { FileChangedError, type FixLevel, planFixes, writeFixedFile } from '../fixes/apply-fixes.js';
import type { Project } from '../project/project.js';
import { escapeTerminal } from '../report/escape.js';

/** As Ruff's `--diff`: the diff of every file a fix would change on stdout; exit 1 when there is one. */
export async function printFixDiffs(result: CheckResult, cwd: string, level: FixLevel, project: Project): Promise<number> {
  const planned = await planFixes(result.findings, cwd, level, project);
  for (const file of planned) {
    const name = escapeTerminal(file.path);
    process.stdout.write(terminalSafePatch(createTwoFilesPatch(`a/${name}`, `b/${name}`, file.before, file.after, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY })));
  }
  const count = planned.reduce((total, file) => total + file.fixed.length, 0);
  process.stderr.write(count === 0 ? 'csrflint: no fixes available\n' : `csrflint: would fix ${plural(count)}\n`);
  return count === 0 ? 0 : 1;
}

/** Writes the fixes and hands back the result without the findings they fixed, for the reports and the exit code. */
export async function writeFixes(result: CheckResult, cwd: string, level: FixLevel, trustedRoots: readonly string[], project: Project): Promise<CheckResult> {
  const planned = await planFixes(result.findings, cwd, level, project);
  const fixed = new Set<object>();
  for (const file of planned) {
    try {
      writeFixedFile(file, trustedRoots);
      for (const finding of file.fixed) fixed.add(finding);
    } catch (error) {
      if (!(error instanceof FileChangedError || error instanceof GuardedFileError)) throw error;
      process.stderr.write(`csrflint: ${escapeTerminal(error.message)}\n`);
    }
  }
  if (fixed.size > 0) process.stderr.write(`csrflint: fixed ${plural(fixed.size)}\n`);
  return { ...result, findings: result.findings.filter((finding) => !fixed.has(finding)) };
}

/**
 * The patch with every line made safe for a terminal, as the text reports are: the scanned
 * repository wrote its code and file names. A CR ending a line (CRLF files) stays as it is.
 */
function terminalSafePatch(patch: string): string {
  return patch
    .split('\n')
    .map((line) => (line.endsWith('\r') ? `${escapeTerminal(line.slice(0, -1))}\r` : escapeTerminal(line)))
    .join('\n');
}

function plural(count: number): string {
  return count === 1 ? '1 finding' : `${count} findings`;
}
