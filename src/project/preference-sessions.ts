/**
 * A Flask or Quart `session` that remembers preferences, not a user: a theme, a language, the id of
 * an anonymous cart. Every use of it is a key written in the code (`session["theme"] = ...`,
 * `session.get("lang", "en")`, `session.pop("cart_id")`), no key and no value stored names who the
 * user is, and the module has no view that signs anybody in. A forged request carries that cookie,
 * but acts for nobody.
 *
 * A key names somebody when it names a credential, a person (`member`, `staff`, `email`), or the id of
 * anything but an anonymous visitor's cart (`agent_id`, `uid`): an id kept in a session is almost
 * always who signed in.
 */
import type { Expr } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import { isSignInView } from '../templates/form-purpose.js';
import type { SourceModule } from './source-module.js';

const PERSON_KEY = /(^|_)(id|uid|pk)$|^(member|staff|admin|customer|agent|owner|person|profile|employee|email|name|role)s?($|_)/i;
const ANONYMOUS_HOLDER_KEY = /^(cart|basket|bag|guest|visitor|storage)_?id$/i;

/** Methods of the session that take one key, written as a string. */
const KEYED_METHODS = new Set(['get', 'pop', 'setdefault']);

/** Attributes of the session that hold no key: `session.permanent = True`, `session.modified`. */
const KEYLESS_ATTRIBUTES = new Set(['permanent', 'modified', 'clear']);

/**
 * Whether the module's session, bound as `session`, only holds preferences. `namesCredential` says
 * whether a name is one of a credential (`user_id`, `auth`, `token`).
 */
export function sessionHoldsOnlyPreferences(module: SourceModule, session: string, namesCredential: (name: string) => boolean): boolean {
  if (module.facts.definitions.some((definition) => definition.kind === 'function' && isSignInView(definition.name))) return false;
  const otherAttributes = module.facts.scopes.some((scope) =>
    scope.reads.some((read) => read.startsWith(`${session}.`) && !KEYED_METHODS.has(read.slice(session.length + 1)) && !KEYLESS_ATTRIBUTES.has(read.slice(session.length + 1))),
  );
  if (otherAttributes) return false;
  let keys = 0;
  for (const expression of expressionsOf(module)) {
    for (const part of walkExpr(expression, (inner) => keyOf(inner, session) === undefined)) {
      const key = keyOf(part, session);
      if (key !== undefined) {
        if (key === null || namesSomebody(key, namesCredential)) return false;
        keys++;
      } else if (part.kind === 'name' && part.id === session) return false;
    }
  }
  return keys > 0 && !storesCredential(module, session, namesCredential);
}

function namesSomebody(key: string, namesCredential: (name: string) => boolean): boolean {
  return namesCredential(key) || (PERSON_KEY.test(key) && !ANONYMOUS_HOLDER_KEY.test(key));
}

/**
 * The key of a keyed use of the session: `"theme"` for `session["theme"]` or `session.get("theme")`;
 * `null` when the key is not written in the code; `undefined` when the expression is no such use.
 */
function keyOf(expr: Expr, session: string): string | null | undefined {
  if (expr.kind === 'subscript' && isName(expr.object, session)) return expr.index.kind === 'string' ? expr.index.value : null;
  // No key at all: `session.permanent = True`, `session.clear()`.
  if (expr.kind === 'attribute' && isName(expr.object, session) && KEYLESS_ATTRIBUTES.has(expr.attribute)) return '';
  if (expr.kind !== 'call' || expr.callee.kind !== 'attribute' || !isName(expr.callee.object, session) || !KEYED_METHODS.has(expr.callee.attribute)) return undefined;
  const [first] = expr.args;
  return first?.name === undefined && first?.value.kind === 'string' ? first.value.value : null;
}

/** `session["cart"] = current_user.id`: a value stored in the session that names a credential. */
function storesCredential(module: SourceModule, session: string, namesCredential: (name: string) => boolean): boolean {
  return module.facts.assignments.some(({ target, value }) => {
    if (value === null || target.kind !== 'subscript' || !isName(target.object, session)) return false;
    return [...walkExpr(value)].some((part) => (part.kind === 'name' && part.id !== session && namesCredential(part.id)) || (part.kind === 'attribute' && namesCredential(part.attribute)));
  });
}

/** Every expression the module's facts keep: its calls, the two sides of its assignments, what it returns. */
function* expressionsOf(module: SourceModule): Generator<Expr> {
  for (const { call } of module.facts.calls) yield call;
  for (const { target, value } of module.facts.assignments) {
    yield target;
    if (value) yield value;
  }
  for (const { value } of module.facts.returns) if (value) yield value;
}

function isName(expr: Expr, id: string): boolean {
  return expr.kind === 'name' && expr.id === id;
}
