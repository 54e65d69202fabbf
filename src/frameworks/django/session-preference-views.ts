import type { Expr } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import { namesCredential } from '../../project/credentials.js';
import { sessionKeyNamesNobody } from '../../project/preference-sessions.js';
import type { Project } from '../../project/project.js';
import { expressionsWithin, type RequestHandler, USER_ATTRIBUTES } from '../../project/view-bodies.js';

/** Methods of the session that take no key or one key written as a string, and change nothing else. */
const SESSION_METHODS = new Set(['keys', 'save', 'get', 'pop', 'setdefault']);
/** Where a request's input is read: `request.POST.get("field")`. */
const REQUEST_INPUT = new Set(['POST', 'GET', 'body']);
/** What such a view may call besides the session and its input: responses and builtins. */
const HARMLESS_CALLEES = /^(django\.http\.|builtins\.)/;
/** Decorators that only turn requests away (`@login_required`, `@require_POST`), and the exemption itself. */
const RESTRICTING_DECORATORS = /^django\.(contrib\.auth\.decorators|views\.decorators\.(http|csrf))\./;

/**
 * A view whose whole effect is to store display preferences in the visitor's session
 * (Ghostwriter's `update_session`: `request.session["sidebar"]["sticky"] ^= True`): it reads no user,
 * uses the session only by keys written in the code, none of which names a credential or a person,
 * and calls nothing but the session's own methods, `request.POST.get(...)`, responses and builtins.
 * A forged request changes how the site looks to the user, nothing they own. The keys it uses, or
 * `undefined` when it is no such view.
 */
export function sessionPreferenceKeys(project: Project, { module, definition, requestName }: RequestHandler): string[] | undefined {
  const request = requestName ?? definition.parameters[0]?.name;
  if (request === undefined || definition.kind !== 'function') return undefined;
  const decoratorsRestrictOnly = definition.decorators.every(({ expression }) => RESTRICTING_DECORATORS.test(project.resolve(module, expression.kind === 'call' ? expression.callee : expression, definition.scope) ?? ''));
  if (!decoratorsRestrictOnly) return undefined;
  const isSession = (expr: Expr) => expr.kind === 'attribute' && expr.attribute === 'session' && expr.object.kind === 'name' && expr.object.id === request;
  const isInput = (expr: Expr) => expr.kind === 'attribute' && REQUEST_INPUT.has(expr.attribute) && expr.object.kind === 'name' && expr.object.id === request;
  const calls = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope);
  const callsOnlyHarmless = calls.every(({ call, scope }) => {
    const { callee } = call;
    if (callee.kind === 'attribute' && isSession(callee.object)) return SESSION_METHODS.has(callee.attribute);
    if (callee.kind === 'attribute' && isInput(callee.object)) return callee.attribute === 'get';
    return HARMLESS_CALLEES.test(project.resolve(module, callee, scope) ?? '');
  });
  if (!callsOnlyHarmless) return undefined;
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  const targets = module.facts.assignments.filter(({ scope }) => scopes.has(scope)).map(({ target }) => target);
  const tests = module.symbols.itemsWithin(module.facts.conditions, definition.bodyScope).map(({ test }) => test);
  const keys = new Set<string>();
  for (const expression of [...expressionsWithin(module, definition.bodyScope), ...targets, ...tests]) {
    let uses = 0;
    let keyedUses = 0;
    for (const part of walkExpr(expression)) {
      if (part.kind === 'attribute' && part.object.kind === 'name' && part.object.id === request && USER_ATTRIBUTES.has(part.attribute) && part.attribute !== 'session') return undefined;
      if (isSession(part)) uses++;
      const key = sessionUseKey(part, isSession);
      if (key === null) return undefined;
      if (key === undefined) continue;
      keyedUses++;
      if (key !== '') keys.add(key);
    }
    // The session handed to other code as a whole may have anything done to it.
    if (uses !== keyedUses) return undefined;
  }
  return keys.size > 0 && [...keys].every((key) => sessionKeyNamesNobody(key, namesCredential)) ? [...keys].sort() : undefined;
}

/**
 * The key of a use of the session: `"sidebar"` for `session["sidebar"]` or `session.get("sidebar")`,
 * `""` for a method that takes none (`session.keys()`, `session.save()`); `null` when the key is not
 * written in the code; `undefined` when the expression is no such use.
 */
function sessionUseKey(expr: Expr, isSession: (expr: Expr) => boolean): string | null | undefined {
  if (expr.kind === 'subscript' && isSession(expr.object)) return expr.index.kind === 'string' ? expr.index.value : null;
  if (expr.kind !== 'call' || expr.callee.kind !== 'attribute' || !isSession(expr.callee.object)) return undefined;
  if (expr.callee.attribute === 'keys' || expr.callee.attribute === 'save') return '';
  const [first] = expr.args;
  return first?.name === undefined && first?.value.kind === 'string' ? first.value.value : null;
}
