import type { CheckResult, Finding, ScanError } from '../finding.js';

/**
 * Characters that reorder or hide text (bidi overrides and isolates, line and paragraph
 * separators) and controls (ESC starts terminal sequences: clipboard writes, cursor moves, hidden
 * text). A scanned repository writes the paths and code that reports show, so none of them may
 * reach a terminal, a log or a document as they are.
 */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** XML 1.0 allows no C0 control but tab and line breaks, not even as a character reference. */
const MARKUP_UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The character as visible text: `\x1B`, `\u202E`. */
function visible(character: string): string {
  const code = character.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Text for a terminal or a CI log: one line, no control sequence, no bidi trick; tabs stay. */
export function escapeTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, visible);
}

/** Escapes text for HTML and XML, in element content and in quoted attributes alike; controls XML forbids become visible. */
export function escapeHtml(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(MARKUP_UNSAFE, visible)
    .replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The result with every string the scanned repository wrote made safe for a terminal or a CI log. */
export function terminalSafeResult(result: CheckResult): CheckResult {
  const finding = (entry: Finding): Finding => ({
    ...entry,
    path: escapeTerminal(entry.path),
    message: escapeTerminal(entry.message),
    ...(entry.hint !== undefined ? { hint: escapeTerminal(entry.hint) } : {}),
    ...(entry.suppression ? { suppression: { ...entry.suppression, ...(entry.suppression.reason !== undefined ? { reason: escapeTerminal(entry.suppression.reason) } : {}) } } : {}),
  });
  const error = (entry: ScanError): ScanError => ({ ...entry, path: escapeTerminal(entry.path), message: escapeTerminal(entry.message) });
  return { ...result, findings: result.findings.map(finding), hiddenFindings: result.hiddenFindings.map(finding), errors: result.errors.map(error) };
}
