import type { Assignment, CallExpr, Definition, Expr, SourceRange, TryStatement } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import { finalIdentifier, namesCsrf, type Project } from './project.js';
import type { SourceModule } from './source-module.js';

/**
 * What an override of a checking method does: still `checks` (calls the parent's method, something
 * named for CSRF, or raises), `skips-some` requests (returns early under a condition, before it
 * checks), or `accepts-all` (never checks).
 */
export type OverrideBehaviour = 'checks' | 'skips-some' | 'accepts-all';

export interface MethodSite {
  module: SourceModule;
  definition: Definition;
}

export interface OverrideOptions {
  /** The method being replaced, when the function has another name (`enforce_csrf = no_check`). */
  methodName?: string;
  /**
   * The exceptions a failed check raises (`PermissionDenied`): a check made inside a `try` whose
   * handler catches one of them, `Exception` or everything, and does not raise again, is undone.
   */
  failureExceptions?: ReadonlySet<string>;
}

/** Handlers that catch these catch any failure a check raises. */
const CATCH_ALL = new Set(['Exception', 'BaseException']);

/** The methods named `methodName` defined in scanned classes that inherit from one of `bases`. */
export function overridesOf(project: Project, bases: ReadonlySet<string>, methodNames: ReadonlySet<string>): MethodSite[] {
  const family = project.classFamily(bases);
  const sites: MethodSite[] = [];
  for (const module of project.modules) {
    for (const definition of module.facts.definitions) {
      if (definition.kind !== 'function' || !methodNames.has(definition.name)) continue;
      const owner = module.symbols.definitionOfScope(definition.scope);
      if (owner?.kind !== 'class' || bases.has(module.symbols.definitionName(owner))) continue;
      if (family.has(module.symbols.definitionName(owner))) sites.push({ module, definition });
    }
  }
  return sites;
}

export function overrideBehaviour(project: Project, { module, definition }: MethodSite, options: OverrideOptions = {}): OverrideBehaviour {
  const methodName = options.methodName ?? definition.name;
  const undone = options.failureExceptions ? swallowingTries(module, definition.bodyScope, options.failureExceptions) : [];
  const calls = module.facts.calls.filter((site) => site.scope === definition.bodyScope && !undone.some((statement) => contains(statement.body, site.call.range)));
  const checkLines = calls.filter(({ call, scope }) => isCheckingCall(project, module, call, scope, methodName, definition.scope)).map(({ call }) => call.range.line);
  const raises = module.facts.raises.filter((statement) => statement.scope === definition.bodyScope);
  if (checkLines.length === 0 && raises.length === 0) return 'accepts-all';
  const firstCheck = Math.min(...checkLines, ...raises.map((statement) => statement.range.line));
  const earlyReturn = module.facts.returns.some((statement) => statement.scope === definition.bodyScope && statement.conditional && statement.range.line < firstCheck);
  return earlyReturn ? 'skips-some' : 'checks';
}

/** Whether the method checks only inside a `try` whose handler catches the failure and goes on. */
export function swallowsItsCheck(project: Project, { module, definition }: MethodSite, options: OverrideOptions): boolean {
  if (!options.failureExceptions) return false;
  const methodName = options.methodName ?? definition.name;
  const undone = swallowingTries(module, definition.bodyScope, options.failureExceptions);
  return module.facts.calls.some(
    ({ call, scope }) => scope === definition.bodyScope && undone.some((statement) => contains(statement.body, call.range)) && isCheckingCall(project, module, call, scope, methodName, definition.scope),
  );
}

/** `try: check() except PermissionDenied: log(...)`: the handlers that catch a failure and let the request on. */
function swallowingTries(module: SourceModule, scope: number, failures: ReadonlySet<string>): TryStatement[] {
  const raisesIn = (range: SourceRange) => module.facts.raises.some((statement) => statement.scope === scope && contains(range, statement.range));
  return module.facts.tries.filter(
    (statement) =>
      statement.scope === scope &&
      statement.handlers.some((handler) => {
        const catches = handler.caught.length === 0 || handler.caught.some((caught) => catchesFailure(finalIdentifier(caught), failures));
        return catches && !raisesIn(handler.range);
      }),
  );
}

function catchesFailure(name: string | undefined, failures: ReadonlySet<string>): boolean {
  return name !== undefined && (CATCH_ALL.has(name) || failures.has(name));
}

function contains(outer: SourceRange, inner: SourceRange): boolean {
  const startsAfter = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const endsBefore = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return startsAfter && endsBefore;
}

/**
 * `super().method(...)`, `Base.method(self, ...)`, or a call to something named for CSRF or XSRF
 * (`check_xsrf_cookie(self)`). Building an object (`CSRFCheck(...)`) checks nothing: what counts is
 * the method called on it, or a raise. The name of the class the method is in does not count: in
 * `XsrfExemptHandler`, `self.log(...)` checks nothing.
 */
function isCheckingCall(project: Project, module: SourceModule, call: CallExpr, scope: number, methodName: string, ownerScope: number): boolean {
  const { callee } = call;
  if (callee.kind === 'attribute' && callee.attribute === methodName && isParentReference(callee.object)) return true;
  const resolved = project.resolve(module, callee, scope) ?? (callee.kind === 'attribute' ? callee.attribute : '');
  const owner = module.symbols.scopeQualifiedName(ownerScope);
  const name = resolved.startsWith(`${owner}.`) ? resolved.slice(owner.length + 1) : resolved;
  return namesCsrf(name) && !isClassName(name);
}

/** Python names classes in CapWords and functions in lower case. */
function isClassName(qualifiedName: string): boolean {
  return /^_*[A-Z]/.test(qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1));
}

function isParentReference(expr: Expr): boolean {
  if (expr.kind === 'call') return expr.callee.kind === 'name' && expr.callee.id === 'super';
  return expr.kind === 'name' || expr.kind === 'attribute';
}

/** The values a function returns, for overrides judged by what they return (`_reject`, `_origin_verified`). */
export function returnedValues(module: SourceModule, definition: Definition): Array<Expr | null> {
  return module.facts.returns.filter((statement) => statement.scope === definition.bodyScope).map((statement) => statement.value);
}

/** From `def` to the end of the method's name: where a finding about a method points. */
export function methodHeadRange(definition: Definition): SourceRange {
  return { line: definition.range.line, column: definition.range.column, endLine: definition.nameRange.endLine, endColumn: definition.nameRange.endColumn };
}

/**
 * A method given by assignment: in a class body (`enforce_csrf = lambda self, request: None`), or
 * patched onto a class from outside (`SessionAuthentication.enforce_csrf = no_check`).
 */
interface AssignedMethod {
  module: SourceModule;
  assignment: Assignment;
  /** The class it replaces the method of (its short name, as written). */
  className: string;
  methodName: string;
  patched: boolean;
  /** A lambda's body, or the `def` of the function the assignment names. */
  code: { kind: 'lambda'; body: Expr } | { kind: 'def'; site: MethodSite };
}

/** Methods named `methodNames` assigned in classes that inherit from `bases`, or patched onto one of them (the bases too). */
export function assignedMethodsOf(project: Project, bases: ReadonlySet<string>, methodNames: ReadonlySet<string>): AssignedMethod[] {
  const family = project.classFamily(bases);
  const methods: AssignedMethod[] = [];
  for (const module of project.modules) {
    for (const assignment of module.facts.assignments) {
      const { target, value } = assignment;
      const methodName = finalIdentifier(target);
      if (!value || assignment.operator !== '=' || methodName === undefined || !methodNames.has(methodName)) continue;
      const owner = assignedOwner(project, module, assignment, family, bases);
      const code = owner && assignedCode(project, module, value, assignment.scope);
      if (owner && code) methods.push({ module, assignment, methodName, ...owner, code });
    }
  }
  return methods;
}

function assignedOwner(project: Project, module: SourceModule, { target, scope }: Assignment, family: ReadonlySet<string>, bases: ReadonlySet<string>): { className: string; patched: boolean } | undefined {
  if (target.kind === 'attribute') {
    const className = project.resolve(module, target.object, scope);
    return className !== undefined && family.has(className) ? { className: className.slice(className.lastIndexOf('.') + 1), patched: true } : undefined;
  }
  const owner = module.symbols.definitionOfScope(scope);
  if (owner?.kind !== 'class') return undefined;
  const className = module.symbols.definitionName(owner);
  return family.has(className) && !bases.has(className) ? { className: owner.name, patched: false } : undefined;
}

function assignedCode(project: Project, module: SourceModule, value: Expr, scope: number): AssignedMethod['code'] | undefined {
  if (value.kind === 'lambda') return { kind: 'lambda', body: value.body };
  const name = project.resolve(module, value, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  return site?.definition.kind === 'function' ? { kind: 'def', site } : undefined;
}

/** A lambda cannot raise or return early: it checks only through the calls it makes. */
export function assignedMethodBehaviour(project: Project, method: AssignedMethod, options: OverrideOptions = {}): OverrideBehaviour {
  const { code } = method;
  if (code.kind === 'def') return overrideBehaviour(project, code.site, { ...options, methodName: method.methodName });
  const checks = [...walkExpr(code.body)].some((expr) => expr.kind === 'call' && isCheckingCall(project, method.module, expr, method.assignment.scope, method.methodName, method.assignment.scope));
  return checks ? 'checks' : 'accepts-all';
}

export function assignedMethodReturns(method: AssignedMethod): Array<Expr | null> {
  return method.code.kind === 'lambda' ? [method.code.body] : returnedValues(method.code.site.module, method.code.site.definition);
}
