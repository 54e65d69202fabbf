import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Prefilter } from '../src/prefilter.js';
import { RULES } from '../src/rules/index.js';
import { rulesThatCanReportIn } from '../src/rules/reports-at.js';
import { defineRule, type Rule } from '../src/rules/rule.js';
import { listFiles } from './support/expectations.js';
import { FIXTURES } from './support/paths.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const base = RULES.find((rule) => rule.id === 'flask-csrf-exempt')!;
/** Reads `authentication_classes` for its facts, reports only at `enforce_csrf`. */
const narrow = defineRule({ ...base, id: 'narrow', keywords: ['enforce_csrf', 'authentication_classes'], reportsAt: ['enforce_csrf'] });
/** Judges the project: reports an app missing a protection, wherever the app is. */
const projectWide = defineRule({ ...base, id: 'project-wide', judges: 'project', keywords: ['CSRFProtect', 'login'] });
const templates = defineRule({ ...base, id: 'templates', reads: 'templates', keywords: ['csrf'] });
const rules: readonly Rule[] = [narrow, projectWide, templates];
const ids = (selected: readonly Rule[]) => selected.map((rule) => rule.id);

describe('rulesThatCanReportIn', () => {
  test('a rule runs where a file holds a word it reports at, not a word it only reads facts from', () => {
    assert.deepEqual(ids(rulesThatCanReportIn({ current: [bytes('def enforce_csrf(self, request): pass\n')], committed: [undefined] }, rules)), ['narrow']);
    assert.deepEqual(ids(rulesThatCanReportIn({ current: [bytes('authentication_classes = [TokenAuthentication]\n')], committed: [undefined] }, rules)), []);
  });

  test('without reportsAt, the rule reports where its keywords are', () => {
    const withoutNarrowing = defineRule({ ...narrow, reportsAt: undefined });
    assert.deepEqual(ids(rulesThatCanReportIn({ current: [bytes('authentication_classes = []\n')], committed: [undefined] }, [withoutNarrowing])), ['narrow']);
  });

  test('a file just as committed causes nothing new elsewhere: a project-wide rule runs only where it can report', () => {
    const text = bytes('def login(request):\n    return None\n');
    assert.deepEqual(ids(rulesThatCanReportIn({ current: [text], committed: [bytes('def login(request):\n    return None\n')] }, [{ ...projectWide, reportsAt: ['CSRFProtect'] }])), []);
  });

  test('a changed file whose current or committed version holds a project-wide rule\'s word runs it (CSRFProtect(app) deleted)', () => {
    const narrowed = { ...projectWide, reportsAt: ['Flask('] };
    const deleted = { current: [bytes('from flask import Flask\n')], committed: [bytes('from flask_wtf.csrf import CSRFProtect\nCSRFProtect(app)\n')] };
    assert.deepEqual(ids(rulesThatCanReportIn(deleted, [narrowed])), ['project-wide']);
    const added = { current: [bytes('def login(request):\n    return None\n')], committed: [bytes('def index(request):\n    return None\n')] };
    assert.deepEqual(ids(rulesThatCanReportIn(added, [narrowed])), ['project-wide']);
    const unrelated = { current: [bytes('def index(request):\n    return 2\n')], committed: [bytes('def index(request):\n    return 1\n')] };
    assert.deepEqual(ids(rulesThatCanReportIn(unrelated, [narrowed])), []);
  });

  test('a new file, or no commit to compare with, runs every project-wide rule whose words it can hold or that may land elsewhere', () => {
    const narrowed = { ...projectWide, reportsAt: ['Flask('] };
    assert.deepEqual(ids(rulesThatCanReportIn({ current: [bytes('def index(request):\n    return 1\n')], committed: undefined }, [narrowed])), ['project-wide']);
    assert.deepEqual(ids(rulesThatCanReportIn({ current: [bytes('def login(request):\n    return 1\n')], committed: [undefined] }, [narrowed])), ['project-wide']);
  });

  test('a template rule has nothing to report in Python files', () => {
    assert.deepEqual(ids(rulesThatCanReportIn({ current: [bytes('csrf = None\n')], committed: undefined }, [templates])), []);
  });

  test('a rule that narrows where it reports picks among its keywords: a file holding a word it reports at holds a keyword', () => {
    for (const rule of RULES.filter((candidate) => candidate.reportsAt !== undefined)) {
      const keywords = new Prefilter(rule.keywords);
      assert.ok(rule.reportsAt!.length > 0, rule.id);
      for (const word of rule.reportsAt!) assert.ok(keywords.matches(bytes(typeof word === 'string' ? word : word.exact)), `${rule.id}: ${JSON.stringify(word)}`);
    }
  });

  test("every fixture file with a finding holds a word its rule reports at", () => {
    for (const rule of RULES.filter((candidate) => candidate.reportsAt !== undefined)) {
      const reportsAt = new Prefilter(rule.reportsAt!);
      for (const file of listFiles(FIXTURES).filter((name) => name.endsWith('.py'))) {
        const text = readFileSync(file, 'utf8');
        if (!text.includes(`ruleid: ${rule.id}`) && !text.includes(`): ${rule.id}`)) continue;
        assert.ok(reportsAt.matches(bytes(text)), `${path.relative(FIXTURES, file)} holds no word ${rule.id} reports at`);
      }
    }
  });

  test('a word may be matched whole: a method named authenticate, not is_authenticated', () => {
    const drf = RULES.find((rule) => rule.id === 'drf-csrf-enforcement-disabled')!;
    const reportsAt = new Prefilter(drf.reportsAt!);
    for (const text of ['    def authenticate(self, request):\n', '    async def authenticate (self, request):\n', '    authenticate = staticmethod(check)\n', 'def enforce_csrf(self, request):\n']) assert.ok(reportsAt.matches(bytes(text)), text);
    for (const text of ['if request.user.is_authenticated:\n', 'authentication_classes = [TokenAuthentication]\n', 'def authenticate_header(self, request):\n']) assert.equal(reportsAt.matches(bytes(text)), false, text);
  });
});
