import { containsCsrfMiddleware, looksLikeDjangoSettings, middlewareSetting } from '../../project/django-settings.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'django-csrf-middleware-missing',
  code: 'CSRF101',
  title: 'Django settings without CsrfViewMiddleware',
  severity: 'high',
  framework: 'django',
  fix: "Add 'django.middleware.csrf.CsrfViewMiddleware' to MIDDLEWARE, after SessionMiddleware.",
  keywords: ['MIDDLEWARE'],
  doc: {
    whatItFinds: `A Django settings module whose \`MIDDLEWARE\` (or, before Django 1.10, \`MIDDLEWARE_CLASSES\`)
does not contain \`django.middleware.csrf.CsrfViewMiddleware\` or a project class that subclasses it.
The list may be a list or a tuple, annotated or not, built with \`+\`, \`*unpacking\` and names bound
to strings, and edited with \`+=\`, \`.append\`, \`.insert\`, \`.extend\` and \`.remove\`; the finding
points at the statement that dropped the middleware, or at the assignment of a list that never had
it. A settings module is recognised by what it holds (Django's own middleware, \`INSTALLED_APPS\`,
\`ROOT_URLCONF\`, \`DATABASES\`...), not by its file name. A list that cannot be known without running
the code (read from the environment, say) is not reported.`,
    whyItMatters: `\`CsrfViewMiddleware\` is what checks the CSRF token of every POST, PUT, PATCH and DELETE
request in a Django site. Without it no view is protected: any web site a logged-in user visits can
submit forms to yours in the user's name, and \`{% csrf_token %}\` in templates checks nothing.`,
    example: `INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "shop"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
`,
    useInstead: `INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "shop"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
`,
    whenItIsFine: `The project serves no browser sessions at all, for example an API authenticated only by
tokens in headers, with no cookie-based login. Settings used only by tests are test context and
hidden by default. Say why where the list is defined: \`# csrflint: ignore[django-csrf-middleware-missing]
-- token-only API, no session cookie\`.`,
    references: [
      { title: 'Django: Cross Site Request Forgery protection', url: 'https://docs.djangoproject.com/en/stable/ref/csrf/' },
      { title: 'Django: middleware ordering', url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#middleware-ordering' },
    ],
  },
  check({ project, report }) {
    for (const module of project.modules) {
      const setting = middlewareSetting(project, module);
      if (!setting?.entries || !looksLikeDjangoSettings(module, setting.entries)) continue;
      if (containsCsrfMiddleware(project, module, setting.entries)) continue;
      if (setting.csrfRemovedAt) {
        report({ module, range: setting.csrfRemovedAt, message: `\`${setting.csrfRemovedBy}\` takes CsrfViewMiddleware out of \`${setting.name}\`: no view checks CSRF tokens` });
      } else {
        report({ module, range: setting.assignedAt, message: `\`${setting.name}\` does not include django.middleware.csrf.CsrfViewMiddleware: no view checks CSRF tokens` });
      }
    }
  },
});
