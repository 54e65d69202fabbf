import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { check } from '../src/engine.js';
import { findRule } from '../src/rules/index.js';
import type { TemplateFile } from '../src/project/scanned-file.js';
import { MAX_MARKUP_DEPTH, readMarkup } from '../src/templates/forms.js';
import { isBoostedByHtmx } from '../src/templates/htmx-boost.js';
import { readTemplateDocument } from '../src/templates/template-document.js';
import { TemplateLibrary } from '../src/templates/template-library.js';
import { readTemplateSource } from '../src/templates/template-syntax.js';
import { FIXTURES } from './support/paths.js';
import { copyFixture, writeProject } from './support/projects.js';

const RULE = 'template-form-missing-csrf-token';

function templateFile(name: string, text: string): TemplateFile {
  return { kind: 'template', path: `templates/${name}`, absolutePath: `/project/templates/${name}`, text, context: 'production', isTarget: true, projectRoot: '/project' };
}

async function templateFindings(cwd: string, reportGuardedExemptions = false): Promise<Array<{ path: string; line: number; severity: string; message: string }>> {
  const result = await check({ paths: ['.'], cwd, includeTests: true, respectGitignore: false, reportBrokenForms: true, reportGuardedExemptions });
  return result.findings.filter((finding) => finding.rule === RULE).map(({ path: file, line, severity, message }) => ({ path: file, line, severity, message }));
}

describe('template forms: what the server does with the post', () => {
  test('a form posting back to the exempt view that renders it is high; one the middleware rejects is low', async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'django-server')));
    const exempt = findings.find((finding) => finding.path.endsWith('payment_method.html'));
    const rejected = findings.find((finding) => finding.path.endsWith('invoices.html'));
    assert.equal(exempt?.severity, 'high');
    assert.match(exempt!.message, /posts back to `payment_method`, the view that renders it, which is exempt/);
    assert.equal(rejected?.severity, 'low');
    assert.match(rejected!.message, /\(it posts to `billing:download`\).*CsrfViewMiddleware checks every post, so the post will be rejected, not forged/);
  });

  test('a Django form is linked through the URL confs to the view it posts to, and ranked by it', async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'django-urlconf')));
    const byLine = new Map(findings.map((finding) => [finding.line, finding]));
    assert.equal(byLine.get(3)?.severity, 'high');
    assert.match(byLine.get(3)!.message, /\(it posts to `shop:hook`, view `shop\.views\.payment_hook`\).*view `shop:hook` is exempt from CSRF checks/);
    assert.equal(byLine.get(9)?.severity, 'high');
    assert.match(byLine.get(9)!.message, /view `shop\.views\.RefundView`\).*is exempt/);
    assert.equal(byLine.get(15)?.severity, 'low');
    assert.match(byLine.get(15)!.message, /\(it posts to `shop:export`, view `shop\.views\.export`\).*CsrfViewMiddleware checks every post, so the post will be rejected, not forged/);
  });

  test("a Django form posting to a URL name the project's URL confs do not route cannot be told: medium, and the message says the name was not found", async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'django-urlconf')));
    const byLine = new Map(findings.map((finding) => [finding.line, finding]));
    assert.equal(byLine.get(21)?.severity, 'medium', 'not rejected by the project-wide middleware');
    assert.match(byLine.get(21)!.message, /the URL name `shop:archive` is not found in the project's URL confs, so what checks the post cannot be told/);
  });

  test("a URL name routed by the project's wrapper of re_path (askbot's service_url) is found: the exempt view is high, the protected one a broken form (low, shown only with report-broken-forms)", async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'url-wrapper')));
    const byLine = new Map(findings.map((finding) => [finding.line, finding]));
    assert.equal(byLine.get(3)?.severity, 'high');
    assert.match(byLine.get(3)!.message, /\(it posts to `vote`, view `forum\.views\.cast_vote`\).*view `vote` is exempt from CSRF checks/);
    assert.equal(byLine.get(9)?.severity, 'low');
    assert.match(byLine.get(9)!.message, /view `forum\.views\.remove_subscription`\).*CsrfViewMiddleware checks every post, so the post will be rejected, not forged/);
  });

  test('a template overriding one a library renders (Flask-Admin, SQLAdmin) is judged like a live one, and says so; a copy elsewhere may be dead', async () => {
    for (const [fixture, live, liveSeverity, library, dead] of [
      ['library-template-overrides', 'edit.html', 'high', 'Flask-Admin', 'edit_old.html'],
      ['sqladmin-template-overrides', 'details.html', 'medium', 'SQLAdmin', 'details_copy.html'],
    ] as const) {
      const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, fixture)));
      const byFile = new Map(findings.map((finding) => [finding.path.slice(finding.path.lastIndexOf('/') + 1), finding]));
      assert.equal(byFile.get(live)?.severity, liveSeverity);
      assert.match(byFile.get(live)!.message, new RegExp(`; the template overrides one of ${library}, which renders it$`));
      assert.doesNotMatch(byFile.get(live)!.message, /may be dead/);
      assert.equal(byFile.get(dead)?.severity, 'low');
      assert.match(byFile.get(dead)!.message, /it may be dead/);
    }
  });

  test("a template under admin/ overrides Django's admin only where the admin ships one of that name (admin/<app>/<model>/change_form.html), not the project's own admin/reports/_parts/export_form.html", async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'django-admin-overrides')));
    const byFile = new Map(findings.map((finding) => [finding.path.slice(finding.path.lastIndexOf('/') + 1), finding]));
    assert.match(byFile.get('change_form.html')!.message, /; the template overrides one of Django's admin, which renders it$/);
    assert.doesNotMatch(byFile.get('export_form.html')!.message, /overrides/);
    assert.equal(byFile.get('export_form.html')?.severity, 'high');
  });

  test("a library's own template (SQLAdmin's package scanned) says it is the library's own, not an override", async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'library-own-templates')));
    const edit = findings.find((finding) => finding.path.endsWith('sqladmin/edit.html'));
    assert.match(edit!.message, /; it is one of SQLAdmin's own templates, which the library renders in the apps of its users/);
    assert.doesNotMatch(edit!.message, /overrides/);
  });

  test('a reusable Django app with no settings in the scan: its host project is assumed to run CsrfViewMiddleware, a broken form (low), and the message says so', async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'reusable-django-app')));
    const seo = findings.find((finding) => finding.path.endsWith('catalog/seo.html'));
    assert.equal(seo?.severity, 'low');
    assert.match(seo!.message, /no Django settings are in the scan, so this is a reusable app whose host project is assumed to run CsrfViewMiddleware/);
    const unread = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'reusable-django-app-unread-settings')));
    assert.equal(unread.find((finding) => finding.path.endsWith('catalog/seo.html'))?.severity, 'medium');
  });

  test('a password form with no action is judged by the view that renders it: a sign-in when that is `login` (low), not when it is `delete_page` (high)', async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'login-form-posting-back')));
    const login = findings.find((finding) => finding.path.endsWith('login.html'));
    assert.equal(login?.severity, 'low');
    assert.match(login!.message, /it is a login or registration form/);
    assert.equal(findings.find((finding) => finding.path.endsWith('delete.html'))?.severity, 'high');
  });

  test('a form posting to an exempt module-level function view that reads its input and no user is guarded like that exemption: hidden, low and saying so when asked for; one acting for the user, or a class view, stays high', async () => {
    const fixture = copyFixture(path.join(FIXTURES, RULE, 'exempt-view-for-nobody'));
    assert.equal((await templateFindings(fixture)).some((finding) => finding.line === 3), false);
    const findings = await templateFindings(fixture, true);
    const byLine = new Map(findings.map((finding) => [finding.line, finding]));
    assert.equal(byLine.get(3)?.severity, 'low');
    assert.match(byLine.get(3)!.message, /view `lookup:convert` is exempt from CSRF checks, but it reads no user or session from its request/);
    assert.equal(byLine.get(11)?.severity, 'high');
    assert.equal(byLine.get(18)?.severity, 'high');
  });

  test('a search form (one query field posted to a search) is low and says so; one that takes more than the query stays high', async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'search-forms')));
    const search = findings.find((finding) => finding.path.endsWith('search.html'));
    assert.equal(search?.severity, 'low');
    assert.match(search!.message, /but it is a search form \(one query field, posted to a search\)/);
    assert.equal(findings.find((finding) => finding.path.endsWith('saved.html'))?.severity, 'high');
  });

  test('htmx sends a form under an hx-boost="true" ancestor, across {% extends %}, and its message says so when no token is added', async () => {
    const findings = await templateFindings(writeProject({
      'pyproject.toml': '[project]\nname = "boosted"\n',
      'templates/base.html': '<body><main hx-boost="true">{% block content %}{% endblock %}</main></body>\n',
      'templates/page.html': '{% extends "base.html" %}\n{% block content %}\n<form method="post" action="/save"><button>Save</button></form>\n{% endblock %}\n',
    }));
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /has no CSRF token field, and htmx \(an `hx-boost="true"` around it\) sends it with no script of the project adding the token/);
  });

  test("with no project marker (an unpacked release), a script under static/ takes over the scanned folder's forms: the form it submits with the token is not reported, another is", async () => {
    const findings = await templateFindings(writeProject({
      'app/views.py': 'from flask import Flask, render_template, request\nfrom flask_login import LoginManager, current_user\n\napp = Flask(__name__)\nLoginManager(app)\n\n\n@app.route("/log", methods=["GET", "POST"])\ndef log():\n    current_user.add_log(request.form.get("text"))\n    return render_template("footer.html")\n',
      'app/templates/includes/footer.html': '<form method="post" action="" id="add-log"><textarea name="text"></textarea><button type="submit">Add</button></form>\n<form method="post" action="" id="add-note"><textarea name="text"></textarea><button type="submit">Add</button></form>\n',
      'app/static/js/common.js': "$('#add-log').submit(function () {\n  event.preventDefault();\n  var data = $('#add-log').serializeObject();\n  data['csrf_token'] = $('#csrf_token').val();\n  $.ajax({ url: '/log', type: 'POST', data: JSON.stringify(data) });\n});\n",
    }));
    assert.deepEqual(findings.map((finding) => `${finding.path}:${finding.line}`), ['app/templates/includes/footer.html:2']);
  });

  test('a form posting to a URL name routed where the URL-conf model cannot follow, whose view of that name is exempt: high', async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'django-urlconf')));
    const byLine = new Map(findings.map((finding) => [finding.line, finding]));
    assert.equal(byLine.get(27)?.severity, 'high');
    assert.match(byLine.get(27)!.message, /view `shop:pay` is exempt from CSRF checks/);
  });

  test('a template no server code names is low, with a note; one named under a built name is not', async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'unrendered-templates')));
    const byFile = new Map(findings.map((finding) => [finding.path.slice(finding.path.lastIndexOf('/') + 1), finding]));
    assert.equal(byFile.get('profile.html')?.severity, 'high');
    assert.equal(byFile.get('general.html')?.severity, 'high');
    assert.equal(byFile.get('legacy_profile.html')?.severity, 'low');
    assert.match(byFile.get('legacy_profile.html')!.message, /; no render call, `template_name`, include or extends of the project names `legacy_profile\.html`: it may be dead, or its name is built at run time$/);
  });

  test('a form of an unprotected Flask app that logs users in is high', async () => {
    const [finding] = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'flask-server')));
    assert.equal(finding?.severity, 'high');
    assert.match(finding!.message, /no CSRFProtect guards the Flask app, so a page on another site can send this post/);
  });

  test("a Flask app whose handler base class checks every post's CSRF token rejects a token-less form: low", async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'flask-handler-base')));
    const finding = findings.find((candidate) => candidate.path.endsWith('assign_role.html'));
    assert.equal(finding?.severity, 'low');
    assert.match(finding!.message, /the project's handler base class `RH` \(`_check_csrf\(\)`, called by `process\(\)`\) checks every post, so the post will be rejected, not forged/);
  });

  test("a handler that turns its base's CSRF check off with a class attribute renders a form whose post is unchecked: high", async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'flask-handler-base')));
    const finding = findings.find((candidate) => candidate.path.endsWith('consent.html'));
    assert.equal(finding?.severity, 'high');
    assert.match(finding!.message, /posts back to `_process`, the view that renders it, which is exempt from CSRF checks/);
  });

  test('a template named by its module (`oauth/authorize.html` for oauth/templates/authorize.html) is linked to the handler that renders it', async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'flask-handler-base')));
    const bySeverity = (file: string) => findings.find((candidate) => candidate.path.endsWith(file))?.severity;
    assert.equal(bySeverity('oauth/templates/authorize.html'), 'high');
    assert.equal(bySeverity('oauth/templates/revoke.html'), 'low');
  });

  test('a form posting back to an exempt view that verifies a signed value, not the cookie, is low', async () => {
    const [finding] = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'signed-exempt-view')));
    assert.equal(finding?.severity, 'low');
    assert.match(finding!.message, /`unsubscribe`, the exempt view that renders it, verifies a signature .* not the user's cookie/);
  });

  test("a test suite's own bare Flask app does not make the project's protected app unprotected", async () => {
    const [finding] = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'flask-test-app')));
    assert.equal(finding?.severity, 'low');
    assert.match(finding!.message, /the Flask app's CSRF protection checks every post, so the post will be rejected, not forged/);
  });

  test("a library's template is not served by the library's example app: medium; the example's own template stays high", async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'library-templates')));
    const bySeverity = (file: string) => findings.find((candidate) => candidate.path.endsWith(file))?.severity;
    assert.equal(bySeverity('gridkit/search.html'), 'medium');
    assert.equal(bySeverity('journal/templates/journal.html'), 'high');
  });

  test('a login or registration form is login CSRF at worst (low); a change-password or email form stays high; a captcha caps it at medium', async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'login-forms')));
    const byFile = (file: string) => findings.find((candidate) => candidate.path.endsWith(file));
    assert.equal(byFile('auth/login.html')?.severity, 'low');
    assert.match(byFile('auth/login.html')!.message, /a login or registration form, .*at worst login CSRF \(the user is logged into the attacker's account\)/);
    assert.equal(byFile('auth/register.html')?.severity, 'low');
    assert.equal(byFile('auth/change_password.html')?.severity, 'high');
    assert.equal(byFile('auth/changepass.html')?.severity, 'high', 'three password inputs: a password change, whatever its fields are named');
    assert.equal(byFile('profile.html')?.severity, 'high');
    assert.equal(byFile('users.html')?.severity, 'high');
    assert.equal(byFile('auth/forgot.html')?.severity, 'low');
    assert.match(byFile('auth/forgot.html')!.message, /only asks for a password-reset link/);
    assert.equal(byFile('provider/login.html')?.severity, 'low', 'a user name and a password posted to a neutrally named view sign in');
    assert.equal(byFile('provider/dotted_login.html')?.severity, 'low', 'nested field names (`user.login`) are judged by their last part');
    assert.equal(byFile('contact.html')?.severity, 'medium');
    assert.match(byFile('contact.html')!.message, /its captcha does not stop that, as an answer is not bound to the user's session/);
  });

  test('an admin adding a user, a password set under the signed-in user\'s shown address, a view whose name only holds "log in": high', async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'login-forms')));
    const byFile = (file: string) => findings.find((candidate) => candidate.path.endsWith(file));
    assert.equal(byFile('admin/add_user.html')?.severity, 'high');
    assert.equal(byFile('auth/set_password.html')?.severity, 'high');
    assert.equal(byFile('blog.html')?.severity, 'high', 'blog_index is no login view; a comment or class saying captcha is no captcha');
  });

  test("a Pyramid template rendered by its asset spec (`forum:templates/profile.jinja2`) is judged by the view that renders it: the profile form high, the registration form with the same fields low", async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'pyramid-asset-spec-renderers')));
    const byFile = (file: string) => findings.find((candidate) => candidate.path.endsWith(file));
    assert.equal(byFile('profile.jinja2')?.severity, 'high');
    assert.equal(byFile('register.jinja2')?.severity, 'low');
  });

  test('two sibling apps with a template of the same name: each template is judged by the app of its own folder', async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'sibling-apps')));
    const byFolder = (folder: string) => findings.find((candidate) => candidate.path.includes(`/${folder}/`));
    assert.equal(byFolder('flask_site')?.severity, 'high');
    assert.match(byFolder('flask_site')!.message, /no CSRFProtect guards the Flask app/);
    assert.doesNotMatch(byFolder('starlette_site')!.message, /Flask/);
  });

  test("an instance of the project's own Flask subclass is its app, even where the views its methods register are not seen: high", async () => {
    const [finding] = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'flask-app-subclass')));
    assert.equal(finding?.severity, 'high');
  });

  test('a Tornado app that checks no XSRF token and logs users in with a secure cookie accepts the post: high', async () => {
    const [finding] = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'tornado-accounts')));
    assert.equal(finding?.severity, 'high');
    assert.match(finding!.message, /the Tornado app checks no XSRF token \(`xsrf_cookies` is off\) and logs users in with a cookie/);
  });

  test('an unchecked Pyramid app that logs users in with an AuthTkt cookie accepts the post: high', async () => {
    const [finding] = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'pyramid-accounts')));
    assert.equal(finding?.severity, 'high');
    assert.match(finding!.message, /the Pyramid app checks CSRF on no view and logs users in with a cookie/);
  });

  test('a Chameleon (.pt) form of an unchecked Pyramid app is read: high without a token, low for a search (search-term); none where markup built elsewhere may hold it', async () => {
    const findings = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'chameleon-templates')));
    const shown = findings.map((finding) => `${finding.path}:${finding.line} ${finding.severity}`).sort();
    assert.deepEqual(shown, ['cms/templates/delete.pt:5 high', 'cms/templates/search.pt:3 low', 'cms/templates/share.pt:30 high']);
  });

  test('a Tornado app with no xsrf_cookies whose users log in with a secure cookie accepts the post: high', async () => {
    const [finding] = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'tornado-accounts')));
    assert.equal(finding?.severity, 'high');
    assert.match(finding!.message, /the Tornado app checks no XSRF token/);
  });

  test('a Tornado app where some handlers check the token and others do not: the check cannot be told, medium', async () => {
    const [finding] = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'tornado-accounts-some-checked')));
    assert.equal(finding?.severity, 'medium');
  });

  test('run alone, the rule still reads the Tornado app that serves the template: without accounts, nothing is reported', async () => {
    const result = await check({ paths: ['.'], cwd: copyFixture(path.join(FIXTURES, RULE, 'tornado-no-accounts')), includeTests: true, respectGitignore: false, rules: [findRule(RULE)!] });
    assert.deepEqual(result.findings, []);
  });

  test('a form a script sends without any token says so', async () => {
    const [finding] = await templateFindings(copyFixture(path.join(FIXTURES, RULE, 'js-takeover-no-token')));
    assert.match(finding!.message, /a submit handler of the project's scripts sends it with no script of the project adding the token/);
  });
});

describe('template forms: scanning stays linear', () => {
  // Each input took minutes when a scan restarted from every opener; the findings beside them must still be reported.
  const form = '<form method="post" action="/x"><button>Go</button></form>\n';

  test('100,000 unclosed comment and tag openers', async () => {
    const directory = writeProject({ 'pyproject.toml': '', 'templates/a.html': `${form}${'{#'.repeat(100_000)}`, 'templates/b.html': `${form}${'{{'.repeat(100_000)}` });
    assert.deepEqual((await templateFindings(directory)).map((finding) => finding.path).sort(), ['templates/a.html', 'templates/b.html']);
  });

  test('a long attribute chain, a long import list and many forms with many tags', async () => {
    const chain = `{{ ${'a.'.repeat(200_000)}b }}`;
    const imports = `{% from "x.html" import ${'a, '.repeat(50_000)}b${' '.repeat(50_000)}x %}`;
    const forms = '<form method="post" action="/y">{{ x }}<button>Go</button></form>\n'.repeat(20_000);
    const directory = writeProject({ 'pyproject.toml': '', 'templates/c.html': `${form}<form method="post" action="/z">${chain}<button>Go</button></form>\n${imports}\n${forms}` });
    assert.equal((await templateFindings(directory)).length, 20_002);
  });

  test('many forms beside many htmx headers without a token', async () => {
    const forms = `<div hx-headers='{"X-Trace": "1"}'>${' '.repeat(300)}</div><form method="post" action="/h"><button>Go</button></form>\n`.repeat(10_000);
    const directory = writeProject({ 'pyproject.toml': '', 'templates/d.html': forms });
    assert.equal((await templateFindings(directory)).length, 10_000);
  });
});

describe('template forms: htmx boosts are looked up once per template, not once per form', () => {
  /** Reads of the items of a list: scanning all of them for every form reads forms × items. */
  function countingReads<T>(items: T[], counter: { reads: number }): T[] {
    return new Proxy(items, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) counter.reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  }

  test('3000 blocks each holding a form, placed by a base template inside a boosted element, read each block and boost a bounded number of times', () => {
    const count = 3000;
    // Even blocks are placed inside the base's `hx-boost="true"`; odd ones hold their own `hx-boost="false"` around the form.
    const base = `<main hx-boost="true">${Array.from({ length: count }, (_, index) => `<span hx-boost="false"></span>{% block b${index} %}{% endblock %}`).join('')}</main>`;
    const child = `{% extends "base.html" %}${Array.from({ length: count }, (_, index) => (index % 2 === 0 ? `<i hx-boost="false"></i>{% block b${index} %}<form method="post"></form>{% endblock %}` : `{% block b${index} %}<div hx-boost="false"><form method="post"></form></div>{% endblock %}`)).join('')}`;
    const counter = { reads: 0 };
    const documents = [readTemplateDocument(templateFile('base.html', base)), readTemplateDocument(templateFile('child.html', child))].map((document) => ({ ...document, blocks: countingReads(document.blocks, counter), markup: { ...document.markup, boosts: countingReads(document.markup.boosts, counter) } }));
    const library = new TemplateLibrary(documents);
    const childDocument = documents[1]!;
    const boosted = childDocument.markup.forms.map((form) => isBoostedByHtmx(library, childDocument, form));
    assert.equal(boosted.length, count);
    assert.deepEqual(boosted, Array.from({ length: count }, (_, index) => index % 2 === 0));
    // Four lists of about `count` items each; read once per form each, they would be read 36 million times.
    assert.ok(counter.reads <= 10 * 4 * count, `${counter.reads} reads`);
  });
});

describe('template forms: deeply nested markup is read in time linear in the template', () => {
  test('50,000 nested elements around a form, between two forms at the top level: every form found, in a bounded number of moves', () => {
    const depth = 50_000;
    const text = `<form method="post" action="/a"></form>\n${'<div>'.repeat(depth)}<form method="post" action="/b"><input name="x"></form>${'</div>'.repeat(depth)}\n<form method="post" action="/c"></form>\n`;
    const { unshift, shift } = Array.prototype;
    let moves = 0;
    Array.prototype.unshift = function (this: unknown[], ...items: unknown[]) {
      moves += this.length;
      return unshift.apply(this, items);
    };
    Array.prototype.shift = function (this: unknown[]) {
      moves += this.length;
      return shift.apply(this);
    };
    let markup: ReturnType<typeof readMarkup>;
    try {
      markup = readMarkup(readTemplateSource(text));
    } finally {
      Array.prototype.unshift = unshift;
      Array.prototype.shift = shift;
    }
    assert.deepEqual(markup.forms.map((form) => [form.action, form.range.line, form.controls.length]), [['/a', 1, 0], ['/b', 2, 1], ['/c', 3, 0]]);
    assert.equal(markup.deepNestingLines[0], 2);
    // Each of the 100,006 tags moves at most the elements open; the whole stack would move 2.5 billion.
    const tags = 2 * depth + 6;
    assert.ok(moves <= 2 * MAX_MARKUP_DEPTH * tags, `${moves} moves`);
  });

  test('a form nested 900 deep in a boosted element, and one whose body nests 1,500 deep, are read whole, with no note', () => {
    const deepForm = `<main hx-boost="true">${'<div>'.repeat(900)}<form method="post" action="/d"><input name="x"></form>${'</div>'.repeat(900)}</main>`;
    const deepBody = `<form method="post" action="/e">${'<span>'.repeat(1500)}<input name="y">${'</span>'.repeat(1500)}</form>`;
    const document = readTemplateDocument(templateFile('deep.html', `${deepForm}\n${deepBody}\n`));
    assert.deepEqual(document.markup.forms.map((form) => [form.action, form.controls.length]), [['/d', 1], ['/e', 1]]);
    assert.deepEqual(document.markup.deepNestingLines, []);
    assert.equal(isBoostedByHtmx(new TemplateLibrary([document]), document, document.markup.forms[0]!), true);
  });

  test('a check notes the template nested past the limit, without failing the run, and still reports its forms', async () => {
    const form = '<form method="post" action="/x"><button>Go</button></form>';
    const directory = writeProject({ 'pyproject.toml': '', 'templates/deep.html': `${form}\n${'<div>'.repeat(3000)}\n${form}${'</div>'.repeat(3000)}\n${form}\n`, 'templates/flat.html': `${form}\n` });
    const result = await check({ paths: ['.'], cwd: directory, includeTests: true, respectGitignore: false, rules: [findRule(RULE)!] });
    assert.deepEqual(result.findings.map((finding) => `${finding.path}:${finding.line}`).sort(), ['templates/deep.html:1', 'templates/deep.html:3', 'templates/deep.html:4', 'templates/flat.html:1']);
    assert.deepEqual(result.errors, [{ path: 'templates/deep.html', message: 'elements nest more than 1,000 deep at line 2: the markup after that was read as if at the top level, so a form open across it was not checked' }]);
  });
});
