import type { Expr } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { dereference, stringValue } from './values.js';

const GET_APP_CONFIG = 'django.apps.apps.get_app_config';
const APP_CONFIG = new Set(['django.apps.AppConfig', 'django.apps.config.AppConfig']);

/**
 * The project's `AppConfig` class an expression holds: `apps.get_app_config("label")`, directly or
 * through a name bound once to it (`config = apps.get_app_config("pastes")`). Django's default
 * label is the last part of the config's `name`.
 */
export function appConfigClass(project: Project, module: SourceModule, expr: Expr, scope: number): string | undefined {
  const value = dereference(project, { module, scope, expr });
  if (value.expr.kind !== 'call' || project.resolve(value.module, value.expr.callee, value.scope) !== GET_APP_CONFIG) return undefined;
  const [labelArgument] = value.expr.args;
  const label = labelArgument && stringValue(project, { ...value, expr: labelArgument.value });
  if (label === undefined) return undefined;
  return [...project.classFamily(APP_CONFIG)].find((className) => !APP_CONFIG.has(className) && appLabel(project, className) === label);
}

function appLabel(project: Project, className: string): string | undefined {
  const attribute = (name: string) => {
    const [only] = project.assignmentsTo(`${className}.${name}`);
    return only?.assignment.value ? stringValue(project, { module: only.module, scope: only.assignment.scope, expr: only.assignment.value }) : undefined;
  };
  const label = attribute('label');
  if (label !== undefined) return label;
  const name = attribute('name');
  return name === undefined ? undefined : name.slice(name.lastIndexOf('.') + 1);
}
