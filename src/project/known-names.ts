/**
 * Public names of the frameworks csrflint knows, in one canonical spelling. Libraries re-export
 * names and rename packages over the years; every spelling maps to one name here so that rules
 * compare a single string.
 */

/**
 * The top-level packages of the frameworks csrflint knows and of their CSRF and login extensions.
 * A scanned module under one of these names is the library itself (its own repository, a vendored
 * copy, an example folder named after it): never an application's code, and never an alias that
 * would take the real library's names.
 */
const FRAMEWORK_PACKAGES = new Set([
  'aiohttp', 'aiohttp_security', 'aiohttp_session', 'django', 'fastapi', 'flask', 'flask_appbuilder', 'flask_httpauth',
  'flask_jwt_extended', 'flask_login', 'flask_seasurf', 'flask_security', 'flask_wtf', 'litestar', 'ninja', 'pyramid',
  'quart', 'quart_wtf', 'rest_framework', 'starlette', 'starlite', 'tornado', 'werkzeug',
]);

/** Whether a dotted module name lies in one of the framework packages above. */
export function isFrameworkPackage(moduleName: string): boolean {
  return FRAMEWORK_PACKAGES.has(moduleName.split('.', 1)[0]!);
}

/** Longest-prefix rewrites: the left side, and anything under it, is the right side. */
const CANONICAL_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['flask.app.Flask', 'flask.Flask'],
  ['flask.ext.wtf', 'flask_wtf'],
  ['flaskext.wtf', 'flask_wtf'],
  ['flask.ext.seasurf', 'flask_seasurf'],
  ['flask_wtf.CSRFProtect', 'flask_wtf.csrf.CSRFProtect'],
  ['flask_wtf.CsrfProtect', 'flask_wtf.csrf.CsrfProtect'],
  ['flask_wtf.form.FlaskForm', 'flask_wtf.FlaskForm'],
  ['flask_wtf.form.Form', 'flask_wtf.Form'],
  ['baseframe.forms.form', 'baseframe.forms'],
  ['quart.app.Quart', 'quart.Quart'],
  ['quart_wtf.CSRFProtect', 'quart_wtf.csrf.CSRFProtect'],
  ['quart_wtf.form.QuartForm', 'quart_wtf.QuartForm'],
  ['ninja.security.apikey', 'ninja.security'],
  ['ninja.security.session', 'ninja.security'],
  ['ninja.main.NinjaAPI', 'ninja.NinjaAPI'],
  ['fastapi.applications.FastAPI', 'fastapi.FastAPI'],
  ['fastapi.middleware.Middleware', 'starlette.middleware.Middleware'],
  ['starlette_csrf.middleware.CSRFMiddleware', 'starlette_csrf.CSRFMiddleware'],
  ['starlette_wtf.csrf', 'starlette_wtf'],
  ['starlette_wtf.form.StarletteForm', 'starlette_wtf.StarletteForm'],
  ['litestar.app.Litestar', 'litestar.Litestar'],
  ['aiohttp.web_app.Application', 'aiohttp.web.Application'],
  ['asfquart.base.construct', 'asfquart.construct'],
];

export function canonicalExternalName(qualifiedName: string): string {
  let best: readonly [string, string] | undefined;
  for (const entry of CANONICAL_PREFIXES) {
    const [prefix] = entry;
    const matches = qualifiedName === prefix || qualifiedName.startsWith(`${prefix}.`);
    if (matches && (!best || prefix.length > best[0].length)) best = entry;
  }
  return best ? best[1] + qualifiedName.slice(best[0].length) : qualifiedName;
}

/**
 * Third-party classes that extend a framework's application class, by canonical name, with the class
 * they extend. The scan follows inheritance through scanned code only; these live in libraries the
 * project installs, so their base is written here. asfquart (the ASF's Quart wrapper) makes a
 * `QuartApp(quart.Quart)`.
 */
export const LIBRARY_SUBCLASSES: ReadonlyMap<string, string> = new Map([['asfquart.base.QuartApp', 'quart.Quart']]);

/**
 * Functions of third-party libraries that create an application, with the class of what they
 * return: `asfquart.construct(__name__)` is a `QuartApp` (apache/tooling-trusted-releases).
 */
const LIBRARY_APP_FACTORIES: ReadonlyMap<string, string> = new Map([['asfquart.construct', 'asfquart.base.QuartApp']]);

/** The library factories that create an instance of one of `classes`. */
export function libraryFactoriesOf(classes: ReadonlySet<string>): string[] {
  return [...LIBRARY_APP_FACTORIES].flatMap(([factory, created]) => (classes.has(created) ? [factory] : []));
}

/** The class of what a call of `callee` creates: the callee itself, or what a library factory returns. */
export function classCreatedBy(callee: string): string {
  return LIBRARY_APP_FACTORIES.get(callee) ?? callee;
}

export const DJANGO = {
  csrfExempt: 'django.views.decorators.csrf.csrf_exempt',
  methodDecorator: 'django.utils.decorators.method_decorator',
  csrfMiddlewareClass: 'django.middleware.csrf.CsrfViewMiddleware',
} as const;

export const FLASK = {
  appClasses: new Set(['flask.Flask']),
  /** Objects whose `exempt` and `init_app` are Flask-WTF's or Flask-SeaSurf's. */
  csrfProtectClasses: new Set(['flask_wtf.csrf.CSRFProtect', 'flask_wtf.csrf.CsrfProtect', 'flask_seasurf.SeaSurf']),
  /** `Form` is Flask-WTF's name for `FlaskForm` before 0.13; both carry CSRF protection. */
  formClasses: new Set(['flask_wtf.FlaskForm', 'flask_wtf.Form']),
  /**
   * FlaskForm subclasses of libraries whose code is not scanned, which carry its CSRF token: Hasgeek's
   * Baseframe (\`forms.Form\`, \`forms.RecaptchaForm\`), the base of every form of funnel and hasjob.
   * A view that validates one is guarded (CSRF202); CSRF204 does not judge them yet: their subforms
   * turn the check off where the parent form carries the token, which it cannot tell.
   */
  libraryFormClasses: new Set(['baseframe.forms.Form', 'baseframe.forms.RecaptchaForm']),
} as const;

/**
 * Functions of libraries outside the scan that confirm a state change with a FlaskForm they validate
 * (its CSRF token checked) before they make it: Baseframe's \`render_delete_sqla(obj, db, ...)\`
 * deletes only after its \`ConfirmDeleteForm\` validates.
 */
export const FORM_CONFIRMING_LIBRARY_FUNCTIONS: ReadonlySet<string> = new Set(['baseframe.forms.render_delete_sqla']);

export const QUART = {
  appClasses: new Set(['quart.Quart']),
  /** quart-csrf's and Quart-WTF's protectors, both modelled on Flask-WTF's. */
  csrfProtectClasses: new Set(['quart_csrf.CSRFProtect', 'quart_wtf.csrf.CSRFProtect']),
  formClasses: new Set(['quart_wtf.QuartForm']),
} as const;

/**
 * Names so specific to one library that, used without any import or assignment (a snippet, or a
 * star import from a module that was not scanned), they can only mean that library's object.
 */
export const UNBOUND_NAME_MEANINGS: ReadonlyMap<string, string> = new Map([
  ['csrf_exempt', DJANGO.csrfExempt],
  ['method_decorator', DJANGO.methodDecorator],
  ['Flask', 'flask.Flask'],
  ['CSRFProtect', 'flask_wtf.csrf.CSRFProtect'],
  ['CsrfProtect', 'flask_wtf.csrf.CsrfProtect'],
  ['SeaSurf', 'flask_seasurf.SeaSurf'],
  ['FlaskForm', 'flask_wtf.FlaskForm'],
]);

/**
 * The top-level packages into which a name can resolve in a project that imports only `used`: the
 * ones an unbound name may mean (`Flask` alone is `flask.Flask`), and those the rewrites above lead
 * to from a used one (`flask.ext.wtf` is `flask_wtf`).
 */
export function packagesReachedWithoutImport(used: ReadonlySet<string>): string[] {
  const topLevel = (name: string) => name.split('.', 1)[0]!;
  const reached = [...UNBOUND_NAME_MEANINGS.values()].map(topLevel);
  for (const [from, to] of CANONICAL_PREFIXES) if (used.has(topLevel(from))) reached.push(topLevel(to));
  return reached;
}

/**
 * The top-level packages a project must import for `Project.mayReferTo(name)` to hold: the name's
 * own and those the rewrites above lead from (`flask` for `flask_wtf`); `undefined` when every
 * project may refer to it, through a name used without import (`Flask` alone is `flask.Flask`).
 */
export function packagesLeadingTo(qualifiedName: string): string[] | undefined {
  const topLevel = (name: string) => name.split('.', 1)[0]!;
  const target = topLevel(qualifiedName);
  if (target === 'builtins' || [...UNBOUND_NAME_MEANINGS.values()].some((meaning) => topLevel(meaning) === target)) return undefined;
  return [...new Set([target, ...CANONICAL_PREFIXES.filter(([, to]) => topLevel(to) === target).map(([from]) => topLevel(from))])];
}

/** The top-level packages of qualified names: `aiohttp` for `aiohttp.web.Application`. */
export function packagesOf(qualifiedNames: Iterable<string>): string[] {
  return [...new Set([...qualifiedNames].map((name) => name.split('.', 1)[0]!))];
}
