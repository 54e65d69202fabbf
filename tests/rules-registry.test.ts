import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { check } from '../src/engine.js';
import { exampleFileOf } from '../src/rules/doc.js';
import { RULES } from '../src/rules/index.js';
import type { Rule } from '../src/rules/rule.js';
import { listFiles } from './support/expectations.js';
import { FIXTURES, REPO_ROOT } from './support/paths.js';
import { writeProject } from './support/projects.js';

async function findingsOf(rule: Rule, code: string) {
  const directory = writeProject({ 'pyproject.toml': '', [exampleFileOf(rule)]: code });
  const result = await check({ paths: ['.'], cwd: directory, rules: [rule], respectGitignore: false });
  return result.findings;
}

describe('rule registry', () => {
  test('ids and codes are unique', () => {
    assert.equal(new Set(RULES.map((rule) => rule.id)).size, RULES.length);
    assert.equal(new Set(RULES.map((rule) => rule.code)).size, RULES.length);
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      test('has a kebab-case id, a CSRF code and a one-line title and fix', () => {
        assert.match(rule.id, /^[a-z]+(-[a-z]+)+$/);
        assert.match(rule.code, /^CSRF\d{3}$/);
        for (const line of [rule.title, rule.fix]) assert.ok(line.length > 10 && !line.includes('\n'), line);
        assert.ok(rule.keywords.length > 0);
      });

      test('lives in src/frameworks/<framework>/rules/<id>.ts, or src/rules/<family>/<id>.ts when it is about no one framework', () => {
        const inFramework = path.join(REPO_ROOT, 'src', 'frameworks', rule.framework, 'rules', `${rule.id}.ts`);
        const crossCutting = path.join(REPO_ROOT, 'src', 'rules', rule.framework, `${rule.id}.ts`);
        assert.ok(existsSync(inFramework) !== existsSync(crossCutting), `${rule.id} must live in exactly one of the two`);
      });

      test('has every doc section and a reference of its own', () => {
        const { doc } = rule;
        for (const section of [doc.whatItFinds, doc.whyItMatters, doc.example, doc.useInstead, doc.whenItIsFine]) {
          assert.ok(section.trim().length > 20);
        }
        assert.ok(doc.references.length > 0);
      });

      test('has fixtures with both reported and compliant lines', () => {
        const directory = path.join(FIXTURES, rule.id);
        const text = listFiles(directory).map((file) => readFileSync(file, 'utf8')).join('\n');
        assert.ok(text.includes(`# ruleid: ${rule.id}`), 'no "# ruleid:" line');
        assert.ok(text.includes(`# ok: ${rule.id}`), 'no "# ok:" line');
      });

      test("reports its doc's example and not its 'use instead'", async () => {
        const reported = await findingsOf(rule, rule.doc.example);
        assert.ok(reported.length > 0, 'the example is not reported');
        assert.deepEqual(await findingsOf(rule, rule.doc.useInstead), []);
      });
    });
  }
});
