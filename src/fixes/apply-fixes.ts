import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileWithoutLinks } from '../discover/guarded-files.js';
import type { Finding } from '../finding.js';
import { applyEdits, type Fix } from './fix.js';
import type { Project } from '../project/project.js';
import { fixesFor, withFixContext } from './index.js';

/** Which fixes `check --fix` makes: the safe ones, and with `--unsafe-fixes` those that change behaviour. */
export type FixLevel = 'safe' | 'unsafe';

/** One file's fixed text, and the bytes it was computed from (a write checks they are still there). */
export interface FixedFile {
  absolutePath: string;
  /** As findings show it. */
  path: string;
  before: string;
  after: string;
  beforeHash: string;
  fixed: Finding[];
}

/**
 * The fixed text of every file with fixable findings. Findings are fixed from the bottom of a file
 * up, each against the text its lower neighbours left: an edit never moves the lines above it, and
 * two deletions in one block see each other (the second leaves `pass`).
 */
export async function planFixes(findings: readonly Finding[], cwd: string, level: FixLevel, project?: Project): Promise<FixedFile[]> {
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (finding.suppressed) continue;
    const list = byFile.get(finding.path);
    if (list) list.push(finding);
    else byFile.set(finding.path, [finding]);
  }
  const planned: FixedFile[] = [];
  for (const [displayPath, fileFindings] of byFile) {
    const fixed = await fixFile(path.resolve(cwd, displayPath), displayPath, fileFindings, level, project);
    if (fixed) planned.push(fixed);
  }
  return planned;
}

async function fixFile(absolutePath: string, displayPath: string, findings: readonly Finding[], level: FixLevel, project: Project | undefined): Promise<FixedFile | undefined> {
  const bytes = readOrUndefined(absolutePath);
  const before = bytes ? strictUtf8(bytes) : undefined;
  if (before === undefined || bytes === undefined) return undefined;
  let after = before;
  const fixed: Finding[] = [];
  const bottomUp = [...findings].sort((a, b) => b.line - a.line || b.column - a.column);
  for (const finding of bottomUp) {
    const fix = (await fixesFor(withFixContext(finding, absolutePath, project), after, displayPath)).find((candidate) => isApplied(candidate, level));
    if (!fix) continue;
    after = applyEdits(after, fix.edits);
    fixed.push(finding);
  }
  if (fixed.length === 0) return undefined;
  return { absolutePath, path: displayPath, before, after, beforeHash: hashOf(bytes), fixed: fixed.reverse() };
}

function isApplied(fix: Fix, level: FixLevel): boolean {
  return fix.applicability === 'safe' || (fix.applicability === 'unsafe' && level === 'unsafe');
}

export class FileChangedError extends Error {}

/**
 * Writes the fixed text, but only over the very bytes it was computed from: a file saved by an
 * editor (or another tool) since it was read keeps its new text. Never through a link.
 */
export function writeFixedFile(file: FixedFile, trustedRoots: readonly string[]): void {
  const current = readOrUndefined(file.absolutePath);
  if (!current || hashOf(current) !== file.beforeHash) throw new FileChangedError(`${file.path} changed since it was read; not fixed`);
  writeFileWithoutLinks(file.absolutePath, file.after, trustedRoots);
}

/** Files with a byte order mark or another encoding are left alone: a fix would re-encode them. */
function strictUtf8(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function hashOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function readOrUndefined(absolutePath: string): Buffer | undefined {
  try {
    return readFileSync(absolutePath);
  } catch {
    return undefined;
  }
}
