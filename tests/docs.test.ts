import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { renderRuleDoc } from '../src/rules/doc.js';
import { OPTIONS } from '../src/cli/args.js';
import { RULES } from '../src/rules/index.js';
import { REPO_ROOT } from './support/paths.js';

const docsDirectory = path.join(REPO_ROOT, 'docs', 'rules');

describe('docs', () => {
  test('docs/rules holds exactly one page per rule, as generated (npm run docs)', () => {
    assert.deepEqual(readdirSync(docsDirectory).sort(), RULES.map((rule) => `${rule.id}.md`).sort());
    for (const rule of RULES) {
      assert.equal(readFileSync(path.join(docsDirectory, `${rule.id}.md`), 'utf8'), renderRuleDoc(rule), `${rule.id}.md is stale: run npm run docs`);
    }
  });

  test('the README lists every rule with its framework and page, and documents every check option', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    for (const rule of RULES) assert.match(readme, new RegExp(`^\\| ${rule.code} \\| [^|]+ \\| \\[\`${rule.id}\`\\]\\(docs/rules/${rule.id}\\.md\\) \\| .+ \\|$`, 'm'), rule.id);
    for (const [name, spec] of Object.entries(OPTIONS)) {
      const spellings = spec.type === 'boolean' ? [`--${name}`, `--[no-]${name}`, `--no-${name}`] : [`--${name}`];
      assert.ok(spellings.some((spelling) => readme.includes(spelling)), name);
    }
  });
});
