/**
 * Sign-in endpoints for native apps: the view reads an identity provider's ID token from its body
 * and hands it to code of the project's that completes the sign-in through the social-login
 * library (allauth's `complete_social_login`, after the provider verified the token). The account
 * acted for is the token's, which a cross-site page cannot mint for its victim.
 */
import type { CallExpr, Definition, Expr } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { calledFunction } from './view-bodies.js';

/** Library functions that sign a request in as the account of a social login the provider verified. */
const SOCIAL_LOGIN_COMPLETERS = new Set(['allauth.socialaccount.helpers.complete_social_login']);

/** Where a request's body fields are read. */
const BODY_FIELDS = new Set(['POST', 'data', 'body']);

/** How far the project's functions the token is handed to are followed. */
const HELPER_DEPTH = 2;

export interface ProviderTokenSignIn {
  /** The library function that completes the sign-in. */
  completer: string;
  /** The view then flushes the session (`request.session.flush()`): nothing of the sign-in stays in the browser. */
  sessionFlushed: boolean;
}

export function providerTokenSignIn(project: Project, module: SourceModule, definition: Definition, requestName: string): ProviderTokenSignIn | undefined {
  const bodyNames = bodyDerivedNames(module, definition, requestName);
  if (bodyNames.size === 0) return undefined;
  for (const { call, scope } of module.symbols.itemsWithin(module.facts.calls, definition.bodyScope)) {
    if (!call.args.some(({ value }) => mentionsName(value, bodyNames))) continue;
    const completer = completerReached(project, module, call, scope, 0);
    if (completer !== undefined) return { completer, sessionFlushed: flushesSession(module, definition, requestName) };
  }
  return undefined;
}

/** Names bound to what the body holds: `data = json.loads(request.body)`, then `id_token = data.get("id_token")`. */
function bodyDerivedNames(module: SourceModule, definition: Definition, requestName: string): Set<string> {
  const names = new Set<string>();
  const assignments = module.facts.assignments.filter(({ scope, target, value }) => scope === definition.bodyScope && target.kind === 'name' && value !== null);
  const readsBody = (expr: Expr) => [...walkExpr(expr)].some((part) => part.kind === 'attribute' && part.object.kind === 'name' && part.object.id === requestName && BODY_FIELDS.has(part.attribute));
  for (let grown = true; grown; ) {
    grown = false;
    for (const { target, value } of assignments) {
      if (target.kind !== 'name' || names.has(target.id) || !value || !(readsBody(value) || mentionsName(value, names))) continue;
      names.add(target.id);
      grown = true;
    }
  }
  return names;
}

function mentionsName(expr: Expr, names: ReadonlySet<string>): boolean {
  return [...walkExpr(expr)].some((part) => part.kind === 'name' && names.has(part.id));
}

function completerReached(project: Project, module: SourceModule, call: CallExpr, scope: number, depth: number): string | undefined {
  const name = project.resolve(module, call.callee, scope);
  if (name !== undefined && SOCIAL_LOGIN_COMPLETERS.has(name)) return name.slice(name.lastIndexOf('.') + 1);
  if (depth >= HELPER_DEPTH) return undefined;
  const site = calledFunction(project, module, call, scope);
  if (site?.definition.kind !== 'function') return undefined;
  for (const inner of site.module.symbols.itemsWithin(site.module.facts.calls, site.definition.bodyScope)) {
    const found = completerReached(project, site.module, inner.call, inner.scope, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function flushesSession(module: SourceModule, definition: Definition, requestName: string): boolean {
  return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).some(({ call }) => {
    const { callee } = call;
    if (callee.kind !== 'attribute' || callee.attribute !== 'flush') return false;
    const holder = callee.object;
    return holder.kind === 'attribute' && holder.attribute === 'session' && holder.object.kind === 'name' && holder.object.id === requestName;
  });
}
