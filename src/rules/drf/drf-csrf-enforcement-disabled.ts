import type { Expr } from '../../python/facts.js';
import { methodHeadRange, overrideBehaviour, overridesOf, type MethodSite } from '../../project/overrides.js';
import { defineRule, type RuleContext } from '../rule.js';

const SESSION_AUTHENTICATION = 'rest_framework.authentication.SessionAuthentication';
const BASE_AUTHENTICATION = 'rest_framework.authentication.BaseAuthentication';

export default defineRule({
  id: 'drf-csrf-enforcement-disabled',
  code: 'CSRF104',
  title: 'Django REST framework session authentication without its CSRF check',
  severity: 'high',
  framework: 'drf',
  fix: "Keep SessionAuthentication's enforce_csrf, and send the X-CSRFToken header from the browser client.",
  keywords: ['enforce_csrf', 'authenticate'],
  doc: {
    whatItFinds: `Django REST framework exempts its views from \`CsrfViewMiddleware\` and checks CSRF in
\`SessionAuthentication.enforce_csrf\` instead, for requests authenticated by the session cookie. This
rule finds where that check is lost:

- a \`SessionAuthentication\` subclass whose \`enforce_csrf\` returns or passes without checking (the
  well-known \`CsrfExemptSessionAuthentication\`), reported at the method;
- one whose \`enforce_csrf\` returns early for some requests before checking (lower severity);
- a \`BaseAuthentication\` subclass whose \`authenticate\` takes the user from the Django session
  (\`request._request.user\`, \`request.session\`) and never calls \`enforce_csrf\`.

An override that calls \`super().enforce_csrf(request)\` or raises on failure is fine.`,
    whyItMatters: `A browser sends the session cookie with every cross-site request. Without the CSRF check, any web
site a logged-in user visits can call the API in the user's name: change their email, transfer
money, create tokens.`,
    example: `from rest_framework.authentication import SessionAuthentication


class CsrfExemptSessionAuthentication(SessionAuthentication):
    def enforce_csrf(self, request):
        return
`,
    useInstead: `from rest_framework.authentication import SessionAuthentication


class AuditedSessionAuthentication(SessionAuthentication):
    def enforce_csrf(self, request):
        request.audit_log.append("csrf")
        return super().enforce_csrf(request)
`,
    whenItIsFine: `Never for an API that browsers reach with a session cookie. If the API is meant for token clients
only, remove session authentication from it instead of disabling its check.`,
    references: [
      { title: 'Django REST framework: SessionAuthentication and CSRF', url: 'https://www.django-rest-framework.org/api-guide/authentication/#sessionauthentication' },
      { title: 'Django REST framework: AJAX, CSRF & CORS', url: 'https://www.django-rest-framework.org/topics/ajax-csrf-cors/' },
    ],
  },
  check(context) {
    reportLaxEnforcement(context);
    reportSessionWithoutCsrf(context);
  },
});

function reportLaxEnforcement(context: RuleContext): void {
  for (const site of overridesOf(context.project, new Set([SESSION_AUTHENTICATION]), new Set(['enforce_csrf']))) {
    const behaviour = overrideBehaviour(context.project, site);
    if (behaviour === 'checks') continue;
    const owner = ownerName(site);
    const partial = behaviour === 'skips-some';
    const message = partial
      ? `\`${owner}.enforce_csrf\` returns early before checking: session-authenticated requests its condition matches skip the CSRF check`
      : `\`${owner}.enforce_csrf\` never checks: session-authenticated API requests are accepted without a CSRF token`;
    context.report({ file: site.module, range: methodHeadRange(site.definition), message, ...(partial ? { severity: 'medium' } : {}) });
  }
}

/** A custom authentication class that reads the Django session's user without the check SessionAuthentication makes. */
function reportSessionWithoutCsrf(context: RuleContext): void {
  const { project } = context;
  for (const site of overridesOf(project, new Set([BASE_AUTHENTICATION]), new Set(['authenticate']))) {
    const owner = site.module.symbols.definitionOfScope(site.definition.scope)!;
    if (project.isSubclassOf(site.module.symbols.definitionName(owner), new Set([SESSION_AUTHENTICATION]))) continue;
    if (!readsSessionUser(site) || callsEnforceCsrf(site)) continue;
    const message = `\`${owner.name}.authenticate\` takes the user from the Django session but never calls enforce_csrf: cross-site requests carry that session`;
    context.report({ file: site.module, range: methodHeadRange(site.definition), message });
  }
}

function ownerName({ module, definition }: MethodSite): string {
  return module.symbols.definitionOfScope(definition.scope)?.name ?? '?';
}

/** `request._request.user`, `getattr(request._request, "user")`, `request.session[...]` in the method. */
function readsSessionUser({ module, definition }: MethodSite): boolean {
  const scope = definition.bodyScope;
  const values: Expr[] = [
    ...module.facts.assignments.filter((assignment) => assignment.scope === scope).flatMap((assignment) => (assignment.value ? [assignment.value] : [])),
    ...module.facts.calls.filter((call) => call.scope === scope).flatMap(({ call }) => [call.callee, ...call.args.map((argument) => argument.value)]),
    ...module.facts.returns.filter((statement) => statement.scope === scope).flatMap((statement) => (statement.value ? [statement.value] : [])),
  ];
  return values.some(mentionsSession);
}

function mentionsSession(expr: Expr): boolean {
  switch (expr.kind) {
    case 'attribute':
      return expr.attribute === '_request' || expr.attribute === 'session' || mentionsSession(expr.object);
    case 'call':
      return mentionsSession(expr.callee) || expr.args.some((argument) => mentionsSession(argument.value));
    case 'subscript':
      return mentionsSession(expr.object);
    case 'tuple':
    case 'list':
      return expr.items.some(mentionsSession);
    default:
      return false;
  }
}

function callsEnforceCsrf({ module, definition }: MethodSite): boolean {
  return module.facts.calls.some(({ call, scope }) => scope === definition.bodyScope && call.callee.kind === 'attribute' && /csrf/i.test(call.callee.attribute));
}
