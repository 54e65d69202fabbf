import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { findConfig } from '../src/config/config.js';
import { optionsFromConfig } from '../src/config/options.js';
import { check } from '../src/engine.js';
import type { Finding } from '../src/finding.js';
import { FIXTURES } from './support/paths.js';
import { copyFixture } from './support/projects.js';

/** The findings of one fixture case, by `path:line`. */
async function findingsOf(fixtureCase: string): Promise<Map<string, Finding>> {
  const copy = copyFixture(path.join(FIXTURES, fixtureCase));
  // The case's own configuration: those about guarded exemptions ask for them (`report-guarded-exemptions`).
  const result = await check({ ...optionsFromConfig(findConfig(copy)), paths: ['.'], cwd: copy, includeTests: true });
  return new Map(result.findings.map((finding) => [`${finding.path}:${finding.line}`, finding]));
}

function assertSeverities(findings: Map<string, Finding>, expected: Record<string, string>): void {
  for (const [place, severity] of Object.entries(expected)) assert.equal(findings.get(place)?.severity, severity, place);
}

describe('a Flask exempt view that answers every request alike (issue 9, pyload Click\'n\'Load)', () => {
  test('a constant, a (body, status) pair or a response of constants is low; a fixed answer after a session write, or an answer built from the request, stays medium', async () => {
    const findings = await findingsOf('flask-csrf-exempt/fixed-answers');
    assertSeverities(findings, { 'app.py:10': 'low', 'app.py:17': 'low', 'app.py:25': 'low', 'app.py:32': 'medium', 'app.py:40': 'medium' });
    assert.equal(findings.get('app.py:17')?.hint?.includes('`("Obsolete API", 404)`'), true);
  });
});

describe('a Flask SAML assertion consumer that gets its OneLogin_Saml2_Auth from a project helper (issue 9, PowerDNS-Admin)', () => {
  test('is low with words on InResponseTo; a view calling process_response() on another helper object stays medium', async () => {
    const findings = await findingsOf('flask-csrf-exempt/saml-helper');
    assertSeverities(findings, { 'dnsadmin/app.py:18': 'low', 'dnsadmin/app.py:30': 'medium' });
    assert.equal(findings.get('dnsadmin/app.py:18')?.hint?.includes('consumes SAML assertions'), true);
  });
});

describe('a Flask-WTF login form without its CSRF check (issue 9, Mailu sso LoginForm)', () => {
  test('is low (login CSRF); a password change and a form confirming with a password alone stay medium', async () => {
    const findings = await findingsOf('flask-form-csrf-disabled/login-form');
    assertSeverities(findings, { 'mailadmin/forms.py:8': 'low', 'mailadmin/forms.py:19': 'medium', 'mailadmin/forms.py:29': 'medium' });
    assert.equal(findings.get('mailadmin/forms.py:8')?.hint?.includes('login CSRF'), true);
  });
});

describe('an exempt flask-restful Resource that reads no user (issue 9)', () => {
  test("is low even though it writes through SQLAlchemy's db.session; a resource reading current_user, handing off to a helper that does, or under login_required stays medium", async () => {
    const findings = await findingsOf('flask-csrf-exempt/restful-resources');
    assertSeverities(findings, { 'sensors/readings.py:14': 'low', 'sensors/readings.py:28': 'medium', 'sensors/readings.py:40': 'medium', 'sensors/notes.py:11': 'medium' });
    assert.equal(findings.get('sensors/readings.py:14')?.hint?.includes('reads no user or session'), true);
  });
});

describe('a Flask exempt view that turns away a request whose Referer or Origin names another site (issue 9, pyload flashgot)', () => {
  test('is low with the comparison named; a Referer check a missing header passes, or one that only logs, stays medium', async () => {
    const findings = await findingsOf('flask-csrf-exempt/referer-checks');
    assertSeverities(findings, { 'app.py:12': 'low', 'app.py:22': 'low', 'app.py:34': 'medium', 'app.py:46': 'medium' });
    assert.equal(findings.get('app.py:12')?.hint?.includes('`flask.request.referrer not in OWN_PAGES`'), true);
  });
});
