import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { findConfig } from '../src/config/config.js';
import { optionsFromConfig } from '../src/config/options.js';
import { check } from '../src/engine.js';
import { RULES } from '../src/rules/index.js';
import { expectationKey, readExpectations } from './support/expectations.js';
import { FIXTURES } from './support/paths.js';
import { copyFixture } from './support/projects.js';

/** `tests/fixtures/<rule-id or group>/<case>/`: each case is a small project scanned on its own. */
function fixtureCases(): Array<{ group: string; name: string; directory: string }> {
  return readdirSync(FIXTURES)
    .sort()
    .flatMap((group) =>
      readdirSync(path.join(FIXTURES, group))
        .sort()
        .map((name) => ({ group, name, directory: path.join(FIXTURES, group, name) }))
        .filter(({ directory }) => statSync(directory).isDirectory()),
    );
}

describe('fixtures: exactly the annotated (rule, line) pairs are reported', () => {
  for (const { group, name, directory } of fixtureCases()) {
    test(`${group}/${name}`, async () => {
      assert.ok(['pyproject.toml', 'manage.py'].some((marker) => existsSync(path.join(directory, marker))), 'a fixture case is a project: give it a pyproject.toml');
      const copy = copyFixture(directory);
      const configured = optionsFromConfig(findConfig(copy));
      const result = await check({ ...configured, paths: ['.'], cwd: copy, includeTests: true, respectGitignore: false });
      const shown = result.findings.filter((finding) => !finding.suppressed);
      const reported = shown.map((finding) => expectationKey(finding.rule, finding.path, finding.line, finding.context)).sort();
      const expectations = readExpectations(directory);
      assert.deepEqual(reported, [...expectations.reported].sort());
      const reportedPlaces = new Set(shown.map((finding) => expectationKey(finding.rule, finding.path, finding.line)));
      for (const forbidden of expectations.notReported) assert.ok(!reportedPlaces.has(forbidden), `reported although marked ok: ${forbidden}`);
      const unfiltered = await check({ ...configured, paths: ['.'], cwd: copy, includeTests: true, respectGitignore: false, prefilter: false });
      // Hints name related code (the views a decorator is put on) only from the files that were parsed.
      const withoutHints = (findings: typeof result.findings) => findings.map(({ hint: _, ...finding }) => finding);
      assert.deepEqual(withoutHints(unfiltered.findings), withoutHints(result.findings), 'the prefilter changed the findings');
    });
  }
});

describe('fixtures scanned all at once', () => {
  test('projects in one tree do not leak into each other: the union of every case is reported', async () => {
    const result = await check({ paths: ['.'], cwd: copyFixture(FIXTURES), includeTests: true, respectGitignore: false });
    // Opt-in rules and options such as report-broken-forms and report-guarded-exemptions are set by each case's own configuration, which a scan of the whole tree does not read.
    const cases = fixtureCases();
    const configured = cases.filter(({ directory }) => {
      const options = optionsFromConfig(findConfig(directory));
      return options.reportBrokenForms === true || options.reportGuardedExemptions === true;
    });
    const isConfigured = (key: string) => configured.some(({ group, name }) => key.split(' ')[1]!.startsWith(`${group}/${name}/`));
    const reported = result.findings
      .filter((finding) => !finding.suppressed)
      .map((finding) => expectationKey(finding.rule, finding.path, finding.line, finding.context))
      .filter((key) => !isConfigured(key))
      .sort();
    const optIn = new Set(RULES.filter((rule) => rule.optIn).map((rule) => rule.id));
    const expected = cases.filter((fixtureCase) => !configured.includes(fixtureCase)).flatMap(({ group, name, directory }) =>
      [...readExpectations(directory).reported].filter((key) => !optIn.has(key.split(' ')[0]!)).map((key) => key.replace(' ', ` ${group}/${name}/`)),
    );
    const missing = expected.filter((key) => !reported.includes(key));
    const extra = reported.filter((key) => !expected.includes(key));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  });
});
