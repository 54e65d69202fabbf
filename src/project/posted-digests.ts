import type { Assignment, CompareExpr, Definition, Expr } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

/** Hash functions a payment gateway's callback digest is computed with. */
const DIGEST_FUNCTIONS = new Set(['hashlib.md5', 'hashlib.sha1', 'hashlib.sha224', 'hashlib.sha256', 'hashlib.sha384', 'hashlib.sha512', 'hashlib.blake2b', 'hashlib.blake2s', 'hashlib.new', 'hmac.new']);
const SETTINGS = new Set(['django.conf.settings', 'flask.current_app.config']);
/** HTTP clients a view posts a message back with. */
const HTTP_CALLS = new Set(['urllib.request.urlopen', 'urllib2.urlopen', 'requests.post', 'requests.request', 'httpx.post', 'httpx.request']);
/** What PayPal answers a genuine IPN message posted back to it with. */
const POST_BACK_VERDICT = 'verified';

const DERIVATION_PASSES = 4;

interface Body {
  expressions: Array<{ expr: Expr; scope: number }>;
  assignments: Assignment[];
}

/**
 * A digest of a secret setting and the message (`hashlib.md5(f"{settings.RESPONSE_KEY}{login}{id}")`)
 * compared (`==`, `!=`) with a value the request carries: a payment gateway's signed callback.
 * The digest may go through local names; the comparison may be an `if` test, an assignment or a return.
 */
export function secretDigestComparison(project: Project, module: SourceModule, definition: Definition): string | undefined {
  const body = bodyOf(module, definition);
  const secrets = namesDerivedFrom(body, (part, scope) => readsSetting(project, module, part, scope));
  let digestFunction: string | undefined;
  const isDigest = (part: Expr, scope: number): boolean => {
    if (part.kind !== 'call') return false;
    const name = project.resolve(module, part.callee, scope);
    if (name === undefined || !DIGEST_FUNCTIONS.has(name)) return false;
    const hashesSecret = part.args.some(({ value }) => [...walkExpr(value)].some((inner) => (inner.kind === 'name' && secrets.has(inner.id)) || readsSetting(project, module, inner, scope)));
    if (hashesSecret) digestFunction ??= name;
    return hashesSecret;
  };
  const digests = namesDerivedFrom(body, isDigest);
  const mentionsDigest = (expr: Expr, scope: number) => [...walkExpr(expr)].some((part) => (part.kind === 'name' && digests.has(part.id)) || isDigest(part, scope));
  const mentionsOther = (expr: Expr) => [...walkExpr(expr)].some((part) => part.kind === 'name' && !digests.has(part.id) && !secrets.has(part.id));
  for (const { expr, scope } of body.expressions) {
    for (const compare of equalityComparisons(expr)) {
      const [left, right] = compare.operands;
      if (!left || !right) continue;
      if ((mentionsDigest(left, scope) && mentionsOther(right)) || (mentionsDigest(right, scope) && mentionsOther(left))) return `${digestFunction ?? 'digest'}(...) compared with the posted value`;
    }
  }
  return undefined;
}

/**
 * PayPal's IPN and PDT check: the message is posted back to PayPal (`urlopen(Request(url, data))`,
 * `requests.post(...)`) and its answer compared with "VERIFIED"; a forged message is answered INVALID.
 */
export function postBackVerification(project: Project, module: SourceModule, definition: Definition): string | undefined {
  const body = bodyOf(module, definition);
  const httpCall = module.symbols
    .itemsWithin(module.facts.calls, definition.bodyScope)
    .map(({ call, scope }) => project.resolve(module, call.callee, scope))
    .find((name) => name !== undefined && HTTP_CALLS.has(name));
  if (httpCall === undefined) return undefined;
  const answersVerified = body.expressions.some(({ expr }) =>
    equalityComparisons(expr).some((compare) => compare.operands.some((operand) => operand.kind === 'string' && operand.value.toLowerCase() === POST_BACK_VERDICT)),
  );
  return answersVerified ? `${httpCall}(...) answered "VERIFIED"` : undefined;
}

/** The tests, returns and assignments of a function's own body (not of the functions nested in it). */
function bodyOf(module: SourceModule, definition: Definition): Body {
  const own = <T extends { scope: number }>(items: readonly T[]) => module.symbols.itemsWithin(items, definition.bodyScope).filter((item) => item.scope === definition.bodyScope);
  const assignments = own(module.facts.assignments);
  const expressions = [
    ...own(module.facts.conditions).map(({ test, scope }) => ({ expr: test, scope })),
    ...own(module.facts.returns).flatMap(({ value, scope }) => (value ? [{ expr: value, scope }] : [])),
    ...assignments.flatMap(({ value, scope }) => (value ? [{ expr: value, scope }] : [])),
  ];
  return { expressions, assignments };
}

/** Local names whose value holds what `marks` recognises, directly or through other such names. */
function namesDerivedFrom({ assignments }: Body, marks: (part: Expr, scope: number) => boolean): Set<string> {
  const names = new Set<string>();
  // A few passes follow a chain of names (`key` -> `text` -> `digest`) without growing with the body.
  for (let pass = 0, grew = true; grew && pass < DERIVATION_PASSES; pass++) {
    grew = false;
    for (const { target, value, scope } of assignments) {
      if (target.kind !== 'name' || names.has(target.id) || !value) continue;
      if ([...walkExpr(value)].some((part) => (part.kind === 'name' && names.has(part.id)) || marks(part, scope))) {
        names.add(target.id);
        grew = true;
      }
    }
  }
  return names;
}

function readsSetting(project: Project, module: SourceModule, part: Expr, scope: number): boolean {
  if (part.kind !== 'attribute' && part.kind !== 'subscript') return false;
  const name = project.resolve(module, part.object, scope);
  return name !== undefined && SETTINGS.has(name);
}

function equalityComparisons(expr: Expr): CompareExpr[] {
  return [...walkExpr(expr)].filter((part): part is CompareExpr => part.kind === 'compare' && part.operators.every((operator) => operator === '==' || operator === '!='));
}
