import type { Rule } from './rules/rule.js';

/**
 * Decides from a Python file's raw bytes, before any parsing, whether it can matter to the rules: most
 * files of a real project (models, migrations, utilities) hold none of their words. Matching is
 * byte-level and case-insensitive; it only has to be cheap and never miss, not to be exact.
 */
export class Prefilter {
  private readonly pattern: RegExp;

  /** Lower-case words; worker threads rebuild the prefilter from them. */
  constructor(readonly words: readonly string[]) {
    this.pattern = new RegExp(words.map(escapeRegExp).join('|'), 'i');
  }

  static forRules(rules: readonly Rule[]): Prefilter {
    // A template rule names the words of the Python facts it reads (a renamed CSRF field, say).
    const rulesReadingPython = rules.filter((rule) => (rule.reads ?? 'python') !== 'suppressions');
    return new Prefilter([...new Set(rulesReadingPython.flatMap((rule) => rule.keywords.map((keyword) => keyword.toLowerCase())))]);
  }

  matches(bytes: Uint8Array): boolean {
    return this.pattern.test(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
