import { describeExpr } from '../../../python/describe.js';
import type { Expr, SourceRange } from '../../../python/facts.js';
import { walkExpr } from '../../../python/walk-expr.js';
import { DJANGO } from '../../../project/known-names.js';
import {
  assignedMethodBehaviour,
  assignedMethodReturns,
  assignedMethodsOf,
  methodHeadRange,
  overrideBehaviour,
  overridesOf,
  returnedValues,
  swallowsItsCheck,
  type OverrideBehaviour,
  type OverrideOptions,
} from '../../../project/overrides.js';
import { credentialHeaderGateBefore } from '../../../project/header-gates.js';
import type { Project } from '../../../project/project.js';
import type { SourceModule } from '../../../project/source-module.js';
import { stringValue, truthiness } from '../../../project/values.js';
import { defineRule, type RuleContext } from '../../../rules/rule.js';
import { type KeptReports, reportModuleByModule } from '../../../rules/support/kept-reports.js';

/**
 * The request attributes that make `CsrfViewMiddleware.process_view` let a request through
 * unchecked: the flag Django's test client sets, and the one the middleware sets once it has
 * accepted a request (in `_accept`, which is where setting it is right).
 */
const SKIP_FLAGS = new Set(['_dont_enforce_csrf_checks', 'csrf_processing_done']);
const ACCEPTING_METHOD = '_accept';
/**
 * `CsrfViewMiddleware` methods that `process_view` calls after it has tested `_dont_enforce_csrf_checks`
 * (Django 4.0 on), and before it checks the token: a flag set there skips nothing more of this request.
 */
const LATE_CHECK_METHODS = new Set(['_origin_verified', '_check_referer']);
/** The test client's option, from which test helpers copy the flag. */
const TEST_CLIENT_OPTION = 'enforce_csrf_checks';

/** `CsrfViewMiddleware` methods that decide whether a request passes. */
const CHECKING_METHODS = new Set(['process_view', '_check_token']);
const OVERRIDDEN_METHODS = new Set([...CHECKING_METHODS, '_reject', '_origin_verified']);
/** `_check_token` rejects by raising `RejectRequest`: catching it and going on accepts the request. */
const FAILURE_EXCEPTIONS: Record<string, ReadonlySet<string>> = { _check_token: new Set(['RejectRequest']) };

export default defineRule({
  id: 'django-csrf-checks-bypassed',
  code: 'CSRF103',
  title: "Django's CSRF checks bypassed without turning the middleware off",
  severity: 'high',
  framework: 'django',
  fix: 'Remove the bypass; exempt the few views that need it with csrf_exempt and a reason instead.',
  keywords: ['_dont_enforce_csrf_checks', 'csrf_processing_done', 'CsrfViewMiddleware'],
  doc: {
    whatItFinds: `Code that keeps \`CsrfViewMiddleware\` in \`MIDDLEWARE\` but stops it from rejecting anything:

- \`request._dont_enforce_csrf_checks = True\` (or \`setattr(request, "_dont_enforce_csrf_checks", True)\`)
  outside tests: the flag Django's test client sets, here set on real requests, typically in a
  middleware of the project;
- \`request.csrf_processing_done = True\`, which the middleware reads as "already checked" and which
  Django sets only in \`CsrfViewMiddleware._accept\`;
- \`_dont_enforce_csrf_checks\` set inside a \`CsrfViewMiddleware\` subclass's \`_origin_verified\` or
  \`_check_referer\`, at low severity: \`process_view\` tests the flag before it calls those and checks
  the CSRF token after them, so only the Origin or Referer check is skipped for that request;
- either flag set to a value computed at run time (\`request.path.startswith("/api/")\`), at lower
  severity: it bypasses the check for the requests it is true for. Copying the test client's
  \`enforce_csrf_checks\` option or another request's flag is not reported;
- either flag set on a request the code builds itself (\`request = WSGIRequest(environ)\`, an internal
  sub-request), at low severity: no browser sent it;
- either flag set only after the code returned for requests without a credential header
  (\`if not request.headers.get("X-Api-Key"): return ...\`; \`Authorization\` only beside a token
  scheme such as \`"Bearer "\`, since the browser repeats HTTP Basic credentials by itself), at low
  severity and judged guarded: a cross-site form cannot send that header;
- a subclass of \`CsrfViewMiddleware\` whose \`process_view\` or \`_check_token\` never checks (it neither
  calls the parent's method nor raises; \`_check_token\` also when it catches the \`RejectRequest\` of
  the parent's and goes on), whose \`_reject\` returns nothing (a rejection then lets the request
  through), or whose \`_origin_verified\` always returns \`True\`; the same methods given as a lambda
  (\`process_view = lambda self, *args: None\`) or patched onto the class from outside;
- such an override that returns early for some requests before checking (reported at lower severity:
  it exempts whatever that condition matches).

A subclass that adds logging or a custom failure page and still calls the parent's method is fine.`,
    whyItMatters: `These bypasses are invisible where reviewers look: the middleware is listed in settings and no view
carries \`@csrf_exempt\`, yet forged cross-site requests are accepted. A middleware that sets the
test-client flag on every request turns CSRF protection off for the whole site.`,
    example: `from django.middleware.csrf import CsrfViewMiddleware


class ApiFriendlyCsrfMiddleware(CsrfViewMiddleware):
    def process_view(self, request, callback, callback_args, callback_kwargs):
        return None


class TrustInternalClients:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._dont_enforce_csrf_checks = True
        return self.get_response(request)
`,
    useInstead: `from django.middleware.csrf import CsrfViewMiddleware


class AuditedCsrfMiddleware(CsrfViewMiddleware):
    def _reject(self, request, reason):
        request.audit_log.append(reason)
        return super()._reject(request, reason)
`,
    whenItIsFine: `In test code (test settings, test middleware, fixtures), where it is test context and hidden by
default. For an API authenticated only by tokens, prefer Django REST framework or \`csrf_exempt\` on its
views, which reviewers recognise; if a bypass must stay, record why:
\`# csrflint: ignore[django-csrf-checks-bypassed] -- ...\`.`,
    references: [
      { title: 'Django: How CSRF protection works', url: 'https://docs.djangoproject.com/en/stable/ref/csrf/#how-it-works' },
      { title: 'Django source: CsrfViewMiddleware', url: 'https://github.com/django/django/blob/main/django/middleware/csrf.py' },
    ],
  },
  check(context) {
    reportModuleByModule(context, keptReports, '', (module, report) => reportSkipFlags({ ...context, report }, module));
    reportLaxMiddleware(context);
    reportAssignedMiddlewareMethods(context);
  },
});

/** Each module's flag writes found, kept across a language server's edits of modules they did not read. */
const keptReports = new WeakMap<Project, KeptReports>();

/** `request._dont_enforce_csrf_checks = True`, `request.csrf_processing_done = True`, and the same through `setattr`. */
function reportSkipFlags(context: RuleContext, module: SourceModule): void {
  const { project } = context;
  for (const assignment of module.facts.assignments) {
    const { target, value, scope } = assignment;
    if (target.kind !== 'attribute' || !SKIP_FLAGS.has(target.attribute) || !value || assignment.operator !== '=') continue;
    reportSkipFlag(context, module, scope, assignment.range, { object: target.object, flag: target.attribute, value, written: `${describeExpr(target)} = ${describeExpr(value)}` });
  }
  for (const { call, scope } of module.facts.calls) {
    const [object, attribute, value] = call.args;
    if (call.args.length !== 3 || !object || !attribute || !value || project.resolve(module, call.callee, scope) !== 'builtins.setattr') continue;
    const flag = stringValue(project, { module, scope, expr: attribute.value });
    if (flag === undefined || !SKIP_FLAGS.has(flag)) continue;
    reportSkipFlag(context, module, scope, call.range, { object: object.value, flag, value: value.value, written: `setattr(${describeExpr(object.value)}, "${flag}", ${describeExpr(value.value)})` });
  }
}

interface FlagWrite {
  object: Expr;
  flag: string;
  value: Expr;
  written: string;
}

function reportSkipFlag({ project, report }: RuleContext, module: SourceModule, scope: number, range: SourceRange, write: FlagWrite): void {
  if (write.flag === 'csrf_processing_done' && module.symbols.definitionOfScope(scope)?.name === ACCEPTING_METHOD) return;
  const value = truthiness(project, { module, scope, expr: write.value });
  if (value === 'falsy' || (value === 'unknown' && copiesFlag(write.value))) return;
  const lateMethod = write.flag === '_dont_enforce_csrf_checks' ? lateCheckMethod(project, module, scope) : undefined;
  if (lateMethod) {
    report({
      file: module,
      range,
      severity: 'low',
      message: `\`${write.written}\` in \`${lateMethod}\` comes too late to skip the CSRF check: \`CsrfViewMiddleware.process_view\` tests the flag before it calls this method and still checks the CSRF token after it`,
      hint: `only the ${lateMethod.endsWith('_check_referer') ? 'Referer' : 'Origin'} check this method makes is skipped for the request it returns early for (Django 4.0 and later; earlier versions never call it); confirm that the condition holds only where the weaker check is intended, and that nothing checks this request again with a \`CsrfViewMiddleware\` (such as \`csrf_protect\`) after the flag is set`,
    });
    return;
  }
  const effect = write.flag === 'csrf_processing_done' ? 'makes CsrfViewMiddleware take the request as checked already and accept it' : 'makes CsrfViewMiddleware accept the request unchecked';
  const built = builtRequestClass(project, module, scope, write.object);
  if (built !== undefined) {
    report({
      file: module,
      range,
      severity: 'low',
      message: `\`${write.written}\` ${effect}, on a request the code builds itself (\`${built}(...)\`)`,
      hint: 'the flag is set on a request object made in this function (an internal sub-request, say), not on one a browser sent: check that whatever hands it on was itself checked for CSRF',
    });
    return;
  }
  const gate = credentialHeaderGateBefore(module, scope, range.line);
  if (gate !== undefined) {
    report({
      file: module,
      range,
      severity: 'low',
      guard: 'header-token',
      message: `\`${write.written}\` ${effect}, only for requests that carry the \`${gate}\` header`,
      hint: `the code returns before this line when the request has no \`${gate}\` header: a cross-site form cannot send that header, so if it, and not a cookie, authenticates every request that reaches the flag, the bypass is harmless`,
    });
    return;
  }
  if (value === 'truthy') {
    report({ file: module, range, message: `\`${write.written}\` ${effect}` });
  } else {
    report({ file: module, range, severity: 'medium', message: `\`${write.written}\` ${effect} whenever the value is true` });
  }
}

/**
 * `Class._origin_verified` when the write is in such a method of a `CsrfViewMiddleware` subclass
 * (its own body, not a function nested in it).
 */
/** Django's request classes, which code builds to run a sub-request of its own. */
const REQUEST_CLASSES = new Set(['django.core.handlers.wsgi.WSGIRequest', 'django.core.handlers.asgi.ASGIRequest', 'django.http.HttpRequest', 'django.http.request.HttpRequest']);

/** The request class the flag's object was built from, by a name bound once in this scope (`request = WSGIRequest(environ=...)`). */
function builtRequestClass(project: Project, module: SourceModule, scope: number, object: Expr): string | undefined {
  if (object.kind !== 'name') return undefined;
  const bindings = module.facts.assignments.filter((assignment) => assignment.scope === scope && assignment.target.kind === 'name' && assignment.target.id === object.id);
  const only = bindings.length === 1 ? bindings[0]!.value : undefined;
  if (only?.kind !== 'call' || module.symbols.definitionOfScope(scope)?.parameters.some((parameter) => parameter.name === object.id)) return undefined;
  const callee = project.resolve(module, only.callee, scope);
  return callee !== undefined && REQUEST_CLASSES.has(callee) ? describeExpr(only.callee) : undefined;
}

function lateCheckMethod(project: Project, module: SourceModule, scope: number): string | undefined {
  const method = module.symbols.definitionOfScope(scope);
  if (method?.kind !== 'function' || !LATE_CHECK_METHODS.has(method.name) || method.bodyScope !== scope) return undefined;
  const owner = module.symbols.definitionOfScope(method.scope);
  if (owner?.kind !== 'class') return undefined;
  const ownerName = module.symbols.definitionName(owner);
  return project.isSubclassOf(ownerName, new Set([DJANGO.csrfMiddlewareClass])) ? `${owner.name}.${method.name}` : undefined;
}

/** `not self.enforce_csrf_checks`, `getattr(original, "_dont_enforce_csrf_checks", False)`: a test helper passing a flag on. */
function copiesFlag(value: Expr): boolean {
  const names = [...SKIP_FLAGS, TEST_CLIENT_OPTION];
  const mentions = (text: string) => names.some((name) => text.includes(name));
  return [...walkExpr(value)].some((expr) => (expr.kind === 'attribute' && mentions(expr.attribute)) || (expr.kind === 'name' && mentions(expr.id)) || (expr.kind === 'string' && mentions(expr.value)));
}

function reportLaxMiddleware(context: RuleContext): void {
  const { project } = context;
  for (const site of overridesOf(project, new Set([DJANGO.csrfMiddlewareClass]), OVERRIDDEN_METHODS)) {
    const { module, definition } = site;
    const options = optionsFor(definition.name);
    const lax = laxness(definition.name, () => overrideBehaviour(project, site, options), () => returnedValues(module, definition));
    if (!lax) continue;
    const problem = !lax.partial && swallowsItsCheck(project, site, options) ? { message: 'catches the failure of its check and goes on: every request is accepted', partial: false } : lax;
    const owner = module.symbols.definitionOfScope(definition.scope)!;
    context.report({ file: module, range: methodHeadRange(definition), message: `\`${owner.name}.${definition.name}\` ${problem.message}`, ...(problem.partial ? { severity: 'medium' } : {}) });
  }
}

/** `process_view = lambda self, *args: None` in a subclass, or patched onto the middleware class. */
function reportAssignedMiddlewareMethods(context: RuleContext): void {
  const { project } = context;
  for (const method of assignedMethodsOf(project, new Set([DJANGO.csrfMiddlewareClass]), OVERRIDDEN_METHODS)) {
    const problem = laxness(method.methodName, () => assignedMethodBehaviour(project, method, optionsFor(method.methodName)), () => assignedMethodReturns(method));
    if (!problem) continue;
    const subject = method.patched ? `\`${describeExpr(method.assignment.target)} = ...\` replaces the method with one that` : `\`${method.className}.${method.methodName}\``;
    context.report({ file: method.module, range: method.assignment.range, message: `${subject} ${problem.message}`, ...(problem.partial ? { severity: 'medium' } : {}) });
  }
}

function optionsFor(methodName: string): OverrideOptions {
  const failureExceptions = FAILURE_EXCEPTIONS[methodName];
  return failureExceptions ? { failureExceptions } : {};
}

function laxness(methodName: string, behaviourOf: () => OverrideBehaviour, returnsOf: () => Array<Expr | null>): { message: string; partial: boolean } | undefined {
  switch (methodName) {
    case '_reject': {
      const returnsResponse = returnsOf().some((value) => value !== null && !(value.kind === 'constant' && value.value === null));
      return returnsResponse || behaviourOf() !== 'accepts-all' ? undefined : { message: 'returns nothing, so every rejected request is let through', partial: false };
    }
    case '_origin_verified': {
      const values = returnsOf();
      const alwaysTrue = values.length > 0 && values.every((value) => value?.kind === 'constant' && value.value === true);
      return alwaysTrue ? { message: 'always returns True: the Origin header of a cross-site request is never checked', partial: false } : undefined;
    }
    default: {
      const behaviour = behaviourOf();
      if (behaviour === 'accepts-all') return { message: 'never checks the CSRF token: every request is accepted', partial: false };
      if (behaviour === 'skips-some') return { message: 'returns early before checking the CSRF token: the requests its condition matches are accepted unchecked', partial: true };
      return undefined;
    }
  }
}
