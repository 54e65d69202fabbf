import { CREDENTIAL_KEYWORDS } from '../../project/credentials.js';
import { csrfFieldNames } from '../../project/csrf-field-names.js';
import { projectTemplateTags } from '../../frameworks/django/template-tags.js';
import { CsrfTokenFinder, itemsBetween } from '../../templates/csrf-token.js';
import { type FormControl, methodOf, type TemplateElement, type TemplateForm } from '../../templates/forms.js';
import { FormTargets, related, type ServerCheck } from '../../templates/form-target.js';
import { hasCaptcha, onlySearches, requestsPasswordReset, signsIn } from '../../templates/form-purpose.js';
import { ScriptSubmissions, type Submission } from '../../templates/script-submission.js';
import { readTemplateDocument, type TemplateDocument } from '../../templates/template-document.js';
import { LibraryOverrides, type LibraryRendering } from '../../templates/library-overrides.js';
import { TemplateLibrary } from '../../templates/template-library.js';
import { TemplateReferences } from '../../templates/template-references.js';
import { isInsideStartTag, statementName, type TemplateTag } from '../../templates/template-syntax.js';
import { defineRule, type RuleContext, type Severity } from '../rule.js';
import { lowerForSameSite } from '../support/unprotected-apps.js';

/** Methods a form can send that change state (frameworks accept PUT, PATCH and DELETE through method overrides). */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Vue's `@submit.prevent`, `v-on:submit.prevent`, Alpine's `x-on:submit.prevent`, with any other modifiers. */
const SCRIPT_SUBMIT_HANDLER = /^(?:@|v-on:|x-on:)submit((?:\.[\w-]+)*)$/;

/** `onsubmit="send(this); return false"`, `onsubmit="event.preventDefault(); ..."`. */
const PREVENTING_ONSUBMIT = /preventDefault\s*\(|return\s+false\s*;?\s*$/;

/** Knockout's `data-bind="submit: save"` always cancels the browser's submission. */
const KNOCKOUT_SUBMIT_BINDING = /(?:^|[,{\s])submit\s*:/;

/** AngularJS's `ng-submit` cancels it when the form has no `action`. */
const ANGULAR_SUBMIT_ATTRIBUTES = new Set(['ng-submit', 'data-ng-submit']);

/** Buttons and inputs that submit their form, as opposed to `type="button"` or `type="reset"`. */
const SUBMIT_BUTTON_TYPES = new Set(['', 'submit']);
const SUBMIT_INPUT_TYPES = new Set(['submit', 'image']);

/** Inputs that block implicit submission: with one of them and no submit button, Enter in it still submits the form. */
const TEXT_INPUT_TYPES = new Set(['', 'text', 'search', 'url', 'tel', 'email', 'password', 'date', 'month', 'week', 'time', 'datetime-local', 'number']);

/** Template statements that render no element of their own: control flow, translation, URLs, variables. */
const PLAIN_STATEMENTS = new Set([
  'if', 'elif', 'else', 'endif', 'for', 'empty', 'endfor', 'with', 'endwith', 'trans', 'translate', 'blocktrans', 'blocktranslate',
  'endblocktrans', 'endblocktranslate', 'plural', 'url', 'load', 'set', 'endset', 'static', 'spaceless', 'endspaceless', 'autoescape',
  'endautoescape', 'firstof', 'cycle', 'now', 'filter', 'endfilter', 'localize', 'endlocalize', 'ifchanged', 'endifchanged',
  'regroup', 'widthratio', 'templatetag', 'do', 'get_current_language', 'endblock', 'endmacro', 'endcall', 'csrf_token',
]);

/** Expressions that render text only: translations. */
const TEXT_CALLS = /^\s*(?:_|gettext|ngettext|pgettext|npgettext|trans)\s*\(/;

/** Expressions that may render fields or buttons: a call (a macro), a form or field, markup marked safe. */
const MARKUP_EXPRESSION = /\(|form|field|button|submit|widget|input|\|\s*safe/i;

/** A start tag longer than this is shown with its method and action only. */
const MAX_SHOWN_TAG_LENGTH = 100;
const MAX_SHOWN_VALUE_LENGTH = 60;

export default defineRule({
  id: 'template-form-missing-csrf-token',
  code: 'CSRF401',
  title: 'Template form that changes state without a CSRF token',
  severity: 'medium',
  framework: 'templates',
  reads: 'templates',
  fix: 'Put {% csrf_token %} (Django) or {{ form.csrf_token }} / {{ csrf_token() }} (Flask-WTF) inside the form.',
  // Libraries that render the project's overrides of their templates are known by their imports; a reusable Django app by its URL conf.
  // The server's check is judged from the Django settings, the Flask apps, the Tornado, Pyramid and aiohttp applications with what authenticates their users.
  keywords: ['<form', 'urlpatterns', 'csrf_field_name', 'inclusion_tag', 'simple_tag', 'Library(', 'MIDDLEWARE', 'Flask', 'csrf', 'tornado', 'xsrf', 'Configurator', 'set_default_csrf_options', 'view_config', 'add_view', 'add_route', 'set_session_factory', 'AuthTkt', 'includeme', 'aiohttp', 'sqladmin', 'flask_admin', 'django.contrib.admin', 'contrib import admin', ...CREDENTIAL_KEYWORDS],
  doc: {
    whatItFinds: `A \`<form>\` in a template (Django or Jinja: \`.html\`, \`.htm\`, \`.jinja\`, \`.jinja2\`, \`.j2\`, \`.djhtml\`;
Chameleon, which Pyramid projects render: \`.pt\`, read as HTML with \`\${...}\` expressions)
under a \`templates/\` or \`jinja2/\` folder of the project, or a file named on the command line, whose
method is POST, PUT, PATCH or DELETE, in any case and quoting, that holds no CSRF token. A submit
button with \`formmethod="post"\` in a GET form (or naming it with \`form="id"\`) is reported the same way,
at the button.

What counts as the token:

- a \`{{ ... }}\` expression that ends with a name containing \`csrf\` or \`xsrf\`, called or not:
  \`{{ csrf_token }}\`, \`{{ csrf_token() }}\`, \`{{ form.csrf_token }}\`, \`{{ csrf_input }}\`, and
  project helpers such as \`{{ csrf_tag() }}\` or \`{{ render_csrf(form) }}\`; also \`{{ form.hidden_tag() }}\`;
- a \`{% ... %}\` tag whose name contains \`csrf\` (\`{% csrf_token %}\`), or Tornado's \`{% module xsrf_form_html() %}\`;
- in a Chameleon template, a \`\${...}\` expression ending with such a name
  (\`\${request.session.get_csrf_token()}\`); markup inserted from elsewhere (\`\${structure: form}\`,
  \`tal:replace="structure ..."\` or \`tal:content="structure ..."\`, \`metal:use-macro\`,
  \`metal:define-slot\`) may hold the token, so such a form is not reported;
- the CSRF field under the name the project gives it: \`{{ form.nonce }}\` when a form's \`class Meta\` sets
  \`csrf_field_name = "nonce"\` or the Flask config sets \`WTF_CSRF_FIELD_NAME\`;
- a hidden input named like \`csrf_token\`, \`csrfmiddlewaretoken\` or the renamed field;
- a call to a Jinja macro of the project whose body renders one of these (through other macros too):
  the macro defined in the same template, or else any macro of that name.
- outside the form, in the same template, any of these in a \`{{ ... }}\` that names the form's \`id\`: a token
  tied to it by WTForms' \`form=\` argument (\`{{ form.csrf_token(form="delete-note") }}\`), or a macro handed
  the id whose body renders the token (\`{{ buttons.token_for("delete-note", delete_form) }}\`).

\`{{ form.csrf_token.errors }}\` shows errors, not the token, and does not count; nor does anything inside an
HTML comment, \`{# ... #}\` or \`{% comment %}\`, and forms inside comments are not read at all.

Not reported: forms posting to another origin (\`action="https://..."\`); forms whose method is a
template expression; forms htmx sends (\`hx-post\`, or an \`hx-boost="true"\` on the form or an element around it,
in its template or around the \`{% block %}\` it fills in the template it extends, with no nearer \`hx-boost="false"\`)
when the page or the project's scripts add the token (\`hx-headers\`, an \`htmx:configRequest\` handler); forms submitted by a script that cancels the browser's submission
(\`@submit.prevent\`, \`v-on:submit.prevent\`, \`x-on:submit.prevent\`, a submit handler of the project's
scripts, a click handler on its buttons or on the form itself (\`$(document).on('click', '.js-follow-form', ...)\`)
that cancels the click, when the project's scripts send a CSRF header or field (\`$.ajaxSetup\`, axios
defaults, a fetch wrapper); an \`onsubmit\` that calls
\`preventDefault()\` or returns false, Knockout's \`data-bind="submit: ..."\`, AngularJS's \`ng-submit\` on
a form without \`action\`); forms whose body renders markup from elsewhere, where the
token may be (an include, a block, \`{% call %}\`, \`{{ caller() }}\`, \`{{ super() }}\`, crispy and
\`quick_form\`/\`render_form\` helpers, a project macro that does so, and markup the server built: a value
named like a form, field, widget or HTML marked \`|safe\` or written under \`{% autoescape off %}\`, as
\`{{ spawner_options_form|safe }}\`; \`{{ description|safe }}\` is text and hides nothing; and hidden inputs
named by the key of a loop over the request's posted fields, \`{% for field, value in post_data.items %}\`,
which post the incoming post, its token among them, again); and forms opened or closed in another
template. Forms in client-side templates (\`<script type="text/x-template">\` and the like) are read like
any other markup.

What is reported, and how it is ranked. By default only forms that are a hole, or may be one: a form
posting to a view that is exempt or to an app that checks nothing but logs users in with a cookie
(**high**), and a form whose server check cannot be told (**medium**). A form posting to a view the
server protects is **not reported by default**: the post is rejected, so the form is broken, not
forgeable, and a broken form is a bug users notice, not a security finding a reviewer must weigh.
\`report-broken-forms = true\` (\`--report-broken-forms\`) reports those too, as **low**. A Flask app whose
only check is a \`before_request\` hook that turns away posts from other sites by their headers
(\`Sec-Fetch-Site: cross-site\`, an \`Origin\` or \`Referer\` that is not the app's own), with no
CSRFProtect or token check beside it, needs no token in its forms: their posts come from the app's own
pages and pass, a forged one is refused; they are not reported, broken forms included. An app where
nothing a browser sends by itself logs anybody in (no session, no cookie login: a Tornado app without
\`cookie_secret\`, a Flask or Pyramid app without accounts) is no CSRF target, and its forms are not
reported — when every app that may render them is one: a Flask service without accounts beside a Tornado site that
logs users in with a cookie leaves the site's forms reported.
A Flask, Tornado, Pyramid or aiohttp app judges only the templates of its own folder (the folder holding
the \`templates\` folder lies in the app's, or the app's in it): two example apps side by side, each with a
\`templates/login.html\`, do not judge each other's forms. Django's settings judge every template of the project.

The finding names the view the form posts to when the template says
(\`{% url 'shop:cart' %}\`, \`url_for('shop.cart')\`); a Django \`{% url %}\` name is looked up in the
project's URL confs (\`path(..., name=...)\` under the conf's \`app_name\`, through \`include()\`), the same
model \`csrflint endpoints\` uses. A name those URL confs do not route (a library's view, a typo) is
**medium**, and the message says the name was not found: the view behind it may be exempt or
protected on its own, so the project-wide check says nothing of it. A form posting to a view that is exempt (\`@csrf_exempt\`,
\`method_decorator(csrf_exempt)\`, \`csrf_exempt(view)\` in the URL conf, \`@csrf.exempt\`), or to an app
that checks nothing but logs users in with a cookie, is **high**: that is the hole. Unless the exempt view is a
module-level function that reads its input but no user or session, and hands its request to no code that does
(as \`django-csrf-exempt\` judges it): a forged post then does only what anybody can do by calling it, **low**, and,
like that exemption, judged guarded (\`no-user\`): hidden unless guarded exemptions are asked for
(\`--report-guarded-exemptions\`). A form posting to a
view or app whose server checks every post (\`CsrfViewMiddleware\`, \`@csrf_protect\`, Flask-WTF's
\`CSRFProtect\` or a \`before_request\` token check, Tornado's \`xsrf_cookies\`, Pyramid's
\`set_default_csrf_options(require_csrf=True)\`) is a broken form (see above). A template rendered by
name from a module's \`templates\` folder (\`render_template("oauth/authorize.html")\` for
\`oauth/templates/authorize.html\`, as a blueprint's or a plugin's loader names it) is linked to the view
that renders it like any other, and so is one a class-based view names by its whole path under any template
root (\`template_name = "manage/seo/seo.html"\` for \`manage/templates/manage/seo/seo.html\`): a form without an
action posts back to that view, exempt or checked. The server is judged by the project's production apps and
settings: a test suite's own \`Flask(__name__)\` or an example app does not serve its templates, and a
template of the project's own package with no production app or settings beside it (a library's
templates, rendered in its users' apps, as Flask-AppBuilder's) is judged "cannot tell" (medium). A reusable Django app (a URL conf of Django's, and no settings module anywhere in
the scan: django-lfs) is rendered by a host project assumed to run \`CsrfViewMiddleware\`, as Django's default
settings do: its forms are judged broken, not forgeable, and the message says that this was assumed. A
Flask form posting only to views that validate a FlaskForm (which checks its own token even without
\`CSRFProtect\`), check a token themselves or read only JSON, by its \`url_for\` or as the page of the
view that renders it, is a broken form like one the app's check rejects. So is a form posting to views that a
decorator of the project guards with its own CSRF check before calling them (quay's \`@csrf_protect()\`, whose
wrapper calls \`verify_csrf()\`); where that check only compares the \`Origin\` header with the site's (Weasyl's
\`@token_checked\`, calling \`is_csrf_valid(request)\`), the site's own form passes it and nothing is reported. The
views are found by the form's \`url_for\` name, by a \`route_path\` name or path that a route table of the project
binds (\`Route("/settings", "settings", {"POST": settings_save})\`; a computed action, \`/reupload/\${feature}\`, by
every route under the folder it starts with, all of which must be so guarded), or as the unsafe views of the routes of the view
that renders a form posting back. A form whose \`url_for\` names a view under a blueprint of the project that no
code of the project defines or names (\`url_for('imports.import_file')\` after the view was removed), in a Flask
project whose views are all listed, posts to nothing and is not reported. A form posting into an unprotected Flask app whose
session cookie is \`SameSite\` (\`SESSION_COOKIE_SAMESITE\`, read as the app rule reads it) is ranked as the app
finding is: **low** for \`Strict\`, one step lower for \`Lax\`. A Flask form whose
\`url_for\` names only views that do nothing for the user whose cookie a forged post carries is not reported: a view that
only reads and answers with a page, as a whole or on the branch a post takes (\`if request.method == "POST":\`
that reads the form and ends in \`return redirect(...)\`, as a search or filter form redirected to a GET
page), judged as the exemption rules judge a read-only view; or a view that reads no user, session or cookie
(as the exemption rules judge a view that acts for nobody: the module importing the session or
Flask-Login's user for its other views does not count against it), unless a \`before_request\` hook of
the project reads a user and may turn the request away.

What the form is for lowers the rank of a post the server accepts or may accept:

- A **login or registration form** (a password field, by \`type="password"\` or by name, beside a username
  or email field, or posting to a view named for logging in or signing up) is **low**: a forged post
  signs in with the attacker's own password, so at worst it logs the user into the attacker's account
  ("login CSRF"), and nothing of the user's changes. A form that also asks for the current password
  (\`old_password\`) acts for the user already logged in and keeps its rank, and so does one posting to a
  view named for managing accounts (\`add_user\`, \`users.edit\`): an admin creating an account. Any other
  view name (\`openid.form_submit\`) leaves the fields to decide. A form with no \`action\` posts to the page it is on,
  and is judged by the one view that renders its template (a lone password field rendered by \`login\`).
- A **password-reset request** (an email or username and no password, posting to a view or URL named
  for a forgotten password: \`/auth/forgot/\`, \`password_reset\`) is **low**: a forged post mails a reset
  link to the account's own address.
- A **search form** (posted to a view or URL named for a search, \`search\`, \`find\`, \`lookup\`, with one text
  field named for a query, \`q\`, \`query\`, and else only hidden inputs and buttons) is **low**: a forged post runs
  a search whose results the forging page cannot read (whoogle's \`search.html\`). A text area or a rendered
  form field may carry more than a query, and keeps the rank.
- A form with a **captcha** (reCAPTCHA, hCaptcha, Turnstile, \`{{ form.recaptcha }}\`,
  \`g-recaptcha-response\`) is still reported, at **medium** at most. A captcha is no CSRF token: its
  answer is not bound to the user's session, and an attacker can solve one on the site and put the
  answer in the forged post. But each answer is good once and for about two minutes, so a forgery
  costs a solved captcha per victim, and it is not a hole that opens wholesale. In quay's
  \`oauthcaptcha.html\`, the form posts a reCAPTCHA answer to a view that verifies it with Google and
  marks the session as verified: forging it needs a fresh answer, and gains the attacker nothing.

Templates no server code names are **low**, with a note, unless a library renders them: a template under
\`templates/sqladmin/\` of a project importing SQLAdmin, or under \`templates/admin/\` of one importing
Django's admin or Flask-Admin, overrides the library's template of that name and is judged like any other (for Django's
admin, only a name the admin renders: \`admin/change_form.html\`, \`admin/<app>/<model>/change_list.html\`; the project's own
\`admin/reports/_parts/export_form.html\` is not one). A template in the library's own
package (\`sqladmin/templates/sqladmin/login.html\` in a scan of SQLAdmin itself) is said to be one of the library's own,
rendered in the apps of its users. A template counts as named when its file
name or its stem appears in a string literal of the project's Python code (\`render\`,
\`render_template\`, \`TemplateResponse\`, \`template_name\`, a list of names, a word the code joins into a
name) or in another template (\`include\`, \`extends\`, \`import\`). Such findings are not dropped: a name
built by an f-string or chosen by a theme is not read by the scan, so "no one names it" is never
certain; ranking it last keeps a dead template from crowding out the live ones without hiding a real
hole. A scan of templates alone, with no Python code of their project, ranks nothing this way.`,
    whyItMatters: `Django and Flask-WTF reject a POST without a valid token, so a form without one either fails
for every user or, more often, posts to a view that was exempted from CSRF checks to make it work:
the hole then sits in the view, and the template is where it shows.`,
    example: `<form method="post" action="/account/email">
  <input type="email" name="email">
  <button>Save</button>
</form>
`,
    useInstead: `<form method="post" action="/account/email">
  {% csrf_token %}
  <input type="email" name="email">
  <button>Save</button>
</form>
`,
    whenItIsFine: `A script sends the form with the token in a header (\`fetch\` or XHR with \`X-CSRFToken\`), which the
template cannot show; or the form posts to a view that does not rely on the session cookie (a search
form that only reads, an external payment provider). Record it in the template:
\`{# csrflint: ignore[template-form-missing-csrf-token] -- sent by settings.js with the X-CSRFToken header #}\`.`,
    exampleFile: 'templates/account/email.html',
    references: [
      { title: 'Django: the csrf_token template tag', url: 'https://docs.djangoproject.com/en/stable/ref/csrf/#using-csrf' },
      { title: 'Flask-WTF: CSRF token in templates', url: 'https://flask-wtf.readthedocs.io/en/stable/csrf/#html-forms' },
    ],
  },
  check({ project, settings, report }) {
    // Every finding is in a template: a scan of Python files alone (as pre-commit names them) has none.
    if (project.templates.length === 0) return;
    const documents = project.templates.map(readTemplateDocument);
    const library = new TemplateLibrary(documents);
    const tokens = new CsrfTokenFinder({ library, templateTags: projectTemplateTags(project), csrfFieldNames: csrfFieldNames(project) });
    const scripts = new ScriptSubmissions(project.scripts, documents, library);
    const references = new TemplateReferences(project, documents);
    const roots = [...new Set(project.modules.map((module) => module.projectRoot))];
    const hasServerCode = (projectRoot: string) => roots.some((root) => related(root, projectRoot));
    const templates: TemplateCheck = {
      report, reportBrokenForms: settings.reportBrokenForms === true, tokens, scripts, targets: new FormTargets(project), formsById: formsById(documents), formAround: formAround(documents), submittersByFormId: submittersByFormId(documents), references, overrides: new LibraryOverrides(project), hasServerCode, tagsByLiteral: new Map(),
    };
    for (const document of documents) {
      for (const form of document.markup.forms) reportForm(templates, { document, form });
      for (const control of document.markup.controls) reportSubmitter(templates, document, control);
    }
  },
});

/** What the checks of one project's templates share. */
interface TemplateCheck {
  report: RuleContext['report'];
  /** Whether forms whose post the server rejects are reported too (low): broken, not a hole. */
  reportBrokenForms: boolean;
  tokens: CsrfTokenFinder;
  scripts: ScriptSubmissions;
  targets: FormTargets;
  formsById: ReadonlyMap<string, FormSite[]>;
  /** The form each control is in. */
  formAround: ReadonlyMap<FormControl, FormSite>;
  /** Ids that a submit button outside its form names with `form="id"`. */
  submittersByFormId: ReadonlySet<string>;
  references: TemplateReferences;
  overrides: LibraryOverrides;
  /** Whether Python code of the template's project was scanned: without it, no template is known to be unrendered. */
  hasServerCode(projectRoot: string): boolean;
  /** Each template's expressions and tags by the string literals they hold, read on the first question. */
  tagsByLiteral: Map<TemplateDocument, Map<string, TemplateTag[]>>;
}

interface FormSite {
  document: TemplateDocument;
  form: TemplateForm;
}

function reportForm(templates: TemplateCheck, { document, form }: FormSite): void {
  if (form.method === undefined || !UNSAFE_METHODS.has(form.method) || postsElsewhere(form.action)) return;
  if (isSubmittedByScript(form) || templates.tokens.presenceIn(document, form.bodyStart, form.bodyEnd) !== 'absent') return;
  if (rendersTokenNamingForm(templates, document, form)) return;
  const submission = templates.scripts.submissionOf(document, form, form.controls.filter(submitsItsForm), hasSubmitter(templates, document, form));
  if (submission.by === 'nobody' || (submission.by === 'script' && submission.sendsToken)) return;
  const { view, routedView, check } = templates.targets.targetOf(form, document.file);
  if (check.kind === 'harmless' || check.kind === 'origin-checked' || check.kind === 'no-target' || (check.kind === 'rejects' && !templates.reportBrokenForms)) return;
  const target = view === undefined ? '' : ` (it posts to \`${view}\`${routedView === undefined ? '' : `, view \`${routedView}\``})`;
  // A form without an action posts to the page it is on: what it is for is told by the view that renders it.
  const judged = judgement(check, { document, form }, view ?? templates.targets.postedBackView(form, document.file));
  const message = `\`${shownTag(form, ['method', 'action'])}\`${target} ${missingToken(submission)}: ${judged.consequence}`;
  const guarded = exemptionGuarded(check);
  const rendering = templates.overrides.libraryRendering(document);
  if (rendering) return templates.report({ file: document.file, range: form.range, message: `${message}; ${libraryRenderingNote(rendering)}`, ...(judged.severity && { severity: judged.severity }), ...guarded });
  const unrendered = unrenderedNote(templates, document);
  if (unrendered) return templates.report({ file: document.file, range: form.range, message: `${message}; ${unrendered}`, severity: 'low', ...guarded });
  templates.report({ file: document.file, range: form.range, message, ...(judged.severity && { severity: judged.severity }), ...guarded });
}

/**
 * A form posting to an exempt view that acts for nobody and reads its input: \`django-csrf-exempt\`
 * judges that exemption guarded (\`no-user\`) and hides it by default, and the form that posts to it
 * shares its verdict, hidden and shown with it.
 */
function exemptionGuarded(check: ServerCheck): { guard?: string } {
  return check.kind === 'accepts' && check.actsForNobody ? { guard: 'no-user' } : {};
}

/**
 * What a forged post does (see \`purposeJudgement\`), no higher than the serving app's SameSite
 * setting allows, as the app rule ranks the app: a \`Strict\` session cookie makes it low, \`Lax\` one step lower.
 */
function judgement(check: ServerCheck, site: FormSite, view: string | undefined): { consequence: string; severity?: Severity } {
  const judged = purposeJudgement(check, site, view);
  if (check.kind !== 'accepts' || check.sameSite === undefined) return judged;
  const { setting, path, line } = check.sameSite;
  const consequence = `${judged.consequence}; but \`${setting}\` (${path}:${line}) keeps the session cookie off cross-site posts in current browsers, so only an older browser sends it`;
  return { consequence, severity: lowerForSameSite(judged.severity ?? 'high', check.sameSite) };
}

/**
 * What a forged post does, by the server's check and by what the form is for: a login or
 * registration form signs in with a password the attacker supplies, so at worst it logs the user
 * into the attacker's account (low); a captcha is no token, but an attacker must solve one per
 * victim and send it within minutes (medium at most).
 */
function purposeJudgement(check: ServerCheck, { document, form }: FormSite, view: string | undefined): { consequence: string; severity?: Severity } {
  const judged = { consequence: consequence(check), ...severityOf(check) };
  if (check.kind === 'rejects') return judged;
  if (signsIn(document, form, view)) return { consequence: `${judged.consequence}; but it is a login or registration form, signed in with a password the attacker would supply: at worst login CSRF (the user is logged into the attacker's account), and nothing of the user's changes`, severity: 'low' };
  if (requestsPasswordReset(document, form, view)) return { consequence: `${judged.consequence}; but it only asks for a password-reset link: a forged post mails one to the account's own address, and nothing of the user's changes`, severity: 'low' };
  if (onlySearches(document, form, view)) return { consequence: `${judged.consequence}; but it is a search form (one query field, posted to a search): a forged post runs a search whose results the forging page cannot read, and nothing of the user's changes`, severity: 'low' };
  if (check.kind === 'accepts' && !check.actsForNobody && hasCaptcha(document, form)) return { consequence: `${judged.consequence}; its captcha does not stop that, as an answer is not bound to the user's session: an attacker can solve one and send it in the forged post, once per victim and within minutes`, severity: 'medium' };
  return judged;
}

function libraryRenderingNote({ library, ownTemplate }: LibraryRendering): string {
  if (ownTemplate) return `it is one of ${library}'s own templates, which the library renders in the apps of its users, so whether their server checks the post cannot be told from the library`;
  return `the template overrides one of ${library}, which renders it`;
}

/**
 * A template no server code names may be dead, or be rendered under a name built at run time (an
 * f-string, a theme folder): ranked low and said so, never dropped.
 */
function unrenderedNote(templates: TemplateCheck, document: TemplateDocument): string | undefined {
  if (!templates.hasServerCode(document.file.projectRoot) || templates.references.isNamed(document)) return undefined;
  const fileName = document.file.path.slice(document.file.path.lastIndexOf('/') + 1);
  return `no render call, \`template_name\`, include or extends of the project names \`${fileName}\`: it may be dead, or its name is built at run time`;
}

/** A post the server rejects is a broken form; one it accepts is the hole itself. */
function consequence(check: ServerCheck): string {
  if (check.kind === 'rejects' && check.consequence !== undefined) return check.consequence;
  if (check.kind === 'rejects') return `${check.by} checks every post, so the post will be rejected, not forged: a broken form unless a script adds the token`;
  if (check.kind === 'accepts' && check.actsForNobody) return `${check.why}, but it reads no user or session from its request and hands it to no code that does: a page on another site can send this post, and it does only what anybody can do by calling the view directly`;
  if (check.kind === 'accepts') return `${check.why}, so a page on another site can send this post with the user's cookies`;
  return check.kind === 'unknown' && check.why !== undefined ? `${check.why}: ${CONSEQUENCE}` : CONSEQUENCE;
}

function severityOf(check: ServerCheck): { severity?: 'low' | 'high' } {
  if (check.kind === 'rejects') return { severity: 'low' };
  if (check.kind === 'accepts') return { severity: check.actsForNobody ? 'low' : 'high' };
  return {};
}

function missingToken(submission: Submission): string {
  if (submission.by !== 'script') return 'has no CSRF token field';
  return `has no CSRF token field, and ${submission.how} sends it with no script of the project adding the token`;
}

/**
 * Whether the browser can submit the form by itself: a submit button in it or naming it, Enter in
 * its only text field, or markup a template tag renders into it (a form's fields and buttons).
 */
function hasSubmitter(templates: TemplateCheck, document: TemplateDocument, form: TemplateForm): boolean {
  if (form.controls.some(submitsItsForm)) return true;
  const id = form.attributes.get('id');
  if (id !== undefined && templates.submittersByFormId.has(id)) return true;
  if (form.controls.filter(blocksImplicitSubmission).length === 1) return true;
  return itemsBetween(document.source.tags, form.bodyStart, form.bodyEnd).some((tag) => mayRenderMarkup(document, tag));
}

function blocksImplicitSubmission(control: FormControl): boolean {
  return control.element === 'input' && TEXT_INPUT_TYPES.has((control.attributes.get('type') ?? '').trim().toLowerCase());
}

/** A custom tag, an include or an expression in the text of the page may render fields and buttons; one inside an HTML tag's attributes does not. */
function mayRenderMarkup(document: TemplateDocument, tag: TemplateTag): boolean {
  if (tag.opaque) return true;
  if (tag.kind === 'statement') return !PLAIN_STATEMENTS.has(statementName(tag));
  if (TEXT_CALLS.test(tag.content) || !MARKUP_EXPRESSION.test(tag.content)) return false;
  return !isInsideStartTag(document.source, tag.start);
}

/**
 * A token rendered outside the form for it, by its id: \`{{ form.csrf_token(form="delete-form") }}\`,
 * or a macro handed the id (\`{{ buttons.confirm(form="delete-form", with=delete_form) }}\`) whose
 * body renders \`{{ with.csrf_token }}\` or \`hidden_tag()\`: the browser submits it with that form.
 */
function rendersTokenNamingForm(templates: TemplateCheck, document: TemplateDocument, form: TemplateForm): boolean {
  const id = form.attributes.get('id')?.trim();
  if (id === undefined || id === '') return false;
  const naming = tagsByLiteral(templates, document).get(id) ?? [];
  return naming.some((tag) => (tag.start < form.start || tag.start >= form.bodyEnd) && templates.tokens.presenceIn(document, tag.start, tag.end) === 'present');
}

function tagsByLiteral(templates: TemplateCheck, document: TemplateDocument): Map<string, TemplateTag[]> {
  const known = templates.tagsByLiteral.get(document);
  if (known) return known;
  const byLiteral = new Map<string, TemplateTag[]>();
  for (const tag of document.source.tags) {
    for (const literal of tag.content.matchAll(TAG_STRING_LITERAL)) {
      const value = (literal[1] ?? literal[2])!.trim();
      const tags = byLiteral.get(value) ?? [];
      tags.push(tag);
      byLiteral.set(value, tags);
    }
  }
  templates.tagsByLiteral.set(document, byLiteral);
  return byLiteral;
}

const TAG_STRING_LITERAL = /"([^"]*)"|'([^']*)'/g;

/** `<button formmethod="post">` in a GET form sends that form as a POST. */
function reportSubmitter(templates: TemplateCheck, document: TemplateDocument, control: FormControl): void {
  const method = methodOf(control.attributes.get('formmethod'));
  if (method === undefined || !UNSAFE_METHODS.has(method) || !submitsItsForm(control)) return;
  const site = formOf(templates, document, control);
  if (!site) return;
  const { form } = site;
  if (form.method === undefined || UNSAFE_METHODS.has(form.method) || isSubmittedByScript(form)) return;
  if (postsElsewhere(control.attributes.get('formaction') ?? form.action)) return;
  if (templates.tokens.presenceIn(site.document, form.bodyStart, form.bodyEnd) !== 'absent') return;
  const where = site.document === document ? '' : ` (${site.document.file.path})`;
  const message = `\`${shownTag(control, ['form', 'formmethod', 'formaction', 'name'])}\` sends \`${shownTag(form, ['method', 'action'])}\`${where} as ${method}, and the form has no CSRF token field: ${CONSEQUENCE}`;
  templates.report({ file: document.file, range: control.range, message });
}

/** Said of every finding: the reviewer checks the script first, then the view. */
const CONSEQUENCE = 'unless a script submits it with the token in a header, the view it posts to must be exempt from CSRF checks or the post fails';

/** An absolute URL goes to another site (or cannot be told from the template alone). */
function postsElsewhere(action: string | undefined): boolean {
  return action !== undefined && /^\s*(https?:)?\/\//i.test(action);
}

/** A form whose submit event a script cancels is sent by that script, which may put the token in a header. */
function isSubmittedByScript(form: TemplateForm): boolean {
  for (const [name, value] of form.attributes) {
    const handler = SCRIPT_SUBMIT_HANDLER.exec(name);
    if (handler?.[1]!.split('.').includes('prevent')) return true;
    if (name === 'onsubmit' && PREVENTING_ONSUBMIT.test(value.trim())) return true;
    if (name === 'data-bind' && KNOCKOUT_SUBMIT_BINDING.test(value)) return true;
    if (ANGULAR_SUBMIT_ATTRIBUTES.has(name) && form.action === undefined) return true;
  }
  return false;
}

function submitsItsForm(control: FormControl): boolean {
  const type = (control.attributes.get('type') ?? '').trim().toLowerCase();
  return control.element === 'button' ? SUBMIT_BUTTON_TYPES.has(type) : SUBMIT_INPUT_TYPES.has(type);
}

/**
 * The form a control submits: the one named by its `form` attribute (in the same template, or the
 * only form of the project with that id, as a page is assembled from includes), else the innermost
 * one around it.
 */
function formOf({ formsById, formAround }: TemplateCheck, document: TemplateDocument, control: FormControl): FormSite | undefined {
  const formId = control.attributes.get('form');
  if (formId !== undefined) {
    const named = formsById.get(formId) ?? [];
    return named.find((site) => site.document === document) ?? (named.length === 1 ? named[0] : undefined);
  }
  return formAround.get(control);
}

function formAround(documents: readonly TemplateDocument[]): Map<FormControl, FormSite> {
  const around = new Map<FormControl, FormSite>();
  for (const document of documents) for (const form of document.markup.forms) for (const control of form.controls) around.set(control, { document, form });
  return around;
}

function submittersByFormId(documents: readonly TemplateDocument[]): Set<string> {
  const ids = new Set<string>();
  for (const document of documents) {
    for (const control of document.markup.controls) {
      const id = control.attributes.get('form');
      if (id !== undefined && submitsItsForm(control)) ids.add(id);
    }
  }
  return ids;
}

function formsById(documents: readonly TemplateDocument[]): Map<string, FormSite[]> {
  const byId = new Map<string, FormSite[]>();
  for (const document of documents) {
    for (const form of document.markup.forms) {
      const id = form.attributes.get('id');
      if (id === undefined) continue;
      const sites = byId.get(id) ?? [];
      sites.push({ document, form });
      byId.set(id, sites);
    }
  }
  return byId;
}

/** The start tag as written, on one line; a long one is shown with the named attributes only. */
function shownTag(element: TemplateElement, keptAttributes: readonly string[]): string {
  const tag = element.startTag.replace(/\s+/g, ' ');
  if (tag.length <= MAX_SHOWN_TAG_LENGTH) return tag;
  const tagName = /^<[\w-]+/.exec(tag)?.[0] ?? '<form';
  const kept = keptAttributes.flatMap((name) => {
    const value = element.attributes.get(name);
    return value === undefined ? [] : [` ${name}="${shortened(value.replace(/\s+/g, ' '))}"`];
  });
  return `${tagName}${kept.join('')} …>`;
}

function shortened(value: string): string {
  return value.length <= MAX_SHOWN_VALUE_LENGTH ? value : `${value.slice(0, MAX_SHOWN_VALUE_LENGTH - 1)}…`;
}
