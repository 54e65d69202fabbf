import type { Expr } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import { finalIdentifier, type Project } from './project.js';
import type { SourceModule } from './source-module.js';
import type { RequestHandler } from './view-bodies.js';

/** Where a request's body fields are read. */
const BODY_FIELDS = new Set(['POST', 'data', 'body']);

/** What a handler answers a request it refuses with: raised or returned. */
const REFUSALS = new Set([
  'django.core.exceptions.PermissionDenied',
  'django.http.HttpResponseForbidden',
  'django.http.response.HttpResponseForbidden',
  'django.http.Http404',
  'django.http.response.Http404',
]);

/** The setting that names Django's session backend, whose module holds the `SessionStore` class. */
const SESSION_ENGINE_SETTING = 'SESSION_ENGINE';


/**
 * A handler that opens a session store by a key posted in the body
 * (`SessionStore(request.POST.get("session"))`, the class named by `settings.SESSION_ENGINE`) and
 * refuses a request (`raise PermissionDenied`, a 403) when the session is not what it expects: the
 * session key, a secret only the issuing page knows, is the request's credential (a cross-domain
 * sign-in hand-off), so a cross-site page that does not know it gets nothing.
 */
export function looksUpBodySessionKey(project: Project, { module, definition, requestName }: RequestHandler): boolean {
  const name = requestName ?? definition.parameters[0]?.name;
  if (name === undefined) return false;
  const calls = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope);
  const refuses = calls.some(({ call, scope }) => REFUSALS.has(project.resolve(module, call.callee, scope) ?? ''));
  if (!refuses) return false;
  return calls.some(({ call, scope }) => {
    const [key] = call.args;
    return key !== undefined && readsBody(key.value, name) && isSessionStore(project, module, call.callee, scope);
  });
}

function readsBody(expr: Expr, requestName: string): boolean {
  return [...walkExpr(expr)].some((part) => part.kind === 'attribute' && part.object.kind === 'name' && part.object.id === requestName && BODY_FIELDS.has(part.attribute));
}

/**
 * Django's `SessionStore` class: imported from a session backend, or loaded from the module
 * `settings.SESSION_ENGINE` names (`import_string(f"{settings.SESSION_ENGINE}.SessionStore")`,
 * `import_module(settings.SESSION_ENGINE).SessionStore`).
 */
function isSessionStore(project: Project, module: SourceModule, callee: Expr, scope: number): boolean {
  if (finalIdentifier(callee) !== 'SessionStore') return false;
  if ((project.resolve(module, callee, scope) ?? '').startsWith('django.contrib.sessions.backends.')) return true;
  const loaded = callee.kind === 'attribute' ? [callee, callee.object] : [callee];
  return loaded.some((expr) => project.assignmentsOf(module, expr, scope).some(({ assignment }) => assignment.value != null && namesSessionEngine(assignment.value)));
}

/** `settings.SESSION_ENGINE` inside the value, an f-string's interpolations included. */
function namesSessionEngine(value: Expr): boolean {
  return [...walkExpr(value)].some((part) => {
    if (part.kind === 'attribute') return part.attribute === SESSION_ENGINE_SETTING;
    return part.kind === 'other' && (part.parts ?? []).some((piece) => typeof piece !== 'string' && namesSessionEngine(piece));
  });
}
