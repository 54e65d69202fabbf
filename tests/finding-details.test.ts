import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { check } from '../src/engine.js';
import { FIXTURES } from './support/paths.js';
import { copyFixture } from './support/projects.js';

/** Severity, message and hint of the findings of one fixture case, by `path:line`. */
async function detailsOf(fixtureCase: string): Promise<Map<string, { severity: string; message: string; hint?: string }>> {
  const result = await check({ paths: ['.'], cwd: copyFixture(path.join(FIXTURES, fixtureCase)), includeTests: true });
  return new Map(result.findings.map((finding) => [`${finding.path}:${finding.line}`, { severity: finding.severity, message: finding.message, ...(finding.hint ? { hint: finding.hint } : {}) }]));
}

describe('finding details: severity, message and hint', () => {
  test('an exempt webhook that verifies a signature is low severity, with a hint naming the check', async () => {
    const details = await detailsOf('django-csrf-exempt/webhooks');
    assert.deepEqual(details.get('hooks/views.py:17'), {
      severity: 'low',
      message: '`@csrf_exempt` turns off CSRF protection for view `github`',
      hint: 'the view verifies a signature (`hmac.compare_digest`): if that, and not a cookie, authenticates the request, the exemption is what a webhook needs',
    });
    assert.equal(details.get('hooks/urls.py:8')?.hint?.includes('stripe.Webhook.construct_event'), true);
    assert.deepEqual(details.get('hooks/views.py:30'), { severity: 'medium', message: '`@csrf_exempt` turns off CSRF protection for view `unsigned`' });
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

  test('an unprotected Flask app names its exposed views', async () => {
    const details = await detailsOf('flask-csrf-protect-missing/served-views');
    assert.equal(details.get('blog/mixed.py:7')?.hint, 'views that accept state-changing requests without a form or token check: `like` (blog/mixed.py:22), `Subscription.delete` (blog/mixed.py:30)');
  });

  test('a template form is shown as written, a long one by its method and action, and a submit button with its form', async () => {
    const details = await detailsOf('template-form-missing-csrf-token/submit-buttons');
    const consequence = 'unless a script submits it with the token in a header, the view it posts to must be exempt from CSRF checks or the post fails';
    assert.equal(details.get('library/templates/library/book.html:38')?.message, `\`<form action="{% url 'library:return' %}" method="post">\` has no CSRF token field: ${consequence}`);
    assert.equal(details.get('library/templates/library/book.html:55')?.message, `\`<form method="post" action="{% url 'library:review' book.pk %}" …>\` has no CSRF token field: ${consequence}`);
    assert.equal(
      details.get('library/templates/library/book.html:16')?.message,
      `\`<button form="search-bar" formmethod="post" name="leave">\` sends \`<form action="{% url 'library:search' %}" id="search-bar">\` as POST, and the form has no CSRF token field: ${consequence}`,
    );
    assert.match(details.get('library/templates/library/book.html:21')?.message ?? '', /^`<button form="catalog-search" [^`]*` sends `<form [^`]*` \(library\/templates\/library\/_catalog_search\.html\) as POST/);
  });
});
