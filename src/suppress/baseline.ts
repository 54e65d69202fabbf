import path from 'node:path';
import { GuardedFileError, readSettingsFile, writeFileWithoutLinks } from '../discover/guarded-files.js';
import type { Finding } from '../finding.js';
import { VERSION } from '../version.js';

/**
 * Findings recorded to be hidden: matched by rule, path and the fingerprint of the normalised
 * construct, never by line, so code moving up or down keeps them hidden. Paths are stored
 * relative to the baseline file, so the file works from any working directory.
 */
export interface Baseline {
  directory: string;
  keys: Set<string>;
}

interface BaselineFile {
  tool: 'csrflint';
  version: string;
  findings: Array<{ rule: string; path: string; fingerprint: string }>;
}

export class BaselineError extends Error {}

/** `tree`: the folder whose links the file may be reached through (the configuration's folder). */
export function readBaseline(file: string, tree = path.dirname(path.resolve(file))): Baseline {
  let text: string;
  try {
    text = readSettingsFile(file, tree);
  } catch (error) {
    throw new BaselineError(error instanceof GuardedFileError ? error.message : `${file}: not a csrflint baseline (cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let parsed: BaselineFile;
  try {
    parsed = JSON.parse(text) as BaselineFile;
  } catch {
    // The parser's message quotes the file; a baseline pointed at a secret must not print it.
    throw new BaselineError(`${file}: not a csrflint baseline (not valid JSON)`);
  }
  if (parsed?.tool !== 'csrflint' || !Array.isArray(parsed.findings)) throw new BaselineError(`${file}: not a csrflint baseline`);
  return { directory: path.dirname(path.resolve(file)), keys: new Set(parsed.findings.map((entry) => key(entry.rule, entry.path, entry.fingerprint))) };
}

/** Records every finding that is not otherwise suppressed; `cwd` is what finding paths are relative to. */
export function writeBaseline(file: string, findings: readonly Finding[], cwd: string, trustedRoots: readonly string[] = [cwd]): number {
  const directory = path.dirname(path.resolve(cwd, file));
  const recorded = findings
    .filter((finding) => !finding.suppressed)
    .map((finding) => ({ rule: finding.rule, path: relativeTo(directory, cwd, finding.path), fingerprint: finding.fingerprint }))
    .sort((a, b) => a.path.localeCompare(b.path) || a.rule.localeCompare(b.rule) || a.fingerprint.localeCompare(b.fingerprint));
  const content: BaselineFile = { tool: 'csrflint', version: VERSION, findings: recorded };
  writeFileWithoutLinks(path.resolve(cwd, file), `${JSON.stringify(content, null, 2)}\n`, trustedRoots);
  return recorded.length;
}

export function isInBaseline(baseline: Baseline, finding: Finding, cwd: string): boolean {
  return baseline.keys.has(key(finding.rule, relativeTo(baseline.directory, cwd, finding.path), finding.fingerprint));
}

function relativeTo(directory: string, cwd: string, findingPath: string): string {
  return path.relative(directory, path.resolve(cwd, findingPath)).split(path.sep).join('/');
}

function key(rule: string, filePath: string, fingerprint: string): string {
  return `${rule}\0${filePath}\0${fingerprint}`;
}
