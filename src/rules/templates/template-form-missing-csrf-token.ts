import { csrfFieldNames } from '../../project/csrf-field-names.js';
import { CsrfTokenFinder } from '../../templates/csrf-token.js';
import { type FormControl, methodOf, type TemplateElement, type TemplateForm } from '../../templates/forms.js';
import { readTemplateDocument, type TemplateDocument } from '../../templates/template-document.js';
import { defineRule, type RuleContext } from '../rule.js';

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
  keywords: ['<form', 'csrf_field_name'],
  doc: {
    whatItFinds: `A \`<form>\` in a Django or Jinja template (\`.html\`, \`.htm\`, \`.jinja\`, \`.jinja2\`, \`.j2\`, \`.djhtml\`
under a \`templates/\` or \`jinja2/\` folder of the project, or a file named on the command line) whose
method is POST, PUT, PATCH or DELETE, in any case and quoting, that holds no CSRF token. A submit
button with \`formmethod="post"\` in a GET form (or naming it with \`form="id"\`) is reported the same way,
at the button.

What counts as the token:

- a \`{{ ... }}\` expression that ends with a name containing \`csrf\` or \`xsrf\`, called or not:
  \`{{ csrf_token }}\`, \`{{ csrf_token() }}\`, \`{{ form.csrf_token }}\`, \`{{ csrf_input }}\`, and
  project helpers such as \`{{ csrf_tag() }}\` or \`{{ render_csrf(form) }}\`; also \`{{ form.hidden_tag() }}\`;
- a \`{% ... %}\` tag whose name contains \`csrf\` (\`{% csrf_token %}\`), or Tornado's \`{% module xsrf_form_html() %}\`;
- the CSRF field under the name the project gives it: \`{{ form.nonce }}\` when a form's \`class Meta\` sets
  \`csrf_field_name = "nonce"\` or the Flask config sets \`WTF_CSRF_FIELD_NAME\`;
- a hidden input named like \`csrf_token\`, \`csrfmiddlewaretoken\` or the renamed field;
- a call to a Jinja macro of the project whose body renders one of these (through other macros too):
  the macro defined in the same template, or else any macro of that name.

\`{{ form.csrf_token.errors }}\` shows errors, not the token, and does not count; nor does anything inside an
HTML comment, \`{# ... #}\` or \`{% comment %}\`, and forms inside comments are not read at all.

Not reported: forms posting to another origin (\`action="https://..."\`); forms whose method is a
template expression; forms submitted by a script that cancels the browser's submission
(\`@submit.prevent\`, \`v-on:submit.prevent\`, \`x-on:submit.prevent\`, an \`onsubmit\` that calls
\`preventDefault()\` or returns false, Knockout's \`data-bind="submit: ..."\`, AngularJS's \`ng-submit\` on
a form without \`action\`); forms whose body renders markup from elsewhere, where the
token may be (an include, a block, \`{% call %}\`, \`{{ caller() }}\`, \`{{ super() }}\`, crispy and
\`quick_form\`/\`render_form\` helpers, a project macro that does so); and forms opened or closed in another
template. Forms in client-side templates (\`<script type="text/x-template">\` and the like) are read like
any other markup.`,
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
  check({ project, report }) {
    const documents = project.templates.map(readTemplateDocument);
    const templates: TemplateCheck = { report, tokens: new CsrfTokenFinder(documents, csrfFieldNames(project)), formsById: formsById(documents) };
    for (const document of documents) {
      for (const form of document.markup.forms) reportForm(templates, { document, form });
      for (const control of document.markup.controls) reportSubmitter(templates, document, control);
    }
  },
});

/** What the checks of one project's templates share. */
interface TemplateCheck {
  report: RuleContext['report'];
  tokens: CsrfTokenFinder;
  formsById: ReadonlyMap<string, FormSite[]>;
}

interface FormSite {
  document: TemplateDocument;
  form: TemplateForm;
}

function reportForm({ report, tokens }: TemplateCheck, { document, form }: FormSite): void {
  if (form.method === undefined || !UNSAFE_METHODS.has(form.method) || postsElsewhere(form.action)) return;
  if (isSubmittedByScript(form) || tokens.presenceIn(document, form.bodyStart, form.bodyEnd) !== 'absent') return;
  report({ file: document.file, range: form.range, message: `\`${shownTag(form, ['method', 'action'])}\` has no CSRF token field: ${CONSEQUENCE}` });
}

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
function formOf({ formsById }: TemplateCheck, document: TemplateDocument, control: FormControl): FormSite | undefined {
  const formId = control.attributes.get('form');
  if (formId !== undefined) {
    const named = formsById.get(formId) ?? [];
    return named.find((site) => site.document === document) ?? (named.length === 1 ? named[0] : undefined);
  }
  const form = document.markup.forms.filter((candidate) => candidate.bodyStart <= control.start && control.start < candidate.bodyEnd).at(-1);
  return form && { document, form };
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
