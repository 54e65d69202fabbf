/**
 * A Flask session interface of the project's own (`app.session_interface = ...`, a subclass of
 * `flask.sessions.SessionInterface`) may open the session of some paths from a request header
 * instead of the cookie: SecureDrop's journalist app reads the session id of `/api/...` requests
 * from `Authorization: Token <sid>`. A forged request to those paths carries the cookie, which that
 * interface does not read there, and cannot send the header.
 */
import type { Definition, Expr } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

const FLASK_SESSION_INTERFACES: ReadonlySet<string> = new Set(['flask.sessions.SessionInterface']);

/** Where a project's session interface opens sessions from a header: the path prefix (`/api`) and where it decides. */
export interface HeaderSessionPaths {
  prefix: string;
  module: SourceModule;
  line: number;
}

/**
 * The path prefix under which a session interface of the project root opens the session from a
 * header: its `open_session` reads `request.headers.get(...)` and compares the request's path with
 * a prefix (`request.path.split("/")[1] == "api"`, `request.path.startswith("/api/")`).
 */
export function headerSessionPaths(project: Project, projectRoot: string): HeaderSessionPaths | undefined {
  for (const module of project.modules) {
    if (module.projectRoot !== projectRoot || module.context === 'test') continue;
    for (const definition of module.facts.definitions) {
      if (definition.kind !== 'function' || definition.name !== 'open_session') continue;
      const owner = module.symbols.definitionOfScope(definition.scope);
      if (owner?.kind !== 'class' || !project.isSubclassOf(module.symbols.definitionName(owner), FLASK_SESSION_INTERFACES)) continue;
      const found = headerBranch(module, definition);
      if (found) return found;
    }
  }
  return undefined;
}

function headerBranch(module: SourceModule, openSession: Definition): HeaderSessionPaths | undefined {
  const calls = module.symbols.itemsWithin(module.facts.calls, openSession.bodyScope);
  const readsHeader = calls.some(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === 'get' && call.callee.object.kind === 'attribute' && call.callee.object.attribute === 'headers');
  if (!readsHeader) return undefined;
  const expressions: Array<{ expr: Expr; line: number }> = [
    ...module.symbols.itemsWithin(module.facts.assignments, openSession.bodyScope).flatMap(({ value, range }) => (value ? [{ expr: value, line: range.line }] : [])),
    ...calls.map(({ call }) => ({ expr: call as Expr, line: openSession.nameRange.line })),
  ];
  for (const { expr, line } of expressions) {
    const prefix = pathPrefixCompared(expr);
    if (prefix !== undefined) return { prefix, module, line };
  }
  return undefined;
}

/** `request.path.split("/")[1] == "api"` → `/api`; `request.path.startswith("/api/")` → `/api`. */
function pathPrefixCompared(expr: Expr): string | undefined {
  for (const part of walkExpr(expr)) {
    if (part.kind === 'compare' && part.operators.length === 1 && part.operators[0] === '==' && part.operands.some(splitsRequestPath)) {
      const word = part.operands.find((operand) => operand.kind === 'string');
      if (word?.kind === 'string' && /^\w+$/.test(word.value)) return `/${word.value}`;
    }
    if (part.kind === 'call' && part.callee.kind === 'attribute' && part.callee.attribute === 'startswith' && readsRequestPath(part.callee.object)) {
      const [first] = part.args;
      if (first?.value.kind === 'string' && /^\/\w+\/?$/.test(first.value.value)) return first.value.value.replace(/\/$/, '');
    }
  }
  return undefined;
}

/** `request.path.split("/")[1]`: the first segment of the path. */
function splitsRequestPath(expr: Expr): boolean {
  if (expr.kind !== 'subscript' || expr.index.kind !== 'number' || expr.index.value !== 1 || expr.object.kind !== 'call') return false;
  const { callee } = expr.object;
  return callee.kind === 'attribute' && callee.attribute === 'split' && readsRequestPath(callee.object);
}

function readsRequestPath(expr: Expr): boolean {
  return expr.kind === 'attribute' && expr.attribute === 'path' && expr.object.kind === 'name' && expr.object.id === 'request';
}
