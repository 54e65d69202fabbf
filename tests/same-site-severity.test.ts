import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { check } from '../src/engine.js';
import { FIXTURES } from './support/paths.js';
import { copyFixture } from './support/projects.js';

/** The severity of the one finding of a fixture case. */
async function severityOf(fixtureCase: string): Promise<string | undefined> {
  const result = await check({ paths: ['.'], cwd: copyFixture(path.join(FIXTURES, fixtureCase)), includeTests: true });
  assert.equal(result.findings.length, 1, fixtureCase);
  return result.findings[0]?.severity;
}

describe('a session cookie set SameSite lowers an unprotected app finding: Strict to low, an explicit Lax to medium', () => {
  const expected: Record<string, string> = {
    'flask-csrf-protect-missing/same-site-strict': 'low',
    'flask-csrf-protect-missing/same-site-lax': 'medium',
    // HTTP Basic that only a filled environment setting turns on does not keep Lax from counting.
    'flask-csrf-protect-missing/optional-basic-auth': 'medium',
    'flask-csrf-protect-missing/basic-auth-always': 'high',
    'quart-csrf-protection-missing/same-site-strict': 'low',
    'quart-csrf-protection-missing/same-site-lax': 'medium',
    'quart-csrf-protection-missing/quart-auth-strict': 'low',
    'quart-csrf-protection-missing/quart-auth-default': 'high',
    'starlette-csrf-protection-missing/same-site-strict': 'low',
    'starlette-csrf-protection-missing/same-site-lax': 'medium',
    'starlette-csrf-protection-missing/same-site-default': 'high',
    'tornado-xsrf-disabled/same-site-strict': 'low',
    'tornado-xsrf-disabled/same-site-lax': 'medium',
  };
  for (const [fixtureCase, severity] of Object.entries(expected)) {
    test(`${fixtureCase}: ${severity}`, async () => {
      assert.equal(await severityOf(fixtureCase), severity);
    });
  }
});
