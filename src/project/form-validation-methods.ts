import type { Project } from './project.js';
import { isSelfOrSuper } from './read-only-bodies.js';

/** The FlaskForm methods that check its CSRF token (`validate_on_submit` only on a post). */
export const FORM_VALIDATIONS: ReadonlySet<string> = new Set(['validate_on_submit', 'validate']);

/** How many of the form's own methods are followed from the one the view calls to the library's validation. */
const MAX_METHOD_DEPTH = 3;

/**
 * A method of the project's form class that validates the form itself: koschei's
 * `form.validate_or_flash()` calls `self.validate_on_submit()` and flashes the errors. Calling it
 * checks the form's CSRF token as `validate_on_submit()` does. Followed through the class's own
 * methods (`self.check()` calling `self.validate()`), a few deep.
 */
export function methodValidatesForm(project: Project, className: string, methodName: string, depth = 0): boolean {
  if (FORM_VALIDATIONS.has(methodName)) return true;
  if (depth >= MAX_METHOD_DEPTH) return false;
  const site = project.findMethod(className, methodName);
  if (site === undefined) return false;
  const { module, definition } = site;
  return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).some(({ call }) => {
    const { callee } = call;
    if (callee.kind !== 'attribute' || !isSelfOrSuper(callee.object)) return false;
    return methodValidatesForm(project, className, callee.attribute, depth + 1);
  });
}
