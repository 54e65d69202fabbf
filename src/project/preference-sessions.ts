/**
 * A session that remembers a browser, not a user: a theme, a language, the id of an anonymous cart,
 * or a random id the app keys its per-browser storage by (NiceGUI's `request.session["id"] =
 * str(uuid4())`). Every use of it is a key written in the code (`session["theme"] = ...`,
 * `session.get("lang", "en")`, `session.pop("cart_id")`), each key either names nobody or only ever
 * receives a fresh random value, no value stored names a user, and the module has no view that signs
 * anybody in. A forged request carries that cookie, but acts for nobody.
 *
 * A key names somebody when it names a credential, a person (`member`, `staff`, `email`), or the id of
 * anything but an anonymous visitor's cart (`agent_id`, `uid`): an id kept in a session is almost
 * always who signed in, unless the app made it up at random.
 */
import type { Expr } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import { isSignInView } from '../templates/form-purpose.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

const PERSON_KEY = /(^|_)(id|uid|pk)$|^(member|staff|admin|customer|agent|owner|person|profile|employee|email|name|role)s?($|_)/i;
const ANONYMOUS_HOLDER_KEY = /^(cart|basket|bag|guest|visitor|storage)_?id$/i;

/** Makers of fresh random values: an id made up for a browser, not looked up for a user. */
const RANDOM_VALUES = new Set(['uuid.uuid4', 'uuid.uuid1', 'secrets.token_hex', 'secrets.token_urlsafe', 'secrets.token_bytes', 'os.urandom']);

/** Methods of the session that take one key, written as a string. */
const KEYED_METHODS = new Set(['get', 'pop', 'setdefault']);

/** Attributes of the session that hold no key: `session.permanent = True`, `session.clear()`. */
const KEYLESS_ATTRIBUTES = new Set(['permanent', 'modified', 'clear']);

/**
 * The session as the module spells it: Flask's and Quart's imported name (`session`), an attribute
 * of the imported framework module (`flask.session` after `import flask`), or `request.session`
 * (Starlette, Litestar).
 */
export type SessionSpelling = { kind: 'imported'; name: string } | { kind: 'module-attribute'; module: string } | { kind: 'request-attribute' };

/**
 * Whether the module's session holds no user. `namesCredential` says whether a name is one of a
 * credential (`user_id`, `auth`, `token`).
 */
export function sessionHoldsNoUser(project: Project, module: SourceModule, spelling: SessionSpelling, namesCredential: (name: string) => boolean): boolean {
  if (module.facts.definitions.some((definition) => definition.kind === 'function' && isSignInView(definition.name))) return false;
  if (spelling.kind === 'imported' && readsOtherAttributes(module, spelling.name)) return false;
  const isSession = (expr: Expr) => isSpelledSession(expr, spelling);
  const keys = new Set<string>();
  let handedOut = false;
  for (const expression of expressionsOf(module)) {
    for (const part of walkExpr(expression, (inner) => keyOf(inner, isSession) === undefined)) {
      const key = keyOf(part, isSession);
      if (key === null) return false;
      if (key !== undefined) keys.add(key);
      else if (isSession(part)) handedOut = true;
    }
  }
  const randomKeys = keysGivenOnlyRandomValues(project, module, isSession);
  // The session handed to other code as a whole (`return request.session`) may hold anything, unless the module
  // made the session a browser's random id: then it is a store keyed per browser, as NiceGUI's storage is.
  if (handedOut && (spelling.kind !== 'request-attribute' || randomKeys.size === 0)) return false;
  const namesNobody = (key: string) => sessionKeyNamesNobody(key, namesCredential);
  return keys.size > 0 && [...keys].every((key) => randomKeys.has(key) || namesNobody(key)) && !storesCredential(module, isSession, namesCredential);
}

/** A session key that names no credential nor person (`theme`, `sidebar`, `cart_id`; not `user_id`, `token`, `email`). */
export function sessionKeyNamesNobody(key: string, namesCredential: (name: string) => boolean): boolean {
  return !namesCredential(key) && !(PERSON_KEY.test(key) && !ANONYMOUS_HOLDER_KEY.test(key));
}

/** `session.user` read where the facts keep no expression (an `if` test): anything but a keyed method. */
function readsOtherAttributes(module: SourceModule, session: string): boolean {
  return module.facts.scopes.some((scope) =>
    scope.reads.some((read) => {
      if (!read.startsWith(`${session}.`)) return false;
      const attribute = read.slice(session.length + 1);
      return !KEYED_METHODS.has(attribute) && !KEYLESS_ATTRIBUTES.has(attribute);
    }),
  );
}

function isSpelledSession(expr: Expr, spelling: SessionSpelling): boolean {
  if (spelling.kind === 'imported') return expr.kind === 'name' && expr.id === spelling.name;
  if (spelling.kind === 'module-attribute') return expr.kind === 'attribute' && expr.attribute === 'session' && expr.object.kind === 'name' && expr.object.id === spelling.module;
  return isRequestSession(expr);
}

function isRequestSession(expr: Expr): boolean {
  if (expr.kind !== 'attribute' || expr.attribute !== 'session') return false;
  const owner = expr.object;
  return (owner.kind === 'name' && owner.id === 'request') || (owner.kind === 'attribute' && owner.attribute === 'request');
}

/**
 * The key of a keyed use of the session: `"theme"` for `session["theme"]` or `session.get("theme")`,
 * `""` for a use without a key (`session.permanent`); `null` when the key is not written in the code;
 * `undefined` when the expression is no such use.
 */
function keyOf(expr: Expr, isSession: (expr: Expr) => boolean): string | null | undefined {
  if (expr.kind === 'subscript' && isSession(expr.object)) return expr.index.kind === 'string' ? expr.index.value : null;
  if (expr.kind === 'attribute' && isSession(expr.object) && KEYLESS_ATTRIBUTES.has(expr.attribute)) return '';
  if (expr.kind !== 'call' || expr.callee.kind !== 'attribute' || !isSession(expr.callee.object) || !KEYED_METHODS.has(expr.callee.attribute)) return undefined;
  const [first] = expr.args;
  return first?.name === undefined && first?.value.kind === 'string' ? first.value.value : null;
}

/** The keys every store to which is a fresh random value: `session["id"] = str(uuid.uuid4())`. */
function keysGivenOnlyRandomValues(project: Project, module: SourceModule, isSession: (expr: Expr) => boolean): Set<string> {
  const random = new Set<string>();
  const other = new Set<string>();
  for (const { target, value, scope } of module.facts.assignments) {
    if (target.kind !== 'subscript' || !isSession(target.object) || target.index.kind !== 'string') continue;
    const isRandom = value !== null && [...walkExpr(value)].some((part) => part.kind === 'call' && RANDOM_VALUES.has(project.resolve(module, part.callee, scope) ?? ''));
    (isRandom ? random : other).add(target.index.value);
  }
  for (const key of other) random.delete(key);
  return random;
}

/** `session["cart"] = current_user.id`: a value stored in the session that names a credential. */
function storesCredential(module: SourceModule, isSession: (expr: Expr) => boolean, namesCredential: (name: string) => boolean): boolean {
  return module.facts.assignments.some(({ target, value }) => {
    if (value === null || target.kind !== 'subscript' || !isSession(target.object)) return false;
    return [...walkExpr(value)].some((part) => !isSession(part) && ((part.kind === 'name' && namesCredential(part.id)) || (part.kind === 'attribute' && namesCredential(part.attribute))));
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
