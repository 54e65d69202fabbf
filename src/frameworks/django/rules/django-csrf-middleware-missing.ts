import { configurationMiddlewares } from '../configuration-classes.js';
import { DjangoSettings, looksLikeDjangoSettings, namedSettingsModules, type Blame, type MiddlewareSetting } from '../settings.js';
import type { Project } from '../../../project/project.js';
import { gatherModuleByModule, type KeptShares } from '../../../project/kept-shares.js';
import { credentialsFromEvidence, moduleCredentialEvidence } from '../../../project/credentials.js';
import { stringValue } from '../../../project/values.js';
import { environmentSwitchOf, type EnvironmentSwitch } from '../environment-gated-removals.js';
import type { SourceModule } from '../../../project/source-module.js';
import { defineRule } from '../../../rules/rule.js';

export default defineRule({
  id: 'django-csrf-middleware-missing',
  code: 'CSRF101',
  title: 'Django settings without CsrfViewMiddleware',
  severity: 'high',
  framework: 'django',
  judges: 'project',
  fix: "Add 'django.middleware.csrf.CsrfViewMiddleware' to MIDDLEWARE, after SessionMiddleware.",
  keywords: ['MIDDLEWARE', 'DJANGO_SETTINGS_MODULE'],
  doc: {
    whatItFinds: `A Django settings module whose effective \`MIDDLEWARE\` (or, before Django 1.10,
\`MIDDLEWARE_CLASSES\`) does not contain \`django.middleware.csrf.CsrfViewMiddleware\` or a project
class that subclasses it. The list is evaluated as Django would load it: a list or a tuple, annotated
or not, built with \`+\`, \`*unpacking\`, \`list(...)\` and names bound to strings; inherited from
base settings through \`from .base import *\` or an imported list; edited with \`+=\`, \`.append\`,
\`.insert\`, \`.extend\`, \`.remove\` (also in a \`for\` loop over a constant list), \`.pop(i)\`, \`.clear()\`,
\`del MIDDLEWARE[i]\`, item and slice assignment and slices with constant positions (\`MIDDLEWARE.index("...")\` counts as
one); filtered by a comprehension (\`[m for m in MIDDLEWARE if "csrf" not in m]\`) or \`filter(lambda m: ..., MIDDLEWARE)\`.
A change csrflint cannot follow (a position computed at run time, a method it does not know) leaves the
list unknown, never unchanged. The finding points at the statement that dropped the middleware, or at the
assignment of a list that never had it, once, however many settings modules build on it.

A settings module is recognised by what it holds (Django's own middleware, \`INSTALLED_APPS\`,
\`ROOT_URLCONF\`, \`DATABASES\`...), not by its file name. A checkout that ships its settings only as
\`settings.py.sample\` or \`settings.py.example\`, beside no \`settings.py\` (each deployment copies the
template and keeps its copy out of the repository), has the template read as that settings module. A base module whose every child adds the
middleware is fine, unless \`DJANGO_SETTINGS_MODULE\` names the base itself. A list that cannot be
known without running the code (read from the environment, say) is not reported, nor is an empty
\`MIDDLEWARE = []\` that other production code fills before Django starts (\`settings.configure(MIDDLEWARE=...)\`
or \`settings_dict["MIDDLEWARE"] = ...\` in \`manage.py\`): the list Django runs with is assembled in code. Nor is a
development settings module (\`dev_settings.py\`) whose list holds none of Django's own middleware
(\`("debug_toolbar.middleware.DebugToolbarMiddleware",)\`) beside production settings that have CsrfViewMiddleware,
unless \`DJANGO_SETTINGS_MODULE\` names it: an overlay that the project's loader adds to those settings. A list with no
session or authentication middleware at all (a headless API that reads JWTs from headers) is
reported at low severity: no session cookie signs anybody in, so a forged request carries no login. So is a
list whose only login middleware is the project's own class reading nothing but a token the client sends in
a header (\`request.headers.get("x-token")\`): its name alone (\`AuthenticationMiddleware\`) says nothing. A
change that runs only under \`if FLAG:\`, \`FLAG\` read from an environment variable that is off unless set
(\`config("FLAG", default=False, cast=bool)\`, \`os.getenv("FLAG")\`), is low: deployments decide; when the
switch is named for test runs (\`CI\`, \`TEST\`, \`TESTING\`) the finding is test context, hidden by default.
A class named \`CsrfViewMiddleware\` from a module outside the scan (a drop-in package such as
\`verbose_csrf_middleware.CsrfViewMiddleware\`) may well check tokens: that list is reported at low
severity, naming the entry to check, and the endpoint inventory calls its views' protection unknown.

django-configurations settings classes (\`class Prod(Base)\` with \`class Base(Configuration)\`) are read
too: a class's \`MIDDLEWARE\` attribute, or the one it inherits, built from lists and
\`Base.MIDDLEWARE + [...]\`. Every configuration class that no other one builds on may be the one
\`DJANGO_CONFIGURATION\` names, so each is judged; a list inherited by several is reported once, where it is assigned.`,
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
    const reader = new DjangoSettings(project);
    for (const setting of judgedSettings(project)) {
      const { list } = setting;
      const blame = list?.blame;
      if (!list || !blame || (list.open && list.entries.length === 0)) continue;
      if (list.entries.length === 0 && writtenAtRunTime(project, setting)) continue;
      const lookalike = reader.unscannedCsrfLookalike(setting.module, list.entries);
      if (lookalike) {
        report({ file: blame.module, range: blame.range, ...lookalikeReport(setting, lookalike) });
        continue;
      }
      const details = loginDetails(project, list.entries, list.open);
      const gate = environmentSwitchOf(project, blame.module, blame.range);
      report({ file: blame.module, range: blame.range, message: blameMessage(setting, blame), ...details, ...(gate ? switchedReport(gate) : {}) });
    }
    for (const configuration of configurationMiddlewares(project)) {
      const { entries, open, blame } = configuration;
      if ((open && entries.length === 0) || reader.containsCsrfMiddleware(configuration.module, entries)) continue;
      const details = loginDetails(project, entries, open);
      const message = `\`${configuration.setting}\` (django-configurations) does not include django.middleware.csrf.CsrfViewMiddleware: no view checks CSRF tokens`;
      report({ file: blame.module, range: blame.range, message, ...details });
    }
  },
});

/**
 * The settings modules Django may load: every one with a middleware list, except a base module
 * that others build on (its children are judged instead), unless it is itself named as
 * `DJANGO_SETTINGS_MODULE`. A base that lacks the middleware is still blamed through its children.
 */
function judgedSettings(project: Project): MiddlewareSetting[] {
  // Each module's run starts afresh: a run kept from another module's share would not be noted as read by this one.
  const candidates = gatherModuleByModule(project, keptSettings, '', (module, add) => {
    const setting = new DjangoSettings(project).middleware(module);
    if (setting?.list && looksLikeDjangoSettings(module, setting.list.entries)) add(setting);
  });
  const bases = new Set<SourceModule>(candidates.flatMap((setting) => setting.basedOn));
  const named = namedSettingsModules(project);
  const judged = candidates.filter((setting) => !bases.has(setting.module) || named.has(setting.module));
  return judged.filter((setting) => named.has(setting.module) || !isDevelopmentOverlay(project, setting, candidates));
}

/**
 * A development settings module whose list holds none of Django's middleware (`("debug_toolbar.middleware.DebugToolbarMiddleware",)`),
 * beside production settings that check CSRF tokens: an overlay the project's loader adds to those
 * settings (janeway's `dev_settings` merged into its global settings), not a stack Django runs alone.
 */
function isDevelopmentOverlay(project: Project, setting: MiddlewareSetting, candidates: readonly MiddlewareSetting[]): boolean {
  const { module, list } = setting;
  if (module.context !== 'development' || !list || list.open || list.entries.some((entry) => entry.startsWith('django.'))) return false;
  const reader = new DjangoSettings(project);
  return candidates.some(
    (other) => other.module !== module && other.module.projectRoot === module.projectRoot && other.module.context === 'production' && other.list !== undefined && reader.containsCsrfMiddleware(other.module, other.list.entries),
  );
}

/** Each module's middleware setting, kept across a language server's edits of modules it did not read. */
const keptSettings = new WeakMap<Project, KeptShares<MiddlewareSetting>>();

/**
 * An empty list that production code outside the settings module fills before Django starts
 * (`settings.configure(MIDDLEWARE=...)`, `settings_dict["MIDDLEWARE"] = ...` in `manage.py`): the list
 * Django runs with is assembled in code, so the empty one says nothing of it.
 */
function writtenAtRunTime(project: Project, setting: MiddlewareSetting): boolean {
  const elsewhere = project.modules.filter((module) => module !== setting.module && module.projectRoot === setting.module.projectRoot && module.context !== 'test');
  return elsewhere.some(
    (module) =>
      module.facts.calls.some(({ call }) => call.args.some((argument) => argument.name === setting.name)) ||
      module.facts.assignments.some(({ target, scope }) => target.kind === 'subscript' && stringValue(project, { module, scope, expr: target.index }) === setting.name),
  );
}

/** A middleware that signs users in from what the browser sends: sessions, Django's or another authentication middleware. */
const LOGIN_MIDDLEWARE = /session|auth|login|user/i;

/** Severity and hint by what the list signs users in with: the rule's own when a login middleware is kept or entries are unknown. */
function loginDetails(project: Project, entries: readonly string[], open: boolean) {
  if (open) return { hint: 'the list also takes entries that cannot be read without running the code: check that none of them is CsrfViewMiddleware' };
  const logins = entries.filter((entry) => LOGIN_MIDDLEWARE.test(entry.slice(entry.lastIndexOf('.') + 1)));
  const headerLogins = logins.filter((entry) => signsInByHeaderOnly(project, entry));
  if (logins.length > headerLogins.length) return {};
  const [headerLogin] = headerLogins;
  if (headerLogin === undefined) return NO_SESSION_MIDDLEWARE;
  return {
    severity: 'low',
    hint: `\`${headerLogin}\` signs users in by a token sent in a header only, and the list has no SessionMiddleware: a forged request carries no login; add the middleware before any cookie login`,
  } as const;
}

/**
 * A project's own middleware named for logins that reads only a token the client puts in a header
 * (spug's `AuthenticationMiddleware` over `X-Token`): the browser sends none of it by itself.
 */
function signsInByHeaderOnly(project: Project, entry: string): boolean {
  const site = project.findDefinition(entry);
  if (site?.definition.kind !== 'class') return false;
  return credentialsFromEvidence(moduleCredentialEvidence(project, site.module)).verdict === 'header-token-only';
}

/**
 * A statement that runs only when the environment sets a switch: named for test runs, the finding
 * is test context (hidden by default, as test settings are); otherwise low, as deployments decide.
 */
function switchedReport(gate: EnvironmentSwitch) {
  if (gate.testRun) {
    return { context: 'test', hint: `this runs only when the environment sets \`${gate.variable}\`, a switch named for test runs and off by default: check that no deployment sets it` } as const;
  }
  return { severity: 'low', hint: `this runs only when the environment sets \`${gate.variable}\`, off by default: check that no deployment sets it` } as const;
}

const NO_SESSION_MIDDLEWARE = {
  severity: 'low',
  hint: 'the list has no SessionMiddleware and no authentication middleware: no session cookie signs users in, so a forged request carries no login (an API authenticated by tokens in headers, say); add the middleware before any of them',
} as const;

/** A class named as Django's CSRF middleware that the scan cannot read: whether views are checked cannot be told. */
function lookalikeReport(setting: MiddlewareSetting, entry: string) {
  return {
    severity: 'low',
    message: `\`${setting.name}\` has \`${entry}\`, a class outside the scan, in place of django.middleware.csrf.CsrfViewMiddleware: whether views check CSRF tokens cannot be told`,
    hint: `check \`${entry}\`: if it is a drop-in copy of Django's CsrfViewMiddleware (a package in your requirements, say), every view is checked and this can be ignored with that reason`,
  } as const;
}

function blameMessage(setting: MiddlewareSetting, blame: Blame): string {
  if (blame.removedCsrf && blame.replacedList) return `\`${blame.statement}\` replaces a list that had CsrfViewMiddleware with one that lacks it: no view checks CSRF tokens`;
  if (blame.removedCsrf) return `\`${blame.statement}\` takes CsrfViewMiddleware out of \`${setting.name}\`: no view checks CSRF tokens`;
  return `\`${setting.name}\` does not include django.middleware.csrf.CsrfViewMiddleware: no view checks CSRF tokens`;
}
