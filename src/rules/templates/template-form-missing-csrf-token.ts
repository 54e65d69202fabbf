import { findForms, type TemplateForm } from '../../templates/forms.js';
import { defineRule } from '../rule.js';

/** Methods a form can send that change state (frameworks accept PUT, PATCH and DELETE through method overrides). */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Template syntax that renders the token: Django's `{% csrf_token %}` and `{{ csrf_token }}`,
 * Flask-WTF's `{{ csrf_token() }}`, `{{ form.csrf_token }}` and `{{ form.hidden_tag() }}`,
 * django-jinja's `{{ csrf_input }}`. Matched inside the form's own text, which the HTML tokenizer delimits.
 */
const TOKEN_TAGS = /\{%-?\s*csrf_token\s*-?%\}|\{\{-?\s*[\w.]*csrf_(token|input)\b|\.hidden_tag\s*\(/;

/**
 * Template tags that render markup from elsewhere, which may well hold the token: an include, a
 * block a child template fills, a crispy or Flask-WTF/Bootstrap form macro. The form is then not judged.
 */
const OPAQUE_TAGS = /\{%-?\s*(include|block|crispy|render_form|call|form)\b|\{\{-?\s*[\w.]*(quick_form|render_form|render_field_with_errors)\s*\(/;

/** Hidden input names frameworks and hand-written forms use for the token. */
const TOKEN_INPUT = /csrf|xsrf|authenticity_token/i;

export default defineRule({
  id: 'template-form-missing-csrf-token',
  code: 'CSRF401',
  title: 'Template form that changes state without a CSRF token',
  severity: 'medium',
  framework: 'templates',
  reads: 'templates',
  fix: 'Put {% csrf_token %} (Django) or {{ form.csrf_token }} / {{ csrf_token() }} (Flask-WTF) inside the form.',
  keywords: ['<form'],
  doc: {
    whatItFinds: `A \`<form>\` in a Django or Jinja template (\`.html\`, \`.htm\`, \`.jinja\`, \`.jinja2\`, \`.j2\`, \`.djhtml\`
under a \`templates/\` or \`jinja2/\` folder, or a file named on the command line) whose method is POST,
PUT, PATCH or DELETE, in any case and quoting, and with attributes across lines, that holds no CSRF
token: no \`{% csrf_token %}\`, \`{{ csrf_token }}\`, \`{{ csrf_token() }}\`, \`{{ form.csrf_token }}\`,
\`{{ form.hidden_tag() }}\`, \`{{ csrf_input }}\`, nor a hidden input named like \`csrf_token\` or
\`csrfmiddlewaretoken\`. The HTML is read with a tokenizer, so a token inside nested template tags or
on the \`<form>\` line counts. Not reported: forms posting to another origin
(\`action="https://..."\`), forms whose method is a template expression, forms that include other
templates or fill blocks (the token may be there), and forms opened or closed in another template.`,
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
    whenItIsFine: `The form posts to a view that does not rely on the session cookie (a search form that only reads, an
external payment provider). Record it in the template: \`{# csrflint: ignore[template-form-missing-csrf-token] -- posts to the payment provider #}\`.`,
    exampleFile: 'templates/account/email.html',
    references: [
      { title: 'Django: the csrf_token template tag', url: 'https://docs.djangoproject.com/en/stable/ref/csrf/#using-csrf' },
      { title: 'Flask-WTF: CSRF token in templates', url: 'https://flask-wtf.readthedocs.io/en/stable/csrf/#html-forms' },
    ],
  },
  check({ project, report }) {
    for (const template of project.templates) {
      for (const form of findForms(template.text)) {
        if (!needsToken(form) || mayHoldToken(form)) continue;
        report({ file: template, range: form.range, message: `\`<form method="${form.method!.toLowerCase()}">\` sends no CSRF token: its view is either unprotected or exempted, or the form fails` });
      }
    }
  },
});

function needsToken(form: TemplateForm): boolean {
  if (form.method === undefined || !UNSAFE_METHODS.has(form.method)) return false;
  return !postsElsewhere(form.action);
}

/** An absolute URL goes to another site (or cannot be told from the template alone). */
function postsElsewhere(action: string | undefined): boolean {
  return action !== undefined && /^\s*(https?:)?\/\//i.test(action);
}

function mayHoldToken(form: TemplateForm): boolean {
  return TOKEN_TAGS.test(form.body) || OPAQUE_TAGS.test(form.body) || form.inputNames.some((name) => TOKEN_INPUT.test(name));
}
