import type { SourceRange } from '../../python/facts.js';
import { MODULE_SCOPE } from '../../python/facts.js';
import { contains } from '../../project/enclosing.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { dereference, stringValue, truthiness, type ValueSite } from '../../project/values.js';

/** Reads of the environment whose second argument, or `default=`, is what an unset variable gives. */
const ENVIRONMENT_READS = new Set(['os.getenv', 'os.environ.get', 'decouple.config']);

/** A switch named for test runs: `EXPERIMENTER_CI_TEST_RUN`, `TESTING`, `CI`. */
const TEST_RUN_NAME = /(^|_)(CI|TESTS?|TESTING)(_|$)/i;

export interface EnvironmentSwitch {
  /** The environment variable that turns the statement on. */
  variable: string;
  /** It is named for test runs (CI, TEST). */
  testRun: boolean;
}

/**
 * The environment switch a module-level statement runs under: `if FLAG:` where `FLAG` is read from
 * an environment variable that is unset, or false, unless a deployment sets it
 * (`FLAG = config("FLAG", default=False, cast=bool)`). Such a statement runs only where the
 * environment asks for it.
 */
export function environmentSwitchOf(project: Project, module: SourceModule, statement: SourceRange): EnvironmentSwitch | undefined {
  for (const { test, body, scope } of module.facts.conditions) {
    if (scope !== MODULE_SCOPE || body === undefined || !contains(body, statement)) continue;
    const variable = offByDefault(project, { module, scope, expr: test });
    if (variable !== undefined) return { variable, testRun: TEST_RUN_NAME.test(variable) };
  }
  return undefined;
}

function offByDefault(project: Project, site: ValueSite): string | undefined {
  if (site.expr.kind !== 'name') return undefined;
  const read = dereference(project, site);
  const { expr } = read;
  if (expr.kind !== 'call' || !ENVIRONMENT_READS.has(project.resolve(read.module, expr.callee, read.scope) ?? '')) return undefined;
  const [name] = expr.args;
  const variable = name && !name.unpack && name.name === undefined ? stringValue(project, { ...read, expr: name.value }) : undefined;
  if (variable === undefined) return undefined;
  const fallback = expr.args.find((argument) => argument.name === 'default') ?? expr.args.filter((argument) => argument.name === undefined)[1];
  if (fallback === undefined) return project.resolve(read.module, expr.callee, read.scope) === 'decouple.config' ? undefined : variable;
  return truthiness(project, { ...read, expr: fallback.value }) === 'falsy' ? variable : undefined;
}
