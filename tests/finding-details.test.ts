import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { findConfig } from '../src/config/config.js';
import { optionsFromConfig } from '../src/config/options.js';
import { check } from '../src/engine.js';
import type { Finding } from '../src/finding.js';
import { FIXTURES } from './support/paths.js';
import { copyFixture } from './support/projects.js';

/** Severity, message and hint of the findings of one fixture case, by `path:line`. */
async function detailsOf(fixtureCase: string): Promise<Map<string, { severity: string; message: string; hint?: string }>> {
  const copy = copyFixture(path.join(FIXTURES, fixtureCase));
  // The case's own configuration: those about guarded exemptions ask for them (`report-guarded-exemptions`).
  const result = await check({ ...optionsFromConfig(findConfig(copy)), paths: ['.'], cwd: copy, includeTests: true });
  return new Map(result.findings.map((finding) => [`${finding.path}:${finding.line}`, { severity: finding.severity, message: finding.message, ...(finding.hint ? { hint: finding.hint } : {}) }]));
}

describe('finding details: severity, message and hint', () => {
  test('an exempt webhook that verifies a signature is low severity, with a hint naming the check', async () => {
    const details = await detailsOf('django-csrf-exempt/webhooks');
    assert.deepEqual(details.get('hooks/views.py:17'), {
      severity: 'low',
      message: '`@csrf_exempt` turns off CSRF protection for view `github`',
      hint: 'the view verifies a signature (`hmac.compare_digest`): if that, and not a cookie, authenticates the request (a webhook, a signed link), the exemption is what it needs',
    });
    assert.equal(details.get('hooks/urls.py:9')?.hint?.includes('stripe.Webhook.construct_event'), true);
    assert.deepEqual(details.get('hooks/views.py:30'), { severity: 'medium', message: '`@csrf_exempt` turns off CSRF protection for view `unsigned`' });
  });

  test('csrf_exempt(View.as_view()) gets the signature hint when the class verifies one', async () => {
    const details = await detailsOf('django-csrf-exempt/webhooks');
    assert.equal(details.get('hooks/urls.py:11')?.severity, 'low');
    assert.equal(details.get('hooks/urls.py:11')?.hint?.includes('`hmac.compare_digest`'), true);
    assert.deepEqual(details.get('hooks/urls.py:13'), { severity: 'medium', message: '`csrf_exempt(...)` turns off CSRF protection for `OpenHookView.as_view()`' });
  });

  test("Django's signing verifies a signature: signing.loads and a signer's unsign", async () => {
    const details = await detailsOf('django-csrf-exempt/webhooks');
    assert.equal(details.get('hooks/links.py:10')?.severity, 'low');
    assert.equal(details.get('hooks/links.py:10')?.hint?.includes('`django.core.signing.TimestampSigner.unsign`'), true);
    assert.equal(details.get('hooks/links.py:21')?.hint?.includes('`django.core.signing.loads`'), true);
    assert.equal(details.get('hooks/links.py:31')?.severity, 'medium', 'json.loads verifies nothing');
  });

  test('csrf_exempt on Django REST framework views is a low-severity no-op', async () => {
    const details = await detailsOf('django-csrf-exempt/drf');
    assert.deepEqual(details.get('api/views.py:19'), {
      severity: 'low',
      message: '`@csrf_exempt` on `ProductViewSet.create` changes nothing: Django REST framework views are exempt already',
      hint: 'DRF checks CSRF in SessionAuthentication for cookie-authenticated requests; the decorator can go',
    });
  });

  test('a middleware override that skips some requests is medium, one that checks nothing is high', async () => {
    const details = await detailsOf('django-csrf-checks-bypassed/lax-middleware');
    assert.equal(details.get('core/middleware.py:6')?.severity, 'high');
    assert.equal(details.get('core/middleware.py:30')?.severity, 'medium');
  });

  test('a skip flag set on a request the code builds itself (a sub-request) is low; on the request it was handed, high (eval6: Mayan rest_api/classes.py)', async () => {
    const details = await detailsOf('django-csrf-checks-bypassed/built-sub-request');
    assert.equal(details.get('batch/runner.py:14')?.severity, 'low');
    assert.equal(details.get('batch/runner.py:14')?.message.endsWith('on a request the code builds itself (`WSGIRequest(...)`)'), true);
    assert.equal(details.get('batch/runner.py:22')?.severity, 'high');
  });

  test('a skip flag set to a computed value is medium, with the value as written', async () => {
    const details = await detailsOf('django-csrf-checks-bypassed/skip-flag');
    assert.deepEqual(details.get('core/middleware.py:38'), {
      severity: 'medium',
      message: '`request._dont_enforce_csrf_checks = request.path.startswith("/hooks/")` makes CsrfViewMiddleware accept the request unchecked whenever the value is true',
    });
    assert.equal(details.get('core/middleware.py:32')?.severity, 'high');
  });

  test('the skip flag set in a CsrfViewMiddleware subclass\'s _origin_verified or _check_referer is low and says the token is still checked; set in process_view, or in a class that is no CSRF middleware, it stays high', async () => {
    const details = await detailsOf('django-csrf-checks-bypassed/late-skip-flag');
    assert.equal(details.get('gateway/middleware.py:12')?.severity, 'low');
    assert.equal(
      details.get('gateway/middleware.py:12')?.message,
      '`request._dont_enforce_csrf_checks = True` in `OriginLenientCsrfMiddleware._origin_verified` comes too late to skip the CSRF check: `CsrfViewMiddleware.process_view` tests the flag before it calls this method and still checks the CSRF token after it',
    );
    assert.equal(details.get('gateway/middleware.py:12')?.hint?.startsWith('only the Origin check this method makes is skipped'), true);
    assert.equal(details.get('gateway/middleware.py:19')?.severity, 'low');
    assert.equal(details.get('gateway/middleware.py:19')?.hint?.startsWith('only the Referer check'), true);
    assert.equal(details.get('gateway/middleware.py:29')?.severity, 'high');
    assert.equal(details.get('gateway/middleware.py:37')?.severity, 'high');
  });

  test('a positional csrf=False is quoted as written, and a parameter default is named', async () => {
    const details = await detailsOf('ninja-csrf-disabled/instances');
    assert.equal(details.get('api/auth.py:102')?.message, '`PartnerCookie(False)` turns off the CSRF check of cookie authentication');
    assert.equal(details.get('api/auth.py:72')?.message, '`super().__init__(csrf)` turns off the CSRF check of cookie authentication: `csrf` defaults to False');
    assert.equal(details.get('api/auth.py:93')?.message, "`django_auth.csrf = False` turns off the CSRF check of Ninja's shared `django_auth`, for every route that uses it");
  });

  test('an enforce_csrf that catches its own failure says so', async () => {
    const details = await detailsOf('drf-csrf-enforcement-disabled/authentication');
    assert.equal(details.get('api/overrides.py:35')?.message, '`ForgivingSession.enforce_csrf` catches the failure of its check and goes on: session-authenticated API requests are accepted without a CSRF token');
  });

  test('an environment string with a non-empty default disables SeaSurf, with a hint on truth', async () => {
    const details = await detailsOf('flask-seasurf-csrf-disabled/config');
    assert.equal(details.get('site/standalone.py:10')?.severity, 'high');
    assert.equal(details.get('site/standalone.py:10')?.hint?.includes('any non-empty string'), true);
    assert.equal(details.get('site/standalone.py:8')?.message, '`kiosk.testing = True` outside tests turns Flask-SeaSurf off: it takes CSRF_DISABLE from TESTING');
  });

  test('an unprotected Flask app names its exposed views', async () => {
    const details = await detailsOf('flask-csrf-protect-missing/served-views');
    assert.equal(
      details.get('blog/mixed.py:9')?.hint,
      'its users are authenticated by a session cookie (`flask_login.LoginManager` imported, blog/mixed.py:2); views that accept state-changing requests without a form or token check: `like` (blog/mixed.py:24), `Subscription.post` (blog/mixed.py:32)',
    );
  });

  test('a template form is shown as written, a long one by its method and action, and a submit button with its form', async () => {
    const details = await detailsOf('template-form-missing-csrf-token/submit-buttons');
    const consequence = 'unless a script submits it with the token in a header, the view it posts to must be exempt from CSRF checks or the post fails';
    assert.equal(details.get('library/templates/library/book.html:38')?.message, `\`<form action="{% url 'library:return' %}" method="post">\` (it posts to \`library:return\`) has no CSRF token field: ${consequence}`);
    assert.equal(details.get('library/templates/library/book.html:55')?.message, `\`<form method="post" action="{% url 'library:review' book.pk %}" …>\` (it posts to \`library:review\`) has no CSRF token field: ${consequence}`);
    assert.equal(
      details.get('library/templates/library/book.html:16')?.message,
      `\`<button form="search-bar" formmethod="post" name="leave">\` sends \`<form action="{% url 'library:search' %}" id="search-bar">\` as POST, and the form has no CSRF token field: ${consequence}`,
    );
    assert.match(details.get('library/templates/library/book.html:21')?.message ?? '', /^`<button form="catalog-search" [^`]*` sends `<form [^`]*` \(library\/templates\/library\/_catalog_search\.html\) as POST/);
  });

  test('a Tornado check_xsrf_cookie that skips some requests is low, with its own message', async () => {
    const details = await detailsOf('tornado-xsrf-disabled/overrides');
    assert.deepEqual(details.get('notes/handlers.py:21'), {
      severity: 'low',
      message: '`TokenAwareHandler.check_xsrf_cookie` returns early under some condition before it checks: the requests that condition matches skip the XSRF check',
      hint: 'fine when the skipped requests are authenticated by something a forged request lacks (a token header) or are checked later, as in `prepare()`; otherwise they accept forged requests',
    });
    assert.equal(details.get('notes/handlers.py:30')?.severity, 'medium');
  });

  test('a Tornado check_xsrf_cookie that returns early and is called again from prepare() is not reported: the check is deferred', async () => {
    const details = await detailsOf('tornado-xsrf-disabled/deferred-check');
    assert.equal(details.get('board/handlers.py:13'), undefined);
    // The twin whose condition reads only the request is still reported, with the hint that says why.
    assert.match(details.get('board/handlers.py:44')?.hint ?? '', /^the handler's `prepare\(\)` calls the check again, but the condition reads only the request/);
  });

  test("xsrf_cookies turned off by a Jupyter Server application whose handlers all check in prepare() is not reported; elsewhere it is high", async () => {
    const details = await detailsOf('tornado-xsrf-disabled/jupyter-extension');
    assert.equal(details.get('hub/singleuser.py:15'), undefined);
    assert.equal(details.get('hub/singleuser.py:20')?.severity, 'high');
  });

  test('a Tornado settings= dict is named as the reason xsrf_cookies is not read', async () => {
    const details = await detailsOf('tornado-xsrf-disabled/settings');
    assert.match(details.get('board/app.py:68')?.message ?? '', /inside a `settings=` dict, which Tornado does not read/);
  });

  test('apps given to the same helper keep their own views; GET-only apps are not reported whatever they are handed to', async () => {
    const details = await detailsOf('quart-csrf-protection-missing/helpers');
    assert.equal(
      details.get('kitchen/apps.py:16')?.hint,
      'its users are authenticated by a session cookie (`quart_auth.QuartAuth` imported, kitchen/apps.py:2); views that accept state-changing requests without a form or token check: `place_order` (kitchen/apps.py:20)',
    );
    assert.equal([...details.values()].some(({ message }) => message.includes('make_menu_app')), false);
    const wrapped = await detailsOf('flask-csrf-protect-missing/wsgi-wrapped');
    assert.equal(wrapped.size, 0);
  });

  test('an aiohttp app names the state-changing handlers that lack @csrf_protect', async () => {
    const details = await detailsOf('aiohttp-csrf-protection-missing/handlers');
    assert.equal(
      details.get('forum/apps.py:72')?.hint,
      'its users are authenticated by a session cookie (`aiohttp_session.get_session` imported, forum/security.py:4); @csrf_protect checks only the handlers it decorates; these state-changing handlers lack it: `close_account` (forum/apps.py:59)',
    );
  });

  test('a Starlette app whose forms check a WTForms CSRF token of their own is low, and says what was not found', async () => {
    const details = await detailsOf('starlette-csrf-protection-missing/form-tokens');
    assert.deepEqual(details.get('admin/app.py:6'), {
      severity: 'low',
      message: 'FastAPI application `app` keeps sessions in a cookie (SessionMiddleware), and no CSRF middleware or fastapi-csrf-protect check was found',
      hint: "no code of the app reads the session or a login cookie: if the session authenticates nobody, forged requests carry nothing to abuse; the project's forms check a CSRF token (WTForms `admin.forms.CookieCSRF`): if every state-changing endpoint validates such a form, record why here",
    });
  });

  test('a Litestar exclusion is quoted as it is written', async () => {
    const details = await detailsOf('litestar-csrf-exempt/handlers');
    assert.equal(details.get('svc/app.py:12')?.message, '`@post(..., opt={"exclude_from_csrf": True})` turns off the CSRF check for handler `github_hook`');
    assert.equal(details.get('svc/app.py:6')?.message, '`@post(..., exclude_from_csrf=True)` turns off the CSRF check for handler `stripe_hook`');
  });

  test('an unprotected Flask app names first the views that act for the signed-in user (issue 9)', async () => {
    const details = await detailsOf('flask-csrf-protect-missing/hint-examples-first');
    const hint = details.get('studio/app.py:7')?.hint ?? '';
    assert.match(hint, /without a form or token check: `delete_project` \(studio\/workspace\.py:10\), `rename_project` \(studio\/workspace\.py:17\), `submit_feedback`/);
    assert.match(hint, / and 1 more$/);
  });

  test('a Pyramid app whose views all answer GET is low; one with an AuthTkt login says so', async () => {
    const readOnly = await detailsOf('pyramid-csrf-protection-missing/read-only');
    assert.equal(readOnly.get('counter/__init__.py:15')?.severity, 'low');
    const authtkt = await detailsOf('pyramid-csrf-protection-missing/authtkt');
    // The AuthTktCookieHelper leaves samesite to Pyramid's default, Lax since 1.10 (issue 9): medium.
    assert.deepEqual(authtkt.get('notes/__init__.py:6'), {
      severity: 'medium',
      message: 'Pyramid application remembers users in an AuthTkt cookie but never turns on the default CSRF check (set_default_csrf_options)',
      hint:
        'its users are authenticated by a session cookie (its AuthTkt policy remembers users in a cookie, notes/__init__.py:6); Pyramid checks no CSRF token unless told to; ' +
        'but `AuthTktCookieHelper(...)` (notes/security.py:6), which leaves `samesite` to Pyramid\'s default (since 1.10), "Lax", written into the cookie, keeps the AuthTkt cookie off cross-site posts in current browsers, not off a cross-site top-level GET: protect the app anyway for views that change state on GET, for older browsers and for requests from a compromised subdomain',
    });
  });

  test('a Tornado app whose handlers accept no state-changing method is not reported; one whose only post is the login is low', async () => {
    const details = await detailsOf('tornado-xsrf-disabled/read-only');
    assert.equal(details.has('status/app.py:20'), false);
    assert.equal(details.get('status/app.py:25')?.severity, 'low');
  });

  test('a Litestar app without state-changing handlers is low', async () => {
    const details = await detailsOf('litestar-csrf-protection-missing/read-only');
    assert.equal(details.get('kiosk/app.py:32')?.severity, 'low');
    assert.equal(details.get('kiosk/app.py:36')?.severity, 'low');
    // No code reads the session: whether it authenticates anybody is unknown, so not high.
    assert.equal(details.get('kiosk/app.py:39')?.severity, 'medium');
  });

  test('a WTF setting in a Quart-WTF project names Quart-WTF', async () => {
    const details = await detailsOf('flask-wtf-csrf-disabled/quart-wtf');
    assert.equal(details.get('board/app.py:6')?.message, '`WTF_CSRF_ENABLED` is set to a false value: Quart-WTF stops checking CSRF tokens, QuartForms included');
  });

  test('an aiohttp app whose routes are all GET is low', async () => {
    const details = await detailsOf('aiohttp-csrf-protection-missing/shared-helper');
    assert.equal(details.get('board/server.py:18')?.severity, 'low');
    assert.equal(details.get('board/server.py:30')?.severity, 'medium');
  });
});

/** The findings of one fixture case, whole, by `path:line`. */
async function findingsOf(fixtureCase: string): Promise<Map<string, Finding>> {
  const copy = copyFixture(path.join(FIXTURES, fixtureCase));
  // The case's own configuration: those about guarded exemptions ask for them (`report-guarded-exemptions`).
  const result = await check({ ...optionsFromConfig(findConfig(copy)), paths: ['.'], cwd: copy, includeTests: true });
  return new Map(result.findings.map((finding) => [`${finding.path}:${finding.line}`, finding]));
}

describe('exemptions a view may need: severity, words and a fix that fit', () => {
  test("DRF's as_view already exempts; a Django view's as_view exempts its subclasses; a subclass overriding dispatch is checked again", async () => {
    const findings = await findingsOf('django-csrf-exempt/reasons');
    const drf = findings.get('hooks/base.py:18');
    assert.equal(drf?.severity, 'low');
    assert.equal(drf?.message, '`csrf_exempt(...)` on `ApiBase.as_view` changes nothing: Django REST framework views are exempt already');
    assert.equal(drf?.fix, 'Remove the decorator: Django REST framework exempts its views and SessionAuthentication checks CSRF itself.');
    assert.equal(findings.get('hooks/base.py:26')?.message, "`csrf_exempt(...)` turns off CSRF protection for every view `OpenView.as_view()` builds, its subclasses' included");
    assert.equal(findings.get('hooks/base.py:30')?.message, '`method_decorator(csrf_exempt)` turns off CSRF protection for class-based view `HookBase` (and its subclasses, except those that override `dispatch`: `StrictHook`)');
    // PaymentHook has no subclass in the project: the message claims none.
    assert.equal(findings.get('hooks/views.py:30')?.message.endsWith('class-based view `PaymentHook`'), true);
  });

  test('a signature verified by a helper, a verify method, an inherited method or a decorator is recognised', async () => {
    const findings = await findingsOf('django-csrf-exempt/reasons');
    const checks = { 'hooks/views.py:14': 'mailgun_tools.has_valid_signature', 'hooks/views.py:23': 'svix.webhooks.Webhook.verify', 'hooks/views.py:30': 'hmac.compare_digest', 'hooks/views.py:39': 'hmac.compare_digest' };
    for (const [place, check] of Object.entries(checks)) {
      const finding = findings.get(place);
      assert.equal(finding?.severity, 'low', place);
      assert.equal(finding?.hint?.includes(`(\`${check}\`)`), true, place);
      assert.equal(finding?.fix?.startsWith('Keep the exemption if the signature check authenticates every request'), true, place);
    }
  });

  test('a header credential and an empty response are low, each with its own fix; a session view keeps the general fix', async () => {
    const findings = await findingsOf('django-csrf-exempt/reasons');
    assert.equal(findings.get('hooks/views.py:46')?.severity, 'low');
    assert.equal(findings.get('hooks/views.py:46')?.fix?.startsWith('Keep the exemption if the `X-Api-Key` header, not a cookie, authenticates every request'), true);
    assert.equal(findings.get('hooks/views.py:54')?.severity, 'low');
    assert.equal(findings.get('hooks/views.py:54')?.hint, 'the view only returns an empty response: a forged request can change nothing through it today');
    const session = findings.get('hooks/views.py:60');
    assert.equal(session?.severity, 'medium');
    assert.equal(session?.fix, undefined);
  });

  test("a key read by the project's decorator is a header credential; a view that reads no user acts for nobody; one that hands its request on stays medium", async () => {
    const findings = await findingsOf('django-csrf-exempt/reasons');
    assert.equal(findings.get('hooks/views.py:67')?.severity, 'low');
    assert.equal(findings.get('hooks/views.py:67')?.fix?.startsWith('Keep the exemption if the `X-Api-Key` header, not a cookie, authenticates every request'), true);
    assert.equal(findings.get('hooks/views.py:75')?.severity, 'low');
    assert.equal(findings.get('hooks/views.py:75')?.hint?.startsWith('the view reads no user or session from its request'), true);
    assert.equal(findings.get('hooks/views.py:82')?.severity, 'medium');
  });
});

describe('exempt Django views that change nothing', () => {
  test('a redirect that ignores its request, a page rendered for the request, a request stored back on itself are low; their twins acting for the user stay medium', async () => {
    const details = await detailsOf('django-csrf-exempt/changes-nothing');
    const severities = Object.fromEntries([13, 20, 27, 34, 41, 50].map((line) => [line, details.get(`site/views.py:${line}`)?.severity]));
    assert.deepEqual(severities, { 13: 'low', 20: 'medium', 27: 'low', 34: 'medium', 41: 'low', 50: 'medium' });
    assert.equal(details.get('site/views.py:13')?.hint?.startsWith('the view reads nothing of its request (its own URL at most) and only redirects'), true);
  });

  test("a debug page running Django's CSRF middleware on the request, and a wrapper of the request stored back on it, are low; their twins stay medium", async () => {
    const details = await detailsOf('django-csrf-exempt/changes-nothing');
    const severities = Object.fromEntries([21, 31, 40, 48].map((line) => [line, details.get(`site/debug.py:${line}`)?.severity]));
    assert.deepEqual(severities, { 21: 'low', 31: 'medium', 40: 'low', 48: 'medium' });
  });
});

describe('an exempt template-method base whose post calls self._post', () => {
  test('it is judged by its subclasses\' _post: low when each has a reason, medium when one acts for the user', async () => {
    const details = await detailsOf('django-csrf-exempt/template-method-base');
    assert.equal(details.get('ingest/views.py:11')?.severity, 'low');
    assert.equal(details.get('ingest/views.py:33')?.severity, 'medium');
  });
});

describe('Django middleware lists', () => {
  test('a list without session or authentication middleware is low; the seed-like list stays high', async () => {
    const headless = await detailsOf('django-csrf-middleware-missing/headless-api');
    assert.equal(headless.get('shopapi/settings.py:6')?.severity, 'low');
    const sessions = await detailsOf('django-csrf-middleware-missing/list-missing');
    assert.equal(sessions.get('mysite/settings.py:10')?.severity, 'high');
  });

  test('a CsrfViewMiddleware from a package outside the scan is low and names the entry; the project\'s own look-alike stays high', async () => {
    const dropIn = await detailsOf('django-csrf-middleware-missing/dropin-lookalike');
    assert.equal(dropIn.get('blog/settings.py:7')?.severity, 'low');
    assert.equal(dropIn.get('blog/settings.py:7')?.hint?.startsWith('check `verbose_csrf_middleware.CsrfViewMiddleware`'), true);
    const own = await detailsOf('django-csrf-middleware-missing/own-lookalike');
    assert.equal(own.get('blog/settings.py:6')?.severity, 'high');
  });
});

describe('Django middleware lists: how users sign in, and switches of the environment (issue 9, eval7: spug, experimenter)', () => {
  test("the project's own AuthenticationMiddleware reading a header token only is low and named; its twin reading a cookie stays high", async () => {
    const header = await detailsOf('django-csrf-middleware-missing/own-header-login');
    assert.equal(header.get('opsapi/settings.py:6')?.severity, 'low');
    assert.equal(header.get('opsapi/settings.py:6')?.hint?.startsWith('`opsapi.middleware.AuthenticationMiddleware` signs users in by a token sent in a header only'), true);
    const cookie = await detailsOf('django-csrf-middleware-missing/own-cookie-login');
    assert.equal(cookie.get('opsapi/settings.py:6')?.severity, 'high');
  });

  test('a removal under an environment switch off by default is low and names it; one on by default stays high', async () => {
    const details = await detailsOf('django-csrf-middleware-missing/environment-switches');
    assert.equal(details.get('console/settings_kiosk.py:17')?.severity, 'low');
    assert.equal(details.get('console/settings_kiosk.py:17')?.hint?.includes('`KIOSK_MODE`'), true);
    assert.equal(details.get('console/settings_demo.py:17')?.severity, 'high');
  });
});

describe('Pyramid views exempted with require_csrf=False', () => {
  test('a webhook that verifies a signature through a helper is low; a view acting for the user stays medium', async () => {
    const findings = await findingsOf('pyramid-csrf-disabled/webhooks');
    assert.equal(findings.get('shop/hooks.py:13')?.severity, 'low');
    assert.equal(findings.get('shop/hooks.py:13')?.hint?.includes('(`hmac.compare_digest`)'), true);
    assert.equal(findings.get('shop/hooks.py:21')?.severity, 'medium');
  });

  test("a decorator factory's require_csrf=False is low when every view it decorates (through functools.partial too) reads no user; medium when one needs a permission", async () => {
    const findings = await findingsOf('pyramid-csrf-disabled/forwarded-factory-views');
    assert.equal(findings.get('catalog/rpc.py:9')?.severity, 'low');
    assert.equal(findings.get('catalog/rpc.py:9')?.hint?.startsWith('each of the 2 views it decorates reads no user or session from its request'), true);
    assert.equal(findings.get('catalog/rpc.py:23')?.severity, 'medium');
  });
});

describe('Flask exemptions a view may need', () => {
  test('a signature checked through a helper is low, with a fix that keeps the exemption; a plain view keeps the rule fix', async () => {
    const findings = await findingsOf('flask-csrf-exempt/reasons');
    assert.equal(findings.get('app.py:16')?.severity, 'low');
    assert.equal(findings.get('app.py:16')?.hint?.includes('(`hmac.compare_digest`)'), true);
    assert.equal(findings.get('app.py:16')?.fix?.includes('# csrflint: ignore[flask-csrf-exempt] -- <reason>'), true);
    assert.equal(findings.get('app.py:25')?.severity, 'medium');
    assert.equal(findings.get('app.py:25')?.fix, undefined);
  });

  test('an exemption on a view routed for GET only changes nothing: low; one that also accepts POST keeps its severity', async () => {
    const findings = await findingsOf('flask-csrf-exempt/reasons');
    assert.equal(findings.get('app.py:33')?.severity, 'low');
    assert.equal(findings.get('app.py:33')?.fix?.startsWith('Remove the exemption: it changes nothing while the view answers GET only'), true);
    assert.equal(findings.get('app.py:40')?.severity, 'medium');
  });

  test('a view routed for GET by its decorator but for POST by add_url_rule(view_func=...) keeps its severity', async () => {
    const findings = await findingsOf('flask-csrf-exempt/reasons');
    assert.equal(findings.get('app.py:47')?.severity, 'medium');
  });
});

describe('Flask-WTF settings', () => {
  test('WTF_CSRF_SSL_STRICT off is low, with a fix about that setting alone', async () => {
    const finding = (await findingsOf('flask-wtf-csrf-disabled/config-shapes')).get('app.py:66');
    assert.equal(finding?.severity, 'low');
    assert.equal(finding?.fix?.startsWith('Remove WTF_CSRF_SSL_STRICT = False'), true);
  });
  test('Api(app, decorators=[csrf.exempt]) is low when every state-changing resource checks a credential header; one acting for the session user stays', async () => {
    const details = await detailsOf('flask-csrf-exempt/api-header-key');
    assert.equal(details.get('tracker/app.py:14')?.severity, 'low');
    assert.equal(details.get('tracker/app.py:14')?.hint?.includes('`X-Api-Key`'), true);
    // Its only state-changing method acting for the session user is a PUT, which no cross-site form can send (no credentialed CORS): low since fx9.
    assert.equal(details.get('tracker/app.py:21')?.severity, 'low');
    assert.equal(details.get('tracker/app.py:21')?.hint?.includes('accepts only methods a form cannot send'), true);
  });
  test('an unprotected Flask app whose only cookie is a Strict session cookie is low, and the hint names the setting; Lax written out is medium; a remember cookie left unset stays high', async () => {
    const strict = (await detailsOf('flask-csrf-protect-missing/same-site-strict')).get('shop/app.py:8');
    assert.equal(strict?.severity, 'low');
    assert.equal(strict?.hint?.includes('`SESSION_COOKIE_SAMESITE = "Strict"` (shop/settings.py:3)'), true);
    const lax = (await detailsOf('flask-csrf-protect-missing/same-site-lax')).get('shop/app.py:6');
    assert.equal(lax?.severity, 'medium');
    assert.equal(lax?.hint?.includes('`SESSION_COOKIE_SAMESITE = "Lax"` (shop/app.py:7)'), true);
    assert.equal((await detailsOf('flask-csrf-protect-missing/same-site-remember')).get('shop/app.py:6')?.severity, 'high');
  });

  test('a blueprint exempted whose every state-changing view takes a Bearer token or a JSON body is low; one whose view reads a form into the session stays medium (apache/tooling-trusted-releases, a Flask twin)', async () => {
    const details = await detailsOf('flask-csrf-exempt/guarded-blueprint');
    assert.equal(details.get('service/app.py:33')?.severity, 'low');
    assert.equal(details.get('service/app.py:33')?.hint?.startsWith('every state-changing view the exemption reaches authenticates by a token in a header, accepts only a JSON body'), true);
    assert.equal(details.get('service/app.py:36')?.severity, 'medium');
  });

  test("a Quart app made by a library's factory (asfquart.construct) takes its blueprints, routed through `route = bp.route` too: the Bearer/JSON blueprint's exemption is low, the form one stays medium (apache/tooling-trusted-releases)", async () => {
    const details = await detailsOf('flask-csrf-exempt/library-app-factory');
    assert.equal(details.get('releases/blueprints/api.py:23')?.severity, 'low');
    assert.equal(details.get('releases/blueprints/legacy.py:12')?.severity, 'medium');
  });

  test("a FastAPI app's hint names the cookie that signs users in, not a flag cookie set to a constant, and not a session that only carries fastapi-sso's handshake; an app setting only flags is silent (lnbits/lnbits)", async () => {
    const details = await detailsOf('starlette-csrf-protection-missing/flag-cookies');
    const wallet = details.get('wallet/app.py:9');
    // The login cookie is set without `samesite`: Starlette's default lax makes it medium.
    assert.equal(wallet?.severity, 'medium');
    assert.equal(wallet?.hint?.startsWith('its users are authenticated by a cookie (cookie `wallet_access_token` used, wallet/auth.py:22);'), true, wallet?.hint);
    assert.equal(details.has('banner/app.py:6'), false);
  });

  test('an unprotected Flask app whose Flask-JWT-Extended reads the JWT from cookies with JWT_COOKIE_CSRF_PROTECT = False says so in the hint; headers only does not (cgwire/zou)', async () => {
    const unchecked = (await detailsOf('flask-csrf-protect-missing/jwt-cookies-unchecked')).get('notes/app.py:6');
    assert.equal(unchecked?.hint?.includes('Flask-JWT-Extended reads the JWT from a cookie (`JWT_TOKEN_LOCATION` includes "cookies", notes/app.py:7) with its own CSRF check off (`JWT_COOKIE_CSRF_PROTECT = False`, notes/app.py:8)'), true, unchecked?.hint);
    const headers = (await detailsOf('flask-csrf-protect-missing/jwt-headers-session')).get('notes/app.py:6');
    assert.equal(headers?.severity, 'high');
    assert.equal(headers?.hint?.includes('Flask-JWT-Extended'), false, headers?.hint);
  });

  test('a FastAPI app that asks browsers for a Basic password is medium, with a hint naming the challenge', async () => {
    const written = (await detailsOf('starlette-csrf-protection-missing/basic-challenge-written')).get('monitor/server.py:14');
    assert.equal(written?.severity, 'medium');
    assert.equal(written?.hint?.includes('`WWW-Authenticate: Basic` in a response at `monitor/server.py:21`'), true);
    const dependency = (await detailsOf('starlette-csrf-protection-missing/basic-dependency')).get('notes/app.py:8');
    assert.equal(dependency?.hint?.includes('`HTTPBasic()` depended on at `notes/app.py:5`'), true);
  });

  test('typing.cast(App, current_app) is not named as a source of views', async () => {
    const admin = (await detailsOf('flask-csrf-protect-missing/typing-cast-app')).get('wiki/admin.py:13');
    assert.equal(admin?.hint?.includes('`flask_admin.Admin`'), true);
    assert.equal(admin?.hint?.includes('typing.cast'), false);
  });

  test("a Strict session cookie set for another app of the project, or only in the development config, leaves the app high", async () => {
    const twoApps = await detailsOf('flask-csrf-protect-missing/same-site-other-app');
    assert.equal(twoApps.get('portal/shop.py:4')?.severity, 'low');
    assert.equal(twoApps.get('portal/staff.py:5')?.severity, 'high');
    assert.equal((await detailsOf('flask-csrf-protect-missing/same-site-development-only')).get('desk/app.py:7')?.severity, 'high');
  });

  test('an unprotected app whose only unchecked state-changing view signs users in is low (login CSRF); another such view beside it keeps it high', async () => {
    const flask = await detailsOf('flask-csrf-protect-missing/login-only-post');
    assert.equal(flask.get('app.py:5')?.severity, 'low');
    assert.equal(flask.get('app.py:5')?.hint?.includes('login CSRF'), true);
    assert.equal(flask.get('notes.py:5')?.severity, 'high');
    const fastapi = await detailsOf('starlette-csrf-protection-missing/login-only-post');
    assert.equal(fastapi.get('site/main.py:7')?.severity, 'low');
    // Its SessionMiddleware leaves same_site to Starlette's default lax, which lowers high to medium.
    assert.equal(fastapi.get('site/shop.py:6')?.severity, 'medium');
    assert.equal((await detailsOf('tornado-xsrf-disabled/login-only-post')).get('media/runner.py:9')?.severity, 'low');
    assert.equal((await detailsOf('tornado-xsrf-disabled/login-and-other-post')).get('media/admin.py:15')?.severity, 'high');
  });

  test("a Flask app whose only unchecked write is a SAML assertion consumer reached through an authenticator chosen at run time is low; the same authenticator's other write keeps it high", async () => {
    const details = await detailsOf('flask-csrf-protect-missing/saml-consumer-chosen-at-run-time');
    assert.equal(details.get('vault/app.py:8')?.severity, 'low');
    assert.equal(details.get('vault/app.py:8')?.hint?.includes('login CSRF'), true);
    assert.equal(details.get('vault/admin.py:8')?.severity, 'high');
  });

  test('a Tornado handler that skips the XSRF check but never reads its user is not reported; one that is @authenticated, reads current_user or a credential header stays medium; a login handler is low', async () => {
    const details = await detailsOf('tornado-xsrf-disabled/exempt-without-user');
    assert.equal(details.get('tv/handlers.py:21'), undefined);
    assert.equal(details.get('tv/handlers.py:36'), undefined);
    assert.equal(details.get('tv/handlers.py:45')?.severity, 'medium');
    assert.equal(details.get('tv/handlers.py:55')?.severity, 'medium');
    assert.equal(details.get('tv/handlers.py:110')?.severity, 'medium');
    assert.equal(details.get('tv/handlers.py:85')?.severity, 'medium');
    assert.equal(details.get('tv/handlers.py:123')?.severity, 'low');
    assert.equal(details.get('tv/handlers.py:123')?.hint?.includes('login CSRF'), true);
  });

  test('a Pyramid security policy set in an included module names its cookie helper and keeps the app high; without it the session is unseen (medium)', async () => {
    const details = await detailsOf('pyramid-csrf-protection-missing/included-cookie-policy');
    assert.equal(details.get('shop/app.py:7')?.severity, 'high');
    assert.equal(details.get('shop/app.py:7')?.hint?.includes('`pyramid.authentication.AuthTktCookieHelper` imported, shop/security.py:2'), true);
    assert.equal(details.get('shop/app.py:18')?.severity, 'medium');
  });
});

describe('finding details: a form Meta turned off after the class', () => {
  test("FlaskForm's own Meta, reached directly or through a form without one, is high; a form's own Meta stays medium", async () => {
    const details = await detailsOf('flask-form-csrf-disabled/meta-assigned-after');
    assert.deepEqual([26, 28, 30].map((line) => details.get(`forms.py:${line}`)?.severity), ['high', 'high', 'medium']);
    assert.equal(details.get('forms.py:28')?.message, "`ProfileForm.Meta.csrf` sets `csrf` to a false value in Flask-WTF's own `FlaskForm.Meta`, which every form without a Meta of its own inherits: all of them accept submissions without a CSRF token");
  });
});

describe('issue 9: a SameSite session cookie lowers Flask exemptions and settings; a development config is low', () => {
  test('a Lax session cookie in the settings create_app() loads by default lowers an exempt API from medium to low; Flask default SameSite leaves it medium', async () => {
    const lax = (await detailsOf('flask-csrf-exempt/same-site-lax-settings')).get('atlas/api.py:10');
    assert.equal(lax?.severity, 'low');
    assert.match(lax?.hint ?? '', /`SESSION_COOKIE_SAMESITE = "Lax"` \(atlas\/settings\.py:3\)/);
    assert.equal((await detailsOf('flask-csrf-exempt/same-site-default')).get('atlas/api.py:10')?.severity, 'medium');
  });

  test('HTTP Basic read from headers the app never asks a browser for does not keep Lax from lowering the app and the setting to medium; asked for, both stay high', async () => {
    const unasked = await detailsOf('flask-wtf-csrf-disabled/same-site-lax-basic-unasked');
    assert.equal(unasked.get('tracker/app.py:10')?.severity, 'medium');
    assert.equal(unasked.get('tracker/app.py:14')?.severity, 'medium');
    const asked = await detailsOf('flask-wtf-csrf-disabled/same-site-lax-basic-asked');
    assert.equal(asked.get('tracker/app.py:10')?.severity, 'high');
    assert.equal(asked.get('tracker/app.py:14')?.severity, 'high');
  });

  test('a blueprint exempted whose every state-changing view is a single sign-on callback is low, reported, with the state/RelayState hint; a settings view beside them keeps it medium', async () => {
    const callbacks = (await detailsOf('flask-csrf-exempt/sso-callbacks')).get('watch/sso/views.py:12');
    assert.equal(callbacks?.severity, 'low');
    assert.match(callbacks?.hint ?? '', /identity-provider callbacks must accept cross-site posts; check the `state`\/`RelayState` is bound to the session \(login CSRF\)/);
    assert.equal((await detailsOf('flask-csrf-exempt/sso-blueprint-settings')).get('watch/sso/views.py:12')?.severity, 'medium');
  });

  test('WTF_CSRF_ENABLED = False in a development-only config is low, in the production config high', async () => {
    const details = await detailsOf('flask-wtf-csrf-disabled/development-config');
    assert.equal(details.get('desk/config_local.py:5')?.severity, 'low');
    assert.match(details.get('desk/config_local.py:5')?.hint ?? '', /development-only configuration/);
    assert.equal(details.get('desk/config.py:4')?.severity, 'high');
  });

  test('WTF_CSRF_ENABLED = False in sample code keeps its severity unless its own name says development', async () => {
    const details = await detailsOf('flask-wtf-csrf-disabled/sample-code');
    assert.equal(details.get('examples/notes/config.py:4')?.severity, 'high');
    assert.equal(details.get('examples/notes/config_local.py:4')?.severity, 'low');
  });
});
