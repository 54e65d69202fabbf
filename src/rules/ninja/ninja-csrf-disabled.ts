import { describeExpr } from '../../python/describe.js';
import type { Argument, CallExpr } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { truthiness } from '../../project/values.js';
import { defineRule, type RuleContext } from '../rule.js';

/** Django Ninja's cookie authentication: the only place Ninja 1.x checks CSRF. */
const COOKIE_AUTH_CLASSES = new Set(['ninja.security.APIKeyCookie', 'ninja.security.SessionAuth', 'ninja.security.SessionAuthSuperUser', 'ninja.security.SessionAuthIsStaff']);
const NINJA_API = 'ninja.NinjaAPI';

export default defineRule({
  id: 'ninja-csrf-disabled',
  code: 'CSRF105',
  title: 'Django Ninja cookie authentication without its CSRF check',
  severity: 'high',
  framework: 'ninja',
  fix: 'Drop csrf=False: cookie authentication must check the CSRF token (send it in the X-CSRFToken header).',
  keywords: ['ninja'],
  doc: {
    whatItFinds: `Django Ninja exempts its views from Django's \`CsrfViewMiddleware\` and, since 1.0, checks CSRF only
in cookie authentication: \`APIKeyCookie\` and its subclasses \`SessionAuth\` (\`django_auth\`),
\`SessionAuthSuperUser\`, \`SessionAuthIsStaff\`. This rule finds where that check is turned off:

- a cookie authentication class built with \`csrf=False\` (also positionally), or a subclass that calls
  \`super().__init__(csrf=False)\` or sets \`self.csrf = False\`;
- \`NinjaAPI(csrf=False)\` (low severity): before Ninja 1.0 this left every operation unchecked; from
  1.0 the argument is deprecated and does nothing, and 1.5 removed it.

\`@csrf_exempt\` on a Ninja operation is reported by \`django-csrf-exempt\`.`,
    whyItMatters: `Cookie authentication means the browser sends the credential with every request, cross-site ones
included. Without the CSRF check any web site a logged-in user visits can call the API in their name.`,
    example: `from ninja import NinjaAPI
from ninja.security import APIKeyCookie


class SessionKey(APIKeyCookie):
    param_name = "sessionid"

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


api = NinjaAPI(auth=SessionKey(csrf=False))
`,
    useInstead: `from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(auth=django_auth)
`,
    whenItIsFine: `Never for cookie authentication that browsers use. An API for non-browser clients should
authenticate with a header (\`APIKeyHeader\`, \`HttpBearer\`) instead of a cookie without CSRF.`,
    references: [
      { title: 'Django Ninja: CSRF', url: 'https://django-ninja.dev/reference/csrf/' },
      { title: 'Django Ninja: authentication', url: 'https://django-ninja.dev/guides/authentication/' },
    ],
  },
  check(context) {
    const cookieAuth = context.project.classFamily(COOKIE_AUTH_CLASSES);
    for (const module of context.project.modules) {
      reportCalls(context, module, cookieAuth);
      reportAttributeAssignments(context, module, cookieAuth);
    }
  },
});

function reportCalls({ project, report }: RuleContext, module: SourceModule, cookieAuth: ReadonlySet<string>): void {
  for (const { call, scope } of module.facts.calls) {
    const target = constructedClass(project, module, call, scope);
    if (target === undefined) continue;
    const isApi = target === NINJA_API;
    if (!isApi && !cookieAuth.has(target)) continue;
    const argument = csrfArgument(call, isApi);
    if (!argument || truthiness(project, { module, scope, expr: argument.value }) !== 'falsy') continue;
    if (isApi) {
      report({ file: module, range: argument.range, severity: 'low', message: '`NinjaAPI(csrf=False)` checks CSRF on no operation before Django Ninja 1.0', hint: 'from 1.0 the argument does nothing (cookie authentication checks CSRF) and 1.5 removed it: drop it' });
    } else {
      report({ file: module, range: argument.range, message: `\`${describeExpr(call.callee)}(csrf=False)\` turns off the CSRF check of cookie authentication` });
    }
  }
}

/** The class a call constructs: `SessionKey(...)`, or `super().__init__(...)` in a class's own methods. */
function constructedClass(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  const { callee } = call;
  if (callee.kind === 'attribute' && callee.attribute === '__init__' && callee.object.kind === 'call') {
    const method = module.symbols.definitionOfScope(scope);
    const owner = method && module.symbols.definitionOfScope(method.scope);
    return owner?.kind === 'class' ? module.symbols.definitionName(owner) : undefined;
  }
  return project.resolve(module, callee, scope);
}

function csrfArgument(call: CallExpr, isApi: boolean): Argument | undefined {
  const named = call.args.find((argument) => argument.name === 'csrf');
  if (named || isApi) return named;
  const [first] = call.args;
  return first && first.name === undefined && !first.unpack ? first : undefined;
}

/** `self.csrf = False` in a cookie authentication class. */
function reportAttributeAssignments({ project, report }: RuleContext, module: SourceModule, cookieAuth: ReadonlySet<string>): void {
  for (const assignment of module.facts.assignments) {
    const { target, value, scope } = assignment;
    if (target.kind !== 'attribute' || target.attribute !== 'csrf' || target.object.kind !== 'name' || target.object.id !== 'self' || !value) continue;
    const owner = project.resolve(module, target.object, scope);
    if (owner === undefined || !cookieAuth.has(owner)) continue;
    if (truthiness(project, { module, scope, expr: value }) !== 'falsy') continue;
    report({ file: module, range: assignment.range, message: '`self.csrf = False` turns off the CSRF check of cookie authentication' });
  }
}
