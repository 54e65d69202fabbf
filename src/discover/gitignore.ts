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
    for (let index = this.rules.length - 1; index >= 0; index--) {
      const rule = this.rules[index]!;
      if (rule.directoryOnly && !isDirectory) continue;
      if (rule.matches(relative)) return !rule.negated;
    }
    return false;
  }
}

interface GitignoreRule {
  matches: GlobMatcher;
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
  const glob = anchored ? pattern.replace(/^\//, '') : `**/${pattern}`;
  // `a/**` is everything inside `a`, not `a` itself as it is for `globMatcher`.
  const insideOnly = glob.endsWith('/**') ? `${glob}/*` : glob;
  return { matches: globMatcher(insideOnly, { braces: false }), negated, directoryOnly };
}

/** Trailing spaces are dropped unless escaped with a backslash. */
function withoutTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ' && line[end - 2] !== '\\') end--;
  return line.slice(0, end);
}
