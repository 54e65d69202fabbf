import type { Argument, CallExpr, Definition, Expr } from '../../python/facts.js';
import { finalIdentifier, type Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { truthiness } from '../../project/values.js';

/** Django Ninja's cookie authentication: the only place Ninja 1.x checks CSRF. */
export const COOKIE_AUTH_CLASSES: ReadonlySet<string> = new Set(['ninja.security.APIKeyCookie', 'ninja.security.SessionAuth', 'ninja.security.SessionAuthSuperUser', 'ninja.security.SessionAuthIsStaff']);
/** The instances Ninja creates once and shares: turning one's check off turns it off for every route using it. */
export const SHARED_INSTANCES: ReadonlySet<string> = new Set(['ninja.security.django_auth', 'ninja.security.django_auth_superuser', 'ninja.security.django_auth_is_staff']);
export const NINJA_API = 'ninja.NinjaAPI';
/** Ninja's CSRF check (`ninja.utils.check_csrf`), or a helper of the class named for it. */
const CSRF_CHECKS = new Set(['check_csrf', '_check_csrf']);
/** Where a cookie authentication class reads and judges the cookie. */
const AUTHENTICATION_METHODS = new Set(['authenticate', '_get_key', '__call__']);

/** The `csrf` argument of a call building cookie authentication (named, or first after `self`) or a `NinjaAPI` (named only). */
export function csrfArgument(call: CallExpr, isApi: boolean, selfArguments: number): Argument | undefined {
  const named = call.args.find((argument) => argument.name === 'csrf');
  if (named || isApi) return named;
  const positional = call.args[selfArguments];
  const before = call.args.slice(0, selfArguments + 1);
  return positional && before.every((argument) => argument.name === undefined && !argument.unpack) ? positional : undefined;
}

/**
 * Whether a `csrf` value is false: a false value, or a parameter of the enclosing function that
 * defaults to one (`def __init__(self, csrf=False): super().__init__(csrf)`).
 */
export function flagValue(project: Project, module: SourceModule, scope: number, value: Expr): { defaultedBy?: string } | undefined {
  const known = truthiness(project, { module, scope, expr: value });
  if (known !== 'unknown') return known === 'falsy' ? {} : undefined;
  const binding = value.kind === 'name' ? module.symbols.lookup(value.id, scope) : undefined;
  const method = binding?.kind === 'parameter' ? module.symbols.definitionOfScope(binding.scope) : undefined;
  const parameter = method?.parameters.find((candidate) => candidate.name === binding?.name);
  if (!method || !parameter?.defaultValue) return undefined;
  return truthiness(project, { module, scope: method.scope, expr: parameter.defaultValue }) === 'falsy' ? { defaultedBy: parameter.name } : undefined;
}

/**
 * Whether a project class (or a project base below Ninja's) calls Ninja's CSRF check itself, in
 * `authenticate`, `_get_key` or `__call__`, whatever `self.csrf` says, and acts on a failure.
 */
export function checksCsrfItself(project: Project, className: string): boolean {
  return project.inheritsFrom(className, (name) => !COOKIE_AUTH_CLASSES.has(name) && classChecksCsrf(project, name));
}

function classChecksCsrf(project: Project, className: string): boolean {
  const site = project.findDefinition(className);
  if (site?.definition.kind !== 'class') return false;
  const { module, definition } = site;
  return module.facts.definitions.some((method) => {
    if (method.kind !== 'function' || method.scope !== definition.bodyScope || !AUTHENTICATION_METHODS.has(method.name)) return false;
    const scope = method.bodyScope;
    const selfName = method.parameters[0]?.name;
    if (module.facts.scopes[scope]?.reads.includes(`${selfName}.csrf`)) return false;
    const checks = module.facts.calls.some(({ call, scope: callScope }) => {
      if (callScope !== scope) return false;
      const name = project.resolve(module, call.callee, callScope) ?? finalIdentifier(call.callee) ?? '';
      return CSRF_CHECKS.has(name.slice(name.lastIndexOf('.') + 1));
    });
    const rejects = module.facts.raises.some((statement) => statement.scope === scope) || module.facts.returns.some((statement) => statement.scope === scope && statement.conditional);
    return checks && rejects;
  });
}

/**
 * Reads `request.user` (without setting it from something else, as a token authentication does),
 * returns something, and calls no CSRF check.
 */
export function authenticatesBySession(project: Project, module: SourceModule, method: Definition): boolean {
  const request = method.parameters.find((parameter) => parameter.name !== 'self' && parameter.name !== 'cls' && !parameter.unpack)?.name;
  if (request === undefined || !module.facts.scopes[method.bodyScope]?.reads.includes(`${request}.user`)) return false;
  const setsUser = module.facts.assignments.some(({ target, scope }) => scope === method.bodyScope && target.kind === 'attribute' && target.attribute === 'user' && target.object.kind === 'name' && target.object.id === request);
  if (setsUser) return false;
  const returnsValue = module.facts.returns.some((statement) => statement.scope === method.bodyScope && statement.value !== null && !(statement.value.kind === 'constant' && statement.value.value === null));
  const checks = module.facts.calls.some(({ call, scope }) => {
    if (scope !== method.bodyScope) return false;
    const name = project.resolve(module, call.callee, scope) ?? finalIdentifier(call.callee) ?? '';
    return CSRF_CHECKS.has(name.slice(name.lastIndexOf('.') + 1));
  });
  return returnsValue && !checks;
}
