import type { Expr } from '../python/facts.js';
import type { ApplicationKind } from './applications.js';
import { FLASK } from './known-names.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { dereference } from './values.js';

export const FLASK_APPLICATIONS: ApplicationKind = {
  appClasses: FLASK.appClasses,
  protectorClasses: FLASK.csrfProtectClasses,
};

/**
 * A Flask-WTF `CSRFProtect` or Flask-SeaSurf object: an instance of either (or of a subclass), or
 * `app.extensions["csrf"]`, where Flask-WTF registers itself.
 */
export function isCsrfProtectObject(project: Project, module: SourceModule, expr: Expr, scope: number): boolean {
  if (expr.kind === 'subscript') {
    return expr.object.kind === 'attribute' && expr.object.attribute === 'extensions' && expr.index.kind === 'string' && expr.index.value === 'csrf';
  }
  return project.isInstanceOf(module, expr, scope, FLASK.csrfProtectClasses);
}

/** `app.config`, `current_app.config`, `self.config`, or a name bound once to one of them. */
export function isFlaskConfig(project: Project, module: SourceModule, expr: Expr, scope: number): boolean {
  const value = dereference(project, { module, scope, expr }).expr;
  return (value.kind === 'attribute' && value.attribute === 'config') || (expr.kind === 'attribute' && expr.attribute === 'config');
}
