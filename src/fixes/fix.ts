import type { FormToken } from '../templates/form-token.js';

/** A replacement of `text.slice(start, end)`, in UTF-16 offsets of the file's decoded text (as LSP counts by default). */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * A change that resolves or silences one finding. `safe` keeps what the code does for every
 * client; `unsafe` changes behaviour (a client without a token is now rejected).
 */
export interface Fix {
  title: string;
  applicability: 'safe' | 'unsafe' | 'suppression';
  edits: TextEdit[];
}

/** What a fix reads of a finding: its rule and where it is, and what the project model says the fix needs. */
export interface FixableFinding {
  rule: string;
  /** A template form's: the token its server expects (see `expectedFormToken`); no token fix without it. */
  expectedToken?: FormToken;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** The text with the edits made; edits that overlap an earlier one are left out and not returned as applied. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let result = '';
  let copiedTo = 0;
  for (const edit of ordered) {
    result += text.slice(copiedTo, edit.start) + edit.newText;
    copiedTo = edit.end;
  }
  return result + text.slice(copiedTo);
}

/** Offsets where each line starts, after each `\n`: Python text has its lone `\r` made `\n` first (`withPythonLineBreaks`), templates count `\n` only. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

/** The text of a 1-based line, without its line break. */
export function lineText(text: string, starts: readonly number[], line: number): string {
  const start = starts[line - 1];
  if (start === undefined) return '';
  const end = starts[line] ?? text.length + 1;
  return text.slice(start, end - 1).replace(/\r$/, '');
}

export function indentationOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** The file's own line break, so that an inserted line does not mix `\r\n` and `\n`. */
export function lineBreakOf(text: string): string {
  const first = text.indexOf('\n');
  return first > 0 && text[first - 1] === '\r' ? '\r\n' : '\n';
}
