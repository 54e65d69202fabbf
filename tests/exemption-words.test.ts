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

describe('exemptions that something other than a cookie authenticates (shapes seen on real projects)', () => {
  test('a Flask view whose every URL holds a secret is low and names it; a URL with an id only stays medium', async () => {
    const findings = await findingsOf('flask-csrf-exempt/url-secrets');
    assert.equal(findings.get('reader/device_sync.py:17')?.severity, 'low');
    assert.equal(findings.get('reader/device_sync.py:17')?.hint?.includes('(`<device_token>`)'), true);
    assert.equal(findings.get('reader/device_sync.py:26')?.hint?.includes('(`<share_secret>`)'), true);
    assert.equal(findings.get('reader/device_sync.py:34')?.severity, 'medium');
  });

  test('a Django view whose every routed URL holds a secret is low and names it; an id, or a second URL without the secret, stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/url-secrets');
    assert.equal(findings.get('pantry/views.py:11')?.severity, 'low');
    assert.equal(findings.get('pantry/views.py:11')?.hint?.includes('(`<token>`)'), true);
    assert.equal(findings.get('pantry/views.py:21')?.hint?.includes('(`<feed_secret>`)'), true, 'a regex route names its group');
    assert.equal(findings.get('pantry/views.py:29')?.severity, 'medium');
    assert.equal(findings.get('pantry/views.py:37')?.severity, 'medium');
  });

  test('a class-based view with an exempt dispatch, routed only under a `<str:..._key>` variable, is low; under a name, medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/url-secrets');
    assert.equal(findings.get('pantry/views.py:50')?.severity, 'low');
    assert.equal(findings.get('pantry/views.py:50')?.hint?.includes('(`<channel_key>`)'), true);
    assert.equal(findings.get('pantry/views.py:61')?.severity, 'medium');
  });

  test("a Flask view reading a token header is low unless its module keeps users in the session", async () => {
    const findings = await findingsOf('flask-csrf-exempt/header-tokens');
    assert.equal(findings.get('drive/push.py:9')?.severity, 'low');
    assert.equal(findings.get('drive/push.py:9')?.hint?.includes('`X-Channel-Token` header'), true);
    assert.equal(findings.get('drive/settings.py:8')?.severity, 'medium');
  });

  test("a Flask view reading a token header stays medium when it acts for the session's user through a project proxy", async () => {
    const findings = await findingsOf('flask-csrf-exempt/header-tokens-user-proxy');
    assert.equal(findings.get('board/views.py:14')?.severity, 'medium');
    assert.equal(findings.get('board/views.py:14')?.hint, undefined);
  });

  test('a view that completes an OAuth sign-in through social-core is low; another exempt view of the module stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/oauth-callback');
    assert.equal(findings.get('forum/social.py:14')?.severity, 'low');
    assert.equal(findings.get('forum/social.py:14')?.hint?.includes('`social_core.actions.do_complete`'), true);
    assert.equal(findings.get('forum/social.py:21')?.severity, 'medium');
  });

  test("Pyramid's require_csrf=False is low where the project never turns the default check on, medium where it does", async () => {
    const never = await findingsOf('pyramid-csrf-disabled/default-never-on');
    assert.equal(never.get('records/__init__.py:12')?.severity, 'low');
    assert.equal(never.get('records/__init__.py:12')?.hint?.includes('set_default_csrf_options(require_csrf=True)'), true);
    const on = await findingsOf('pyramid-csrf-disabled/webhooks');
    assert.equal(on.get('shop/hooks.py:21')?.severity, 'medium');
  });

  test("Pyramid's require_csrf=False on routes whose factory ACL grants only Everyone is low and names the factory; a factory granting Authenticated, or one route of the signed-in users', stays medium (AppEnlight/appenlight)", async () => {
    const findings = await findingsOf('pyramid-csrf-disabled/everyone-routes');
    assert.equal(findings.get('ingest/views.py:7')?.severity, 'low');
    assert.equal(findings.get('ingest/views.py:7')?.hint?.startsWith("the view's routes are built by `KeyFactory`"), true);
    assert.equal(findings.get('ingest/views.py:16')?.severity, 'low');
    assert.equal(findings.get('ingest/views.py:24')?.severity, 'medium');
    assert.equal(findings.get('ingest/views.py:32')?.severity, 'medium');
  });
});

describe('a GraphQL view exempted from CSRF', () => {
  test('is low where the project defines no mutation, medium where it does', async () => {
    const readOnly = await findingsOf('django-csrf-exempt/graphql-read-only');
    assert.equal(readOnly.get('helpdesk/urls.py:10')?.severity, 'low');
    assert.equal(readOnly.get('helpdesk/urls.py:10')?.hint?.startsWith('`GraphQLView` answers'), true);
    const mutations = await findingsOf('django-csrf-exempt/graphql-mutations');
    assert.equal(mutations.get('helpdesk/urls.py:10')?.severity, 'medium');
    assert.equal(readOnly.get('helpdesk/views.py:7')?.severity, 'low', 'a subclass whose dispatch is exempt');
    assert.equal(mutations.get('helpdesk/views.py:7')?.severity, 'medium');
  });
});

describe('a view that reads no user of its request', () => {
  test('is judged by the parameter Django passes the request in, whatever its name', async () => {
    const findings = await findingsOf('django-csrf-exempt/request-names');
    assert.equal(findings.get('relay/api.py:13')?.severity, 'low');
    assert.equal(findings.get('relay/api.py:13')?.hint?.startsWith('the view reads no user or session from its request'), true);
    assert.equal(findings.get('relay/api.py:22')?.severity, 'medium', 'a request named `r` whose user is read');
  });

  test("is authenticated by a header under a project decorator that calls DRF's TokenAuthentication, and acts for a user under one that reads it", async () => {
    const findings = await findingsOf('django-csrf-exempt/token-decorators');
    assert.equal(findings.get('registry/views.py:12')?.severity, 'low');
    assert.equal(findings.get('registry/views.py:12')?.hint?.includes('from the `Authorization` header'), true);
    assert.equal(findings.get('registry/views.py:22')?.severity, 'medium', "a project decorator reading the session's user");
    assert.equal(findings.get('registry/views.py:31')?.severity, 'medium', '`@require_permission` acts for the user it checks');
    assert.equal(findings.get('registry/views.py:40')?.severity, 'low');
  });

  test("a blueprint exempted whole is low when each of its views requires a Bearer header (a MethodView's `decorators`) and acts for the token's `g.current_user`; a session blueprint stays medium", async () => {
    const findings = await findingsOf('flask-csrf-exempt/bearer-blueprint');
    assert.equal(findings.get('todo/__init__.py:16')?.severity, 'low');
    assert.equal(findings.get('todo/__init__.py:16')?.hint?.includes('`Authorization` header'), true);
    assert.equal(findings.get('todo/__init__.py:18')?.severity, 'medium', 'the web blueprint acts for the session user');
  });

  test("a Flask view whose only input is request.get_json() cannot be posted by a cross-site form: low; json.loads(request.data) or force=True with the session's user stays medium", async () => {
    const findings = await findingsOf('flask-csrf-exempt/json-body');
    assert.equal(findings.get('board/__init__.py:16')?.severity, 'low');
    assert.equal(findings.get('board/__init__.py:16')?.hint?.includes('application/json'), true);
    assert.equal(findings.get('board/__init__.py:27')?.severity, 'medium', 'json.loads(request.data)');
    assert.equal(findings.get('board/__init__.py:38')?.severity, 'medium', 'get_json(force=True)');
  });

  test('reads the user all the same when it only interpolates it into an f-string', async () => {
    const findings = await findingsOf('django-csrf-exempt/f-string-user');
    assert.equal(findings.get('ledger/api.py:10')?.severity, 'medium', '`f"... {request.user.id}"` acts for the signed-in user');
    assert.equal(findings.get('ledger/api.py:20')?.severity, 'low');
  });

  test('acts for nobody when the functions it hands its request to read no user either or take a header token, and names them', async () => {
    const findings = await findingsOf('django-csrf-exempt/hand-offs');
    assert.equal(findings.get('catalog/api.py:14')?.severity, 'low');
    assert.equal(findings.get('catalog/api.py:14')?.hint?.includes('hands the request to (`create_entry`, `list_entries`)'), true);
    assert.equal(findings.get('catalog/api.py:24')?.severity, 'medium', "a hand-off that reads the session's user");
  });

  test('a class-based view acts for nobody when no handler or method it calls reads a user, and no mixin requires one', async () => {
    const findings = await findingsOf('django-csrf-exempt/class-based-nobody');
    assert.equal(findings.get('mailhost/views.py:15')?.severity, 'low');
    assert.equal(findings.get('mailhost/views.py:30')?.severity, 'low', 'an XML body read through self.request in get_context_data');
    assert.equal(findings.get('mailhost/views.py:45')?.severity, 'medium', 'a method reading self.request.user');
    assert.equal(findings.get('mailhost/views.py:57')?.severity, 'medium', 'LoginRequiredMixin');
    assert.equal(findings.get('mailhost/views.py:66')?.severity, 'medium', "get_queryset reads the user, called by the library's get_object");
    assert.equal(findings.get('mailhost/views.py:84')?.severity, 'low', "an exempt dispatch that only calls Django's, and a post reading no user");
  });

  test("acts for the user all the same under a decorator that requires a group, role or login of the project's", async () => {
    const findings = await findingsOf('django-csrf-exempt/group-required');
    assert.equal(findings.get('support/api.py:15')?.severity, 'medium');
    assert.equal(findings.get('support/api.py:24')?.severity, 'low');
  });
});
