import { createHash } from 'node:crypto';
import type { SourceRange } from './python/facts.js';

/** The text of a range of lines/columns (1-based, end column exclusive). */
export function sliceRange(lines: readonly string[], range: SourceRange): string {
  if (range.line === range.endLine) return (lines[range.line - 1] ?? '').slice(range.column - 1, range.endColumn - 1);
  const first = (lines[range.line - 1] ?? '').slice(range.column - 1);
  const middle = lines.slice(range.line, range.endLine - 1);
  const last = (lines[range.endLine - 1] ?? '').slice(0, range.endColumn - 1);
  return [first, ...middle, last].join('\n');
}

/**
 * Identifies a finding without its line number, so that moving code keeps it: the rule, the file
 * (from the repository root, so that the working directory does not matter), the construct's
 * source with whitespace collapsed, and which occurrence of that same text it is.
 */
export function fingerprintOf(rule: string, pathFromRoot: string, constructSource: string, occurrence: number): string {
  const normalised = constructSource.replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(`${rule}\0${pathFromRoot}\0${normalised}\0${occurrence}`).digest('hex').slice(0, 16);
}
