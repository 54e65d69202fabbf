import type { CallExpr, Expr, SourceRange } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import { words } from './context.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { type RequestHandler, USER_ATTRIBUTES } from './view-bodies.js';

const AUTHENTICATE = 'django.contrib.auth.authenticate';
const LOGIN = 'django.contrib.auth.login';
/** Where a request's body fields are read. */
const BODY_FIELDS = new Set(['POST', 'data', 'body']);

/** What a login view may hand its request to without acting for the session's user. */
const SIGN_IN_HELPERS = new Set([AUTHENTICATE, LOGIN, 'django.shortcuts.render', 'django.shortcuts.redirect', 'django.template.response.TemplateResponse']);
const FORM_BASES = /^django\.(forms|contrib\.auth\.forms)\./;
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical']);

/**
 * A login view: it checks the username and password its body carries
 * (`user = authenticate(request, username=..., password=request.POST["password"])`) and signs the
 * browser in as that user (`login(request, user)`). A forged request can only sign the browser in to
 * an account whose password the forger knows (login CSRF). It must not act for the session's user
 * before that: every read of `request.user` or `request.session` comes after `login()` in the block
 * that runs it (the user it just signed in), or only goes into a record of the attempt (a logger call,
 * `AuditLog.objects.create(...)`). The request goes only to Django's sign-in functions, forms,
 * renderers and such records; a project function it is handed to is not followed, so it is not one.
 */
export function signsInByBodyPassword(project: Project, { module, definition, requestName }: RequestHandler): boolean {
  const request = requestName ?? definition.parameters[0]?.name;
  if (request === undefined) return false;
  const calls = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope);
  const signedIn = authenticatedNames(project, module, definition.bodyScope, request);
  const login = calls.find(({ call, scope }) => project.resolve(module, call.callee, scope) === LOGIN && call.args.some(({ value }) => value.kind === 'name' && signedIn.has(value.id)));
  if (!login) return false;
  const records = calls.filter(({ call, scope }) => recordsTheAttempt(project, module, call, scope)).map(({ call }) => call.range);
  const afterLogin = signInBlockAfter(module, definition.bodyScope, login.call.range);
  const excused = (range: SourceRange) => records.some((record) => inside(range, record)) || inside(range, afterLogin);
  if (!sessionReadSites(module, definition.bodyScope, request).every(excused)) return false;
  return calls.every(({ call, scope }) => !call.args.some(({ value }) => value.kind === 'name' && value.id === request) || excused(call.range) || signInHelper(project, module, call, scope));
}

/** `user = authenticate(..., password=<the body's>)`: the names bound to the account the body's password opens. */
function authenticatedNames(project: Project, module: SourceModule, bodyScope: number, request: string): Set<string> {
  const scopes = module.symbols.scopesWithin(bodyScope);
  const readsBody = (expr: Expr) => [...walkExpr(expr)].some((part) => part.kind === 'attribute' && part.object.kind === 'name' && part.object.id === request && BODY_FIELDS.has(part.attribute));
  const bodyNames = new Set(module.facts.assignments.flatMap(({ scope, target, value }) => (scopes.has(scope) && target.kind === 'name' && value && readsBody(value) ? [target.id] : [])));
  const names = new Set<string>();
  for (const { scope, target, value } of module.facts.assignments) {
    if (!scopes.has(scope) || target.kind !== 'name' || value?.kind !== 'call' || project.resolve(module, value.callee, scope) !== AUTHENTICATE) continue;
    const password = value.args.find((argument) => argument.name === 'password')?.value;
    // Read from the body there, or from a name holding it (`form = LoginForm(request, data=request.POST)`, then `form.data["password"]`).
    if (password && (readsBody(password) || [...walkExpr(password)].some((part) => part.kind === 'name' && bodyNames.has(part.id)))) names.add(target.id);
  }
  return names;
}

/** From the `login()` call to the end of the innermost `if` block holding it (or of the function). */
function signInBlockAfter(module: SourceModule, bodyScope: number, login: SourceRange): SourceRange {
  const blocks = module.symbols.itemsWithin(module.facts.conditions, bodyScope).flatMap(({ body }) => (body && inside(login, body) ? [body] : []));
  const innermost = blocks.reduce<SourceRange | undefined>((best, block) => (best === undefined || inside(block, best) ? block : best), undefined);
  const end = innermost ?? { line: login.line, column: login.column, endLine: Number.MAX_SAFE_INTEGER, endColumn: 0 };
  return { line: login.endLine, column: login.endColumn, endLine: end.endLine, endColumn: end.endColumn };
}

/**
 * Where the body reads the session's user or session (`request.user`, `request.session[...]`): the
 * range of each call, assignment, return or `if` block that does. Expressions keep no place of their
 * own, so a read inside a call's arguments is placed by that call (and by every call around it).
 */
function sessionReadSites(module: SourceModule, bodyScope: number, request: string): SourceRange[] {
  const reads = (expr: Expr | null | undefined) => expr !== null && expr !== undefined && [...walkExpr(expr)].some((part) => part.kind === 'attribute' && part.object.kind === 'name' && part.object.id === request && USER_ATTRIBUTES.has(part.attribute));
  const within = <T extends { scope: number }>(items: readonly T[]) => module.symbols.itemsWithin(items, bodyScope);
  return [
    ...within(module.facts.calls).flatMap(({ call }) => (reads(call) ? [call.range] : [])),
    ...within(module.facts.assignments).flatMap(({ target, value, range }) => (reads(target) || reads(value) ? [range] : [])),
    ...within(module.facts.returns).flatMap(({ value, range }) => (reads(value) ? [range] : [])),
    ...within(module.facts.deletions).flatMap((deletion) => (reads(deletion.target) ? [deletion.range] : [])),
    // A test's place is the block it guards: a test with no block kept is never excused.
    ...within(module.facts.conditions).flatMap(({ test, body }) => (reads(test) ? [body ?? NOWHERE] : [])),
  ];
}

const NOWHERE: SourceRange = { line: 0, column: 0, endLine: 0, endColumn: 0 };

/** A logger call (`logger.info(...)`) or a row written to a model named for a log (`AuditLog.objects.create(...)`). */
function recordsTheAttempt(project: Project, module: SourceModule, call: CallExpr, scope: number): boolean {
  const { callee } = call;
  if (callee.kind !== 'attribute') return false;
  if (LOG_METHODS.has(callee.attribute)) return namesALogger(callee.object);
  if (callee.attribute !== 'create' || callee.object.kind !== 'attribute' || callee.object.attribute !== 'objects') return false;
  const model = project.resolve(module, callee.object.object, scope);
  return model !== undefined && words(model.slice(model.lastIndexOf('.') + 1)).at(-1) === 'log';
}

function namesALogger(object: Expr): boolean {
  const name = object.kind === 'name' ? object.id : object.kind === 'attribute' ? object.attribute : '';
  return words(name).some((word) => word === 'log' || word === 'logger' || word === 'logging');
}

function signInHelper(project: Project, module: SourceModule, call: CallExpr, scope: number): boolean {
  const name = project.resolve(module, call.callee, scope);
  if (name === undefined) return false;
  return SIGN_IN_HELPERS.has(name) || name.startsWith('django.contrib.messages.') || project.inheritsFrom(name, (base) => FORM_BASES.test(base));
}

function inside(inner: SourceRange, outer: SourceRange): boolean {
  const startsAfter = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const endsBefore = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return startsAfter && endsBefore;
}
