import type { CallExpr, Definition, Expr, SourceRange } from '../python/facts.js';
import { namesCsrf, type Project } from './project.js';
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

export function overrideBehaviour(project: Project, { module, definition }: MethodSite): OverrideBehaviour {
  const calls = module.facts.calls.filter((site) => site.scope === definition.bodyScope);
  const checkLines = calls.filter(({ call, scope }) => isCheckingCall(project, module, call, scope, definition)).map(({ call }) => call.range.line);
  const raises = module.facts.raises.filter((statement) => statement.scope === definition.bodyScope);
  if (checkLines.length === 0 && raises.length === 0) return 'accepts-all';
  const firstCheck = Math.min(...checkLines, ...raises.map((statement) => statement.range.line));
  const earlyReturn = module.facts.returns.some((statement) => statement.scope === definition.bodyScope && statement.conditional && statement.range.line < firstCheck);
  return earlyReturn ? 'skips-some' : 'checks';
}

/**
 * `super().method(...)`, `Base.method(self, ...)`, or a call to something named for CSRF
 * (`CSRFCheck(...)`, `check_xsrf_cookie(self)`). The class's own name does not count: in
 * `XsrfExemptHandler`, `self.log(...)` checks nothing.
 */
function isCheckingCall(project: Project, module: SourceModule, call: CallExpr, scope: number, method: Definition): boolean {
  const { callee } = call;
  if (callee.kind === 'attribute' && callee.attribute === method.name && isParentReference(callee.object)) return true;
  const name = project.resolve(module, callee, scope) ?? (callee.kind === 'attribute' ? callee.attribute : '');
  const owner = module.symbols.scopeQualifiedName(method.scope);
  return namesCsrf(name.startsWith(`${owner}.`) ? name.slice(owner.length + 1) : name);
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
