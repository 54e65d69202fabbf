import { flaskConfigWrites } from '../frameworks/flask/config-writes.js';
import type { Project } from './project.js';
import { stringValue } from './values.js';

/** The attribute WTForms reads the CSRF field's name from, in a form's `class Meta` or a `DefaultMeta` subclass. */
const WTFORMS_FIELD_NAME_ATTRIBUTE = 'csrf_field_name';

/** Flask-WTF's setting for the same name, which `FlaskForm.Meta` reads from the app config. */
const FLASK_WTF_FIELD_NAME_SETTING = 'WTF_CSRF_FIELD_NAME';

/**
 * The names the project gives the CSRF field of its WTForms and Flask-WTF forms instead of
 * `csrf_token`: `class Meta: csrf_field_name = "nonce"` renders the token as `{{ form.nonce }}`.
 */
export function csrfFieldNames(project: Project): Set<string> {
  const names = new Set<string>();
  for (const module of project.modules) {
    for (const { target, value, scope, operator } of module.facts.assignments) {
      if (target.kind !== 'name' || target.id !== WTFORMS_FIELD_NAME_ATTRIBUTE || !value || operator !== '=') continue;
      if (module.symbols.definitionOfScope(scope)?.kind !== 'class') continue;
      const name = stringValue(project, { module, scope, expr: value });
      if (name) names.add(name);
    }
  }
  for (const write of flaskConfigWrites(project, new Set([FLASK_WTF_FIELD_NAME_SETTING]))) {
    const name = stringValue(project, write.value);
    if (name) names.add(name);
  }
  return names;
}
