import { describeExpr } from '../../python/describe.js';
import { DJANGO } from '../../project/known-names.js';
import { methodHeadRange, overrideBehaviour, overridesOf, returnedValues, type MethodSite } from '../../project/overrides.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue, truthiness } from '../../project/values.js';
import { defineRule, type RuleContext } from '../rule.js';

/** The attribute `CsrfViewMiddleware` reads to let a request through unchecked (what the test client sets). */
const SKIP_FLAG = '_dont_enforce_csrf_checks';

/** `CsrfViewMiddleware` methods that decide whether a request passes. */
const CHECKING_METHODS = new Set(['process_view', '_check_token']);

export default defineRule({
  id: 'django-csrf-checks-bypassed',
  code: 'CSRF103',
  title: "Django's CSRF checks bypassed without turning the middleware off",
  severity: 'high',
  framework: 'django',
  fix: 'Remove the bypass; exempt the few views that need it with csrf_exempt and a reason instead.',
  keywords: ['_dont_enforce_csrf_checks', 'CsrfViewMiddleware'],
  doc: {
    whatItFinds: `Code that keeps \`CsrfViewMiddleware\` in \`MIDDLEWARE\` but stops it from rejecting anything:

- \`request._dont_enforce_csrf_checks = True\` (or \`setattr(request, "_dont_enforce_csrf_checks", True)\`)
  outside tests: the flag Django's test client sets, here set on real requests, typically in a
  middleware of the project;
- a subclass of \`CsrfViewMiddleware\` whose \`process_view\` or \`_check_token\` never checks (it neither
  calls the parent's method nor raises), whose \`_reject\` returns nothing (a rejection then lets the
  request through), or whose \`_origin_verified\` always returns \`True\`;
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
    for (const module of context.project.modules) reportSkipFlags(context, module);
    reportLaxMiddleware(context);
  },
});

/** `request._dont_enforce_csrf_checks = True` and `setattr(request, "_dont_enforce_csrf_checks", True)`. */
function reportSkipFlags({ project, report }: RuleContext, module: SourceModule): void {
  for (const assignment of module.facts.assignments) {
    const { target, value, scope } = assignment;
    if (target.kind !== 'attribute' || target.attribute !== SKIP_FLAG || !value || assignment.operator !== '=') continue;
    if (truthiness(project, { module, scope, expr: value }) !== 'truthy') continue;
    report({ file: module, range: assignment.range, message: `\`${describeExpr(target.object)}.${SKIP_FLAG} = True\` makes CsrfViewMiddleware accept the request unchecked` });
  }
  for (const { call, scope } of module.facts.calls) {
    const [object, attribute, value] = call.args;
    if (call.args.length !== 3 || !object || !attribute || !value || project.resolve(module, call.callee, scope) !== 'builtins.setattr') continue;
    if (stringValue(project, { module, scope, expr: attribute.value }) !== SKIP_FLAG) continue;
    if (truthiness(project, { module, scope, expr: value.value }) !== 'truthy') continue;
    report({ file: module, range: call.range, message: `\`setattr(${describeExpr(object.value)}, "${SKIP_FLAG}", True)\` makes CsrfViewMiddleware accept the request unchecked` });
  }
}

function reportLaxMiddleware(context: RuleContext): void {
  const { project } = context;
  const bases = new Set([DJANGO.csrfMiddlewareClass]);
  for (const site of overridesOf(project, bases, new Set([...CHECKING_METHODS, '_reject', '_origin_verified']))) {
    const problem = laxness(context, site);
    if (!problem) continue;
    const owner = site.module.symbols.definitionOfScope(site.definition.scope)!;
    context.report({ file: site.module, range: methodHeadRange(site.definition), message: `\`${owner.name}.${site.definition.name}\` ${problem.message}`, ...(problem.partial ? { severity: 'medium' } : {}) });
  }
}

function laxness({ project }: RuleContext, site: MethodSite): { message: string; partial: boolean } | undefined {
  const { module, definition } = site;
  switch (definition.name) {
    case '_reject': {
      const returnsResponse = returnedValues(module, definition).some((value) => value !== null && !(value.kind === 'constant' && value.value === null));
      return returnsResponse || overrideBehaviour(project, site) !== 'accepts-all' ? undefined : { message: 'returns nothing, so every rejected request is let through', partial: false };
    }
    case '_origin_verified': {
      const values = returnedValues(module, definition);
      const alwaysTrue = values.length > 0 && values.every((value) => value?.kind === 'constant' && value.value === true);
      return alwaysTrue ? { message: 'always returns True: the Origin header of a cross-site request is never checked', partial: false } : undefined;
    }
    default: {
      const behaviour = overrideBehaviour(project, site);
      if (behaviour === 'accepts-all') return { message: 'never checks the CSRF token: every request is accepted', partial: false };
      if (behaviour === 'skips-some') return { message: 'returns early before checking the CSRF token: the requests its condition matches are accepted unchecked', partial: true };
      return undefined;
    }
  }
}
