/**
 * HTTP Basic that a deployment turns on by a setting and that is off without it: the function
 * reading `request.authorization` lets every request through when a username or password from the
 * environment is empty (`if not os.getenv("APP_USER", "") or auth.password == ...:`). Whether the
 * browser caches a Basic password depends on how the app is run, not on its code.
 */
import type { Definition } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { dereference, environmentDefault, stringValue, truthiness, type ValueSite } from './values.js';

/**
 * The environment variables whose emptiness switches the function's Basic check off
 * (`not whoogle_user` where `whoogle_user = os.getenv("WHOOGLE_USER", "")`), in an `if` test of its
 * body; empty when the check does not depend on one.
 */
export function basicAuthSwitches(project: Project, module: SourceModule, definition: Definition): string[] {
  const switches = new Set<string>();
  for (const { test, scope } of module.symbols.itemsWithin(module.facts.conditions, definition.bodyScope)) {
    for (const part of walkExpr(test)) {
      if (part.kind !== 'unary' || part.operator !== 'not') continue;
      const variable = unsetByDefault(project, { module, scope, expr: part.operand });
      if (variable !== undefined) switches.add(variable);
    }
  }
  return [...switches].sort();
}

/** The name of the environment variable an expression reads, when its value is empty while the variable is unset. */
function unsetByDefault(project: Project, site: ValueSite): string | undefined {
  const read = dereference(project, site);
  if (read.expr.kind !== 'call' || !ENVIRONMENT_GETTERS.has(project.resolve(read.module, read.expr.callee, read.scope) ?? '')) return undefined;
  const [name] = read.expr.args;
  const variable = name && stringValue(project, { module: read.module, scope: read.scope, expr: name.value });
  if (variable === undefined) return undefined;
  const fallback = environmentDefault(project, site);
  return fallback === undefined || truthiness(project, fallback) === 'falsy' ? variable : undefined;
}

const ENVIRONMENT_GETTERS = new Set(['os.getenv', 'os.environ.get']);
