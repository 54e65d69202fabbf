import { globMatcher, type GlobMatcher } from './glob.js';

/**
 * The patterns of one `.gitignore`, as git reads them (gitignore(5)), matched with `globMatcher`:
 * the file comes from the scanned repository, and a regex-based reader (the `ignore` package)
 * backtracks for minutes on a line such as `a/**\/a/**\/a/**\/b`. Case matters, as it does for git
 * on Linux.
 */
export class GitignoreRules {
  private readonly rules: GitignoreRule[];

  constructor(text: string) {
    this.rules = text.split(/\r?\n/).flatMap((line) => parseLine(line) ?? []);
  }

  /**
   * Whether `relative` (to the file's folder, with `/` between names) is ignored: the last pattern
   * that matches decides. Its parent folders are not looked at; the walk never enters an ignored one.
   */
  ignores(relative: string, isDirectory: boolean): boolean {
    const name = relative.slice(relative.lastIndexOf('/') + 1);
    for (let index = this.rules.length - 1; index >= 0; index--) {
      const rule = this.rules[index]!;
      if (rule.directoryOnly && !isDirectory) continue;
      if (rule.anchored ? rule.matches(relative) : rule.matches(name)) return !rule.negated;
    }
    return false;
  }
}

interface GitignoreRule {
  /** Given the whole relative path when `anchored`, else only the last name. */
  matches: GlobMatcher;
  /** Relative to the file's folder; otherwise the pattern names a file or folder at any depth. */
  anchored: boolean;
  negated: boolean;
  directoryOnly: boolean;
}

function parseLine(line: string): GitignoreRule | undefined {
  let pattern = withoutTrailingSpaces(line);
  if (pattern === '' || pattern.startsWith('#')) return undefined;
  const negated = pattern.startsWith('!');
  if (negated) pattern = pattern.slice(1);
  const directoryOnly = pattern.endsWith('/');
  if (directoryOnly) pattern = pattern.slice(0, -1);
  if (pattern === '') return undefined;
  // A slash before the end anchors the pattern to the file's folder; without one it names a file or folder at any depth.
  const anchored = pattern.includes('/');
  if (!anchored) return { matches: nameMatcher(pattern), anchored, negated, directoryOnly };
  const glob = pattern.replace(/^\//, '');
  // `a/**` is everything inside `a`, not `a` itself as it is for `globMatcher`.
  const insideOnly = glob.endsWith('/**') ? `${glob}/*` : glob;
  return { matches: hasGlobSyntax(insideOnly) ? globMatcher(insideOnly, { braces: false }) : equalTo(insideOnly.replace(/^\.\//, '')), anchored, negated, directoryOnly };
}

/**
 * A pattern without a slash, matched against a file or folder's own name (as `**\/pattern` against
 * its path: no `*`, `?` or class crosses a slash). Most lines of a `.gitignore` are such names
 * (`__pycache__`, `.env`) or suffixes (`*.pyc`), compared as text rather than run as an automaton.
 */
function nameMatcher(pattern: string): GlobMatcher {
  if (!hasGlobSyntax(pattern)) return equalTo(pattern);
  const suffix = pattern.slice(1);
  if (pattern.startsWith('*') && !hasGlobSyntax(suffix)) return (name) => name.endsWith(suffix);
  return globMatcher(pattern, { braces: false });
}

function equalTo(literal: string): GlobMatcher {
  return (text) => text === literal;
}

function hasGlobSyntax(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

/** Trailing spaces are dropped unless escaped with a backslash. */
function withoutTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ' && line[end - 2] !== '\\') end--;
  return line.slice(0, end);
}
