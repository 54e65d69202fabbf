import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { check } from '../src/engine.js';
import { FIXTURES } from './support/paths.js';
import { copyFixture } from './support/projects.js';

describe('a form posting into an unprotected Flask app is ranked no higher than the app cookie SameSite setting allows (issue 9, Lookyloo)', () => {
  const expected: Record<string, string> = {
    'template-form-missing-csrf-token/flask-same-site-strict': 'low',
    'template-form-missing-csrf-token/flask-same-site-lax': 'medium',
    'template-form-missing-csrf-token/flask-server': 'high',
  };
  for (const [fixtureCase, severity] of Object.entries(expected)) {
    test(`${fixtureCase}: ${severity}`, async () => {
      const result = await check({ paths: ['.'], cwd: copyFixture(path.join(FIXTURES, fixtureCase)), includeTests: true });
      const forms = result.findings.filter((finding) => finding.rule === 'template-form-missing-csrf-token');
      assert.equal(forms.length, 1, fixtureCase);
      assert.equal(forms[0]!.severity, severity);
      if (severity !== 'high') assert.match(forms[0]!.message, /SESSION_COOKIE_SAMESITE.* keeps the session cookie off cross-site posts in current browsers/);
    });
  }
});
