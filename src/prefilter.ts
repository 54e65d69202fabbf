import type { Rule } from './rules/rule.js';

/**
 * A word the prefilter looks for. Text is matched in any case, anywhere (`'csrf'` finds
 * `CSRFProtect`). Where every spelling the rules read is known, an exact word is matched as written
 * (Python names and settings keys are case-sensitive): `wordStart`, not right after a letter or
 * digit (`_session` and `.session` are found, `MediaKeySession` is not); `notBeforeCapital`, not
 * right before an upper-case letter (`sessionStorage`, a JavaScript name in a vendored string);
 * `wordEnd`, not right before a letter, digit or underscore (a method named `authenticate`, not
 * `is_authenticated`).
 */
export type Keyword = string | ExactKeyword;

export interface ExactKeyword {
  exact: string;
  wordStart?: true;
  notBeforeCapital?: true;
  wordEnd?: true;
}

/**
 * Decides from a Python file's raw bytes, before any parsing, whether it can matter to the rules: most
 * files of a real project (models, migrations, utilities) hold none of their words. Matching is
 * byte-level; it only has to be cheap and never miss, not to be exact.
 */
export class Prefilter {
  private readonly anyCase: RegExp | undefined;
  private readonly asWritten: RegExp | undefined;

  /** Plain data: worker threads rebuild the prefilter from them. */
  constructor(readonly words: readonly Keyword[]) {
    const anyCase = [...new Set(words.filter((word) => typeof word === 'string').map((word) => escapeRegExp(word.toLowerCase())))];
    const asWritten = [...new Set(words.filter((word) => typeof word !== 'string').map(exactPattern))];
    this.anyCase = anyCase.length > 0 ? new RegExp(anyCase.join('|'), 'i') : undefined;
    this.asWritten = asWritten.length > 0 ? new RegExp(asWritten.join('|')) : undefined;
  }

  static forRules(rules: readonly Rule[]): Prefilter {
    // A template rule names the words of the Python facts it reads (a renamed CSRF field, say).
    return new Prefilter(rules.filter((rule) => (rule.reads ?? 'python') !== 'suppressions').flatMap((rule) => rule.keywords));
  }

  /** Without words, every file matters. */
  matches(bytes: Uint8Array): boolean {
    if (!this.anyCase && !this.asWritten) return true;
    return this.matchesText(latin1Text(bytes));
  }

  /** `matches` on bytes already read as `latin1Text`: a search of one file for several prefilters reads it once. */
  matchesText(text: string): boolean {
    if (!this.anyCase && !this.asWritten) return true;
    return (this.anyCase?.test(text) ?? false) || (this.asWritten?.test(text) ?? false);
  }
}

/** Bytes as one character each: the prefilter's words are ASCII, and no byte may fail to decode. */
export function latin1Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function exactPattern({ exact, wordStart, notBeforeCapital, wordEnd }: ExactKeyword): string {
  return `${wordStart ? '(?<![A-Za-z0-9])' : ''}${escapeRegExp(exact)}${notBeforeCapital ? '(?![A-Z])' : ''}${wordEnd ? '(?![A-Za-z0-9_])' : ''}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
