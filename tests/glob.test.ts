import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ignore from 'ignore';
import picomatch from 'picomatch';
import { globMatcher } from '../src/discover/glob.js';
import { GitignoreRules } from '../src/discover/gitignore.js';

const PATHS = [
  '', 'a', 'b', 'ab', 'abc', 'a.py', 'b.py', '.hidden.py', 'a/b', 'a/b.py', 'a/b/c.py', 'a/b/c/d.py', 'x/a/b.py',
  'migrations', 'app/migrations', 'app/migrations/0001_initial.py', 'legacy', 'legacy/views.py', 'src/legacy/views.py',
  'foo_pb2.py', 'pkg/foo_pb2.py', 'tests', 'tests/test_a.py', 'a/tests/test_b.py', 'a-b', 'a]b', 'a[b', 'a,b', 'a{b}',
  'README.md', 'docs/index.html', 'a/', 'a//b', 'ab/cd/ef', 'aXbXc', 'build/lib/a.py', 'v1.py', 'v9.py', 'vx.py',
];

/** Globs as `exclude`, `extend-exclude` and `per-file-ignores` hold them. */
const CONFIG_GLOBS = [
  '*', '*.py', '**', '**/*.py', 'a/*', 'a/**', 'a/**/*.py', '**/b', '**/b.py', 'migrations', '**/migrations/**', '*_pb2.py',
  'legacy/**', 'tests/*', '?', 'a?c', 'a/b/*.py', '*/b.py', '[ab]', '[^a].py', 'v[0-9].py', 'a[]]b', 'a[b',
  '{a,b}.py', 'a/{b,x}.py', '{legacy,tests}/**', 'a/{b/c,b}.py', '{a,b{c,x}}', 'a\\*', '.hidden.py', './a/b.py',
  'a/**/b/**/c.py', 'ab/**', '*/*/*', 'a*b*c', 'a/*/c.py', 'build', 'docs/*.html',
];

describe('globMatcher agrees with picomatch (dot: true) on ordinary globs', () => {
  for (const glob of CONFIG_GLOBS) {
    test(glob, () => {
      const expected = picomatch(glob, { dot: true });
      const actual = globMatcher(glob);
      // The walk asks about names without a trailing slash, where picomatch would let one pass.
      const disagreements = PATHS.filter((candidate) => candidate !== '' && !candidate.endsWith('/') && !candidate.includes('//') && expected(candidate) !== actual(candidate));
      assert.deepEqual(disagreements, []);
    });
  }
});

test('[!a] is any character but `a`, as for git and Ruff (picomatch reads `!` and `a`)', () => {
  assert.deepEqual(['a', 'b', '!', '/'].map((candidate) => globMatcher('[!a]')(candidate)), [false, true, true, false]);
});

/** `.gitignore` files as projects write them. */
const GITIGNORES = [
  '*.py', '/a', 'a/', 'b', 'a/b', '/a/b.py', '**/b.py', 'a/**', 'a/**/d.py', '*.py\n!b.py', 'tests/\n!tests/', '# comment\n\nlegacy',
  'build/', '[ab]', '\\#x', 'migrations/', 'a?c', 'docs/*.html', 'x/**/b.py', 'a/*', 'v[0-9].py', 'a-b', 'README.md   ',
];

describe('GitignoreRules agrees with the ignore package (case-sensitive) on ordinary .gitignore files', () => {
  for (const text of GITIGNORES) {
    test(JSON.stringify(text), () => {
      const expected = ignore({ ignorecase: false }).add(text);
      const actual = new GitignoreRules(text);
      const disagreements: string[] = [];
      for (const candidate of PATHS.filter((entry) => entry !== '' && !entry.endsWith('/') && !entry.includes('//'))) {
        // The walk asks about every folder before entering it, so only the last name is looked at here.
        for (const isDirectory of [false, true]) {
          const theirs = ignore({ ignorecase: false }).add(text).test(isDirectory ? `${candidate}/` : candidate);
          const parentIgnored = candidate.split('/').slice(0, -1).some((_, index, names) => expected.ignores(`${names.slice(0, index + 1).join('/')}/`));
          if (parentIgnored) continue;
          if (theirs.ignored !== actual.ignores(candidate, isDirectory)) disagreements.push(`${candidate}${isDirectory ? '/' : ''}`);
        }
      }
      assert.deepEqual(disagreements, []);
    });
  }
});

/**
 * picomatch and `ignore` take minutes to hours on these (their regular expressions backtrack); the
 * automaton reads each path once per state. The timeouts are generous bounds, not measurements.
 */
describe('pathological globs are matched in time linear in the path', () => {
  const longName = 'a'.repeat(5_000);
  test('stars that can each take any share of a long name', { timeout: 30_000 }, () => {
    assert.equal(globMatcher('*a*a*a*a*a*a*a*a*a*a*a*a*b')(longName), false);
    assert.equal(globMatcher('*a*a*a*a*a*a*a*a*a*a*a*a*b')(`${longName}b`), true);
    assert.equal(globMatcher('{*a,a*}{*a,a*}{*a,a*}{*a,a*}{*a,a*}{*a,a*}{*a,a*}b')(longName), false);
  });

  test('folder wildcards against a deep path, in a .gitignore', { timeout: 30_000 }, () => {
    const deep = 'a/'.repeat(2_000);
    assert.equal(globMatcher('a/**/a/**/a/**/a/**/a/**/a/**/a/**/b')(deep), false);
    const rules = new GitignoreRules('a/**/a/**/a/**/a/**/a/**/a/**/b\n*a*a*a*a*a*a*a*a*a*a*b\n');
    assert.equal(rules.ignores(deep, false), false);
    assert.equal(rules.ignores(longName, false), false);
    assert.equal(rules.ignores(`${deep}b`, false), true);
  });
});
