import { describeExpr } from '../../../python/describe.js';
import type { Argument, CallExpr, Definition, Expr, SourceRange } from '../../../python/facts.js';
import { walkExpr } from '../../../python/walk-expr.js';
import type { Project } from '../../../project/project.js';
import type { SourceModule } from '../../../project/source-module.js';
import { stringValue, truthiness } from '../../../project/values.js';
import { authenticatesBySession, checksCsrfItself, COOKIE_AUTH_CLASSES, csrfArgument, flagValue, NINJA_API, SHARED_INSTANCES } from '../authentication.js';
import { defineRule, type RuleContext } from '../../../rules/rule.js';


export default defineRule({
  id: 'ninja-csrf-disabled',
  code: 'CSRF105',
  title: 'Django Ninja cookie authentication without its CSRF check',
  severity: 'high',
  framework: 'ninja',
  fix: 'Drop csrf=False: cookie authentication must check the CSRF token (send it in the X-CSRFToken header).',
  keywords: ['ninja'],
  packages: ['ninja'],
  doc: {
    whatItFinds: `Django Ninja exempts its views from Django's \`CsrfViewMiddleware\` and, since 1.0, checks CSRF only
in cookie authentication: \`APIKeyCookie\` and its subclasses \`SessionAuth\` (\`django_auth\`),
\`SessionAuthSuperUser\`, \`SessionAuthIsStaff\`. This rule finds where that check is turned off:

- a cookie authentication class built with \`csrf=False\` (also positionally), or a subclass that calls
  \`super().__init__(csrf=False)\` or \`SessionAuth.__init__(self, csrf=False)\`, or passes on a \`csrf\`
  parameter that defaults to \`False\`;
- \`csrf = False\` set on an instance: \`self.csrf = False\`, \`cookie_auth.csrf = False\`,
  \`setattr(cookie_auth, "csrf", False)\`, and Ninja's shared \`django_auth.csrf = False\`, which turns the
  check off for every route that uses \`django_auth\`;
- \`NinjaAPI(csrf=False)\` (low severity): before Ninja 1.0 this left every operation unchecked; from
  1.0 the argument is deprecated and does nothing, and 1.5 removed it.

A class that turns the flag off but calls \`ninja.utils.check_csrf(request)\` itself (in \`authenticate\`,
\`_get_key\` or \`__call__\`, not depending on \`self.csrf\`) and rejects on failure still checks, and is not
reported.

Authentication of the project's own that reads the session user (\`request.user\`) and returns
something, without calling \`check_csrf\`, is reported too: a class built on another of Ninja's
authentication bases (\`AuthBase\`, \`HttpAuthBase\`...) whose \`__call__\` does so; a subclass of
\`APIKeyCookie\` or \`SessionAuth\` whose own \`__call__\` does so without handing on to the inherited one
(which reaches the check in \`_get_key\`; overriding \`authenticate\` keeps it); and, given as \`auth=\` to
\`NinjaAPI\`, a \`Router\` or an operation, a function, an instance of a plain class with such a
\`__call__\`, or a lambda that reads \`request.user\` (\`auth=lambda request: request.user.is_authenticated\`). Such authentication is what a cookie authenticates, with none of the cookie classes' check. \`@csrf_exempt\` on a Ninja operation is reported by \`django-csrf-exempt\`.`,
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
    if (!context.project.usesPackage('ninja')) return;
    const cookieAuth = context.project.classFamily(COOKIE_AUTH_CLASSES);
    for (const module of context.project.modules) {
      reportCalls(context, module, cookieAuth);
      reportFlagAssignments(context, module, cookieAuth);
      reportSessionAuthClasses(context, module, cookieAuth);
      reportSessionAuthFunctions(context, module);
    }
  },
});

function reportCalls({ project, report }: RuleContext, module: SourceModule, cookieAuth: ReadonlySet<string>): void {
  for (const { call, scope } of module.facts.calls) {
    const built = builtClass(project, module, call, scope, cookieAuth);
    if (built === undefined) continue;
    const isApi = built.className === NINJA_API;
    if (!isApi && !cookieAuth.has(built.className)) continue;
    const argument = csrfArgument(call, isApi, built.selfArguments);
    const flag = argument && flagValue(project, module, scope, argument.value);
    if (!argument || !flag) continue;
    if (isApi) {
      report({ file: module, range: argument.range, severity: 'low', message: '`NinjaAPI(csrf=False)` checks CSRF on no operation before Django Ninja 1.0', hint: 'from 1.0 the argument does nothing (cookie authentication checks CSRF) and 1.5 removed it: drop it' });
    } else if (!checksCsrfItself(project, built.className)) {
      const why = flag.defaultedBy ? `: \`${flag.defaultedBy}\` defaults to False` : '';
      report({ file: module, range: argument.range, message: `\`${quoteCall(call, argument)}\` turns off the CSRF check of cookie authentication${why}` });
    }
  }
}

/**
 * The class a call builds or initialises: `SessionKey(...)`, or in a class's own methods
 * `super().__init__(...)` and `SessionAuth.__init__(self, ...)`, whose first argument is `self`.
 */
function builtClass(project: Project, module: SourceModule, call: CallExpr, scope: number, cookieAuth: ReadonlySet<string>): { className: string; selfArguments: number } | undefined {
  const { callee } = call;
  if (callee.kind !== 'attribute' || callee.attribute !== '__init__') {
    const className = project.resolve(module, callee, scope);
    return className === undefined ? undefined : { className, selfArguments: 0 };
  }
  const isSuper = callee.object.kind === 'call';
  if (!isSuper && !cookieAuth.has(project.resolve(module, callee.object, scope) ?? '')) return undefined;
  const method = module.symbols.definitionOfScope(scope);
  const owner = method && module.symbols.definitionOfScope(method.scope);
  return owner?.kind === 'class' ? { className: module.symbols.definitionName(owner), selfArguments: isSuper ? 0 : 1 } : undefined;
}

/** The call as written, up to the `csrf` argument: `CookieKey(False)`, `SessionAuth.__init__(self, csrf=False)`. */
function quoteCall(call: CallExpr, argument: Argument): string {
  const shown = call.args.slice(0, call.args.indexOf(argument) + 1);
  const text = describeExpr({ ...call, args: shown });
  return shown.length < call.args.length ? `${text.slice(0, -1)}, …)` : text;
}

/**
 * `self.csrf = False` in a cookie authentication class, the same on an instance of one
 * (`cookie_auth.csrf = False`, `setattr(cookie_auth, "csrf", False)`) or on Ninja's shared `django_auth`.
 */
function reportFlagAssignments({ project, report }: RuleContext, module: SourceModule, cookieAuth: ReadonlySet<string>): void {
  const flagsOff = (object: Expr, value: Expr, scope: number, range: SourceRange, written: string) => {
    const owner = flagOwner(project, module, object, scope, cookieAuth);
    if (!owner || truthiness(project, { module, scope, expr: value }) !== 'falsy') return;
    if (owner.className !== undefined && checksCsrfItself(project, owner.className)) return;
    const reach = owner.shared ? `Ninja's shared \`${owner.shared}\`, for every route that uses it` : 'cookie authentication';
    report({ file: module, range, message: `\`${written}\` turns off the CSRF check of ${reach}` });
  };
  for (const { target, value, scope, range, operator } of module.facts.assignments) {
    if (target.kind !== 'attribute' || target.attribute !== 'csrf' || !value || operator !== '=') continue;
    flagsOff(target.object, value, scope, range, `${describeExpr(target)} = ${describeExpr(value)}`);
  }
  for (const { call, scope } of module.facts.calls) {
    const [object, attribute, value] = call.args;
    if (call.args.length !== 3 || !object || !attribute || !value || project.resolve(module, call.callee, scope) !== 'builtins.setattr') continue;
    if (stringValue(project, { module, scope, expr: attribute.value }) !== 'csrf') continue;
    flagsOff(object.value, value.value, scope, call.range, `setattr(${describeExpr(object.value)}, "csrf", ${describeExpr(value.value)})`);
  }
}

/** The cookie authentication an object is: the method's own class (`self`), the class of an instance, or a shared one. */
function flagOwner(project: Project, module: SourceModule, object: Expr, scope: number, cookieAuth: ReadonlySet<string>): { className?: string; shared?: string } | undefined {
  const resolved = project.resolve(module, object, scope);
  if (resolved !== undefined && SHARED_INSTANCES.has(resolved)) return { shared: resolved.slice(resolved.lastIndexOf('.') + 1) };
  const binding = object.kind === 'name' ? module.symbols.lookup(object.id, scope) : undefined;
  if (binding?.kind === 'parameter') return resolved !== undefined && cookieAuth.has(resolved) ? { className: resolved } : undefined;
  const className = project.instanceClasses(module, object, scope).find((candidate) => cookieAuth.has(candidate));
  return className === undefined ? undefined : { className };
}

/** Django Ninja's authentication classes; the cookie ones check CSRF, the others trust what they read. */
const NINJA_SECURITY = 'ninja.security';
const SESSION_AUTH_FIX = "Call ninja.utils.check_csrf(request) and reject the request when it returns a response, or use Ninja's django_auth (SessionAuth), which does.";

/**
 * `class SessionUser(AuthBase)` whose `__call__` returns `request.user`: the session authenticates,
 * and nothing checks CSRF. A subclass of a cookie class (`APIKeyCookie`, `SessionAuth`) that does
 * the same in its own `__call__`, without handing on to the inherited one, skips the check the
 * inherited `_get_key` makes.
 */
function reportSessionAuthClasses({ project, report }: RuleContext, module: SourceModule, cookieAuth: ReadonlySet<string>): void {
  for (const definition of module.facts.definitions) {
    if (definition.kind !== 'class' || definition.bases.length === 0) continue;
    const className = module.symbols.definitionName(definition);
    if (COOKIE_AUTH_CLASSES.has(className) || !project.inheritsFrom(className, (name) => name.startsWith(NINJA_SECURITY))) continue;
    const isCookieClass = cookieAuth.has(className);
    const method = module.facts.definitions.find((candidate) => candidate.scope === definition.bodyScope && candidate.name === '__call__' && authenticatesBySession(project, module, candidate) && !(isCookieClass && callsInherited(module, candidate)));
    if (!method) continue;
    if (isCookieClass) {
      report({
        file: module,
        range: definition.nameRange,
        message: `\`${definition.name}\` overrides \`__call__\` of Django Ninja's cookie authentication and returns the session user (\`request.user\`) without the CSRF check the inherited \`_get_key\` makes`,
        hint: "Django Ninja exempts its operations from CsrfViewMiddleware; its cookie authentication checks the token in `_get_key`, which this `__call__` never calls",
        fix: SESSION_AUTH_FIX,
      });
      continue;
    }
    report({
      file: module,
      range: definition.nameRange,
      message: `\`${definition.name}\` authenticates Django Ninja requests by the session user (\`${method.name}\` returns \`request.user\`) without checking CSRF`,
      hint: 'Django Ninja exempts its operations from CsrfViewMiddleware; only its cookie authentication checks the token',
      fix: SESSION_AUTH_FIX,
    });
  }
}

/** A function given as `auth=` to `NinjaAPI`, a `Router` or an operation, that returns `request.user` unchecked. */
function reportSessionAuthFunctions({ project, report }: RuleContext, module: SourceModule): void {
  for (const { call, scope } of module.facts.calls) {
    const auth = call.args.find((argument) => argument.name === 'auth');
    if (!auth || !isNinjaCall(project, module, call, scope)) continue;
    const items = auth.value.kind === 'list' || auth.value.kind === 'tuple' ? auth.value.items : [auth.value];
    for (const item of items) {
      if (item.kind === 'lambda') {
        reportSessionLambda(project, report, module, scope, item, auth.range);
        continue;
      }
      const callable = callableInstanceClass(project, module, item, scope);
      if (callable) {
        reportCallableInstance(project, report, callable);
        continue;
      }
      const name = project.resolve(module, item, scope);
      const site = name === undefined ? undefined : project.findDefinition(name);
      if (site?.definition.kind !== 'function' || !authenticatesBySession(project, site.module, site.definition)) continue;
      report({
        file: site.module,
        range: site.definition.nameRange,
        message: `\`${site.definition.name}\` authenticates Django Ninja requests by the session user (it returns \`request.user\`) without checking CSRF`,
        hint: 'Django Ninja exempts its operations from CsrfViewMiddleware; only its cookie authentication checks the token',
        fix: SESSION_AUTH_FIX,
      });
    }
  }
}

/** A method that hands on to the inherited one of its name (`super().__call__(request)`). */
function callsInherited(module: SourceModule, method: Definition): boolean {
  return module.symbols.itemsWithin(module.facts.calls, method.bodyScope).some(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === method.name && call.callee.object.kind === 'call');
}

/** `auth=lambda request: request.user.is_authenticated`: Ninja takes a truthy answer as signed in, here by the session. */
function reportSessionLambda(project: Project, report: RuleContext['report'], module: SourceModule, scope: number, lambda: Extract<Expr, { kind: 'lambda' }>, range: SourceRange): void {
  const [request] = lambda.parameters;
  if (request === undefined) return;
  const parts = [...walkExpr(lambda.body)];
  const readsUser = parts.some((part) => part.kind === 'attribute' && part.attribute === 'user' && part.object.kind === 'name' && part.object.id === request);
  const checks = parts.some((part) => part.kind === 'call' && CSRF_CHECK_NAMES.has(lastPart(project.resolve(module, part.callee, scope) ?? describeExpr(part.callee))));
  if (!readsUser || checks) return;
  report({
    file: module,
    range,
    message: `the \`auth=\` lambda authenticates Django Ninja requests by the session user (\`${request}.user\`) without checking CSRF`,
    hint: 'Django Ninja exempts its operations from CsrfViewMiddleware; only its cookie authentication checks the token',
    fix: SESSION_AUTH_FIX,
  });
}

interface CallableInstance {
  /** The class, where it is defined. */
  module: SourceModule;
  definition: Definition;
  /** Its `__call__`, its own or a scanned base's. */
  method: { module: SourceModule; definition: Definition };
}

/** `auth=SessionUser()` (or a name bound to one) of a project class that is no Ninja authentication class but has a `__call__`. */
function callableInstanceClass(project: Project, module: SourceModule, item: Expr, scope: number): CallableInstance | undefined {
  const classes = item.kind === 'call' ? [project.resolve(module, item.callee, scope) ?? ''] : project.instanceClasses(module, item, scope);
  for (const className of classes) {
    if (project.inheritsFrom(className, (name) => name.startsWith(NINJA_SECURITY))) continue;
    const site = project.findDefinition(className);
    const method = project.findMethod(className, '__call__');
    if (site?.definition.kind === 'class' && method) return { module: site.module, definition: site.definition, method };
  }
  return undefined;
}

function reportCallableInstance(project: Project, report: RuleContext['report'], callable: CallableInstance): void {
  if (!authenticatesBySession(project, callable.method.module, callable.method.definition)) return;
  report({
    file: callable.module,
    range: callable.definition.nameRange,
    message: `\`${callable.definition.name}\` authenticates Django Ninja requests by the session user (\`__call__\` returns \`request.user\`) without checking CSRF`,
    hint: 'an instance of it is given as `auth=`; Django Ninja exempts its operations from CsrfViewMiddleware, and only its cookie authentication checks the token',
    fix: SESSION_AUTH_FIX,
  });
}

const CSRF_CHECK_NAMES = new Set(['check_csrf', '_check_csrf']);

function lastPart(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** `NinjaAPI(...)`, `Router(...)`, or an operation decorator of one (`api.post(...)`, `router.get(...)`). */
function isNinjaCall(project: Project, module: SourceModule, call: CallExpr, scope: number): boolean {
  const callee = project.resolve(module, call.callee, scope);
  if (callee !== undefined && callee.startsWith('ninja.')) return true;
  if (call.callee.kind !== 'attribute') return false;
  return project.instanceClasses(module, call.callee.object, scope).some((className) => className.startsWith('ninja.') || project.inheritsFrom(className, (name) => name.startsWith('ninja.')));
}
