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
    // Reading the cookie named `session` is reading the session cookie, which the Lax setting governs (iris-web).
    'flask-csrf-protect-missing/same-site-lax-session-cookie-read': 'medium',
    // HTTP Basic that only a filled environment setting turns on does not keep Lax from counting.
    'flask-csrf-protect-missing/optional-basic-auth': 'medium',
    'flask-csrf-protect-missing/basic-auth-always': 'high',
    'quart-csrf-protection-missing/same-site-strict': 'low',
    'quart-csrf-protection-missing/same-site-lax': 'medium',
    'quart-csrf-protection-missing/quart-auth-strict': 'low',
    'quart-csrf-protection-missing/quart-auth-default': 'high',
    'starlette-csrf-protection-missing/same-site-strict': 'low',
    'starlette-csrf-protection-missing/same-site-lax': 'medium',
    // Starlette writes its default same_site="lax" into the cookie itself: credited as Lax (issue 9).
    'starlette-csrf-protection-missing/same-site-default': 'medium',
    'starlette-csrf-protection-missing/same-site-none': 'high',
    // A login cookie the app sets itself: the call shows every attribute, Starlette's default lax included.
    'starlette-csrf-protection-missing/login-cookie-default-lax': 'medium',
    'starlette-csrf-protection-missing/login-cookie-same-site-none': 'high',
    // The login cookie written through a project helper that names it and passes samesite on (phoenix's _set_cookie).
    'starlette-csrf-protection-missing/login-cookie-helper-strict': 'low',
    'starlette-csrf-protection-missing/login-cookie-helper-none': 'high',
    'tornado-xsrf-disabled/same-site-strict': 'low',
    'tornado-xsrf-disabled/same-site-lax': 'medium',
    'drf-csrf-enforcement-disabled/jwt-cookie': 'high',
    'drf-csrf-enforcement-disabled/jwt-cookie-lax': 'medium',
    // Pyramid >= 1.10 writes its AuthTkt default samesite="Lax" into the cookie; samesite=None written out writes none.
    'pyramid-csrf-protection-missing/authtkt-default-lax': 'medium',
    'pyramid-csrf-protection-missing/authtkt-same-site-none': 'high',
  };
  for (const [fixtureCase, severity] of Object.entries(expected)) {
    test(`${fixtureCase}: ${severity}`, async () => {
      assert.equal(await severityOf(fixtureCase), severity);
    });
  }
});

describe('a DRF JWT read from the cookie JWT_AUTH_COOKIE names (issue 9)', () => {
  test('the finding names the setting, the cookie and the list that makes the class authenticate; an explicit Lax is named in the hint', async () => {
    const plain = await check({ paths: ['.'], cwd: copyFixture(path.join(FIXTURES, 'drf-csrf-enforcement-disabled/jwt-cookie')), includeTests: true });
    const [finding] = plain.findings;
    assert.match(finding!.message, /^`JWT_AUTH_COOKIE` makes djangorestframework-jwt's `JSONWebTokenAuthentication` take the JWT from the `jwt` cookie/);
    assert.match(finding!.hint!, /listed in DEFAULT_AUTHENTICATION_CLASSES, config\/settings\.py:10/);
    const lax = await check({ paths: ['.'], cwd: copyFixture(path.join(FIXTURES, 'drf-csrf-enforcement-disabled/jwt-cookie-lax')), includeTests: true });
    assert.match(lax.findings[0]!.hint!, /`JWT_AUTH_SAMESITE = "Lax"` \(config\/settings\.py:\d+\) keeps the cookie off cross-site posts/);
  });
});
