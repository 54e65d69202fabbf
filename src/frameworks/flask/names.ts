import type { Expr } from '../../python/facts.js';
import type { ApplicationKind } from '../../project/applications.js';
import { FLASK, QUART } from '../../project/known-names.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { dereference } from '../../project/values.js';

export const FLASK_APPLICATIONS: ApplicationKind = {
  appClasses: FLASK.appClasses,
  protectorClasses: FLASK.csrfProtectClasses,
  formClasses: new Set([...FLASK.formClasses, ...FLASK.libraryFormClasses]),
};

export const QUART_APPLICATIONS: ApplicationKind = {
  appClasses: QUART.appClasses,
  protectorClasses: QUART.csrfProtectClasses,
  formClasses: QUART.formClasses,
};

/** Every class whose `exempt` takes a view out of a Flask or Quart app's CSRF checks. */
const CSRF_EXTENSION_CLASSES = new Set([...FLASK.csrfProtectClasses, ...QUART.csrfProtectClasses]);

/**
 * A Flask-WTF `CSRFProtect` or Flask-SeaSurf object: an instance of either (or of a subclass),
 * or the one registered in `app.extensions`, directly or through a name bound to it.
 */
export function isCsrfProtectObject(project: Project, module: SourceModule, expr: Expr, scope: number): boolean {
  if (isRegisteredCsrfExtension(expr)) return true;
  const assigned = expr.kind === 'name' ? project.assignmentsOf(module, expr, scope) : [];
  if (assigned.some(({ assignment }) => assignment.value !== null && isRegisteredCsrfExtension(assignment.value))) return true;
  return project.isInstanceOf(module, expr, scope, CSRF_EXTENSION_CLASSES) || isProtectorSelf(project, module, expr, scope);
}

/** `self` in a method of a `CSRFProtect` subclass: `self.exempt(view)` in the project's own protector. */
function isProtectorSelf(project: Project, module: SourceModule, expr: Expr, scope: number): boolean {
  if (expr.kind !== 'name' || module.symbols.lookup(expr.id, scope)?.kind !== 'parameter') return false;
  const method = module.symbols.definitionOfScope(scope);
  const owner = method && module.symbols.definitionOfScope(method.scope);
  if (method?.parameters[0]?.name !== expr.id || owner?.kind !== 'class') return false;
  return project.isSubclassOf(module.symbols.definitionName(owner), CSRF_EXTENSION_CLASSES);
}

/** `app.extensions["csrf"]` or `app.extensions.get("csrf")`: where Flask-WTF registers its `CSRFProtect`. */
function isRegisteredCsrfExtension(expr: Expr): boolean {
  if (expr.kind === 'subscript') return isExtensions(expr.object) && expr.index.kind === 'string' && expr.index.value === 'csrf';
  if (expr.kind !== 'call' || expr.callee.kind !== 'attribute' || expr.callee.attribute !== 'get') return false;
  const [key] = expr.args;
  return isExtensions(expr.callee.object) && key?.value.kind === 'string' && key.value.value === 'csrf';
}

function isExtensions(expr: Expr): boolean {
  return expr.kind === 'attribute' && expr.attribute === 'extensions';
}

/** `app.config`, `current_app.config`, `self.config`, or a name bound once to one of them. */
export function isFlaskConfig(project: Project, module: SourceModule, expr: Expr, scope: number): boolean {
  const value = dereference(project, { module, scope, expr }).expr;
  return (value.kind === 'attribute' && value.attribute === 'config') || (expr.kind === 'attribute' && expr.attribute === 'config');
}
