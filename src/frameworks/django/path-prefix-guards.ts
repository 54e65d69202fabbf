import type { Expr } from '../../python/facts.js';
import type { DefinitionSite, Project } from '../../project/project.js';
import { requestCredentialCheck } from '../../project/request-credential-checks.js';
import { djangoCsrfVerdict } from './csrf-verdict.js';

/** A middleware of `MIDDLEWARE` that turns away requests under a path prefix lacking a credential, before any view runs. */
export interface PathPrefixGuard {
  /** The prefix as a URL pattern writes it, without the leading slash (`api/`). */
  prefix: string;
  /** The credential check and where the middleware is, for the message. */
  check: string;
}

/** The methods Django runs for every request before resolving the view. */
const REQUEST_METHODS = ['process_request', '__call__'];

const guardsByProject = new WeakMap<Project, Map<string, PathPrefixGuard[]>>();

/**
 * The middleware listed in every judged settings module of the project root whose
 * `process_request` (or `__call__`) tests `request.path.startswith("/api/")` and checks a credential
 * the request carries (`compare_digest(key, request.META["HTTP_X_API_KEY"])`, `check_api_key(...)`):
 * a view every URL pattern of which lies under that prefix is reached only with the credential,
 * which a cross-site form or `fetch` cannot add without a preflight.
 */
export function pathPrefixGuards(project: Project, projectRoot: string): PathPrefixGuard[] {
  project.noteEveryModuleRead();
  let byRoot = guardsByProject.get(project);
  if (!byRoot) guardsByProject.set(project, (byRoot = new Map()));
  let guards = byRoot.get(projectRoot);
  if (!guards) {
    guards = findGuards(project, projectRoot);
    byRoot.set(projectRoot, guards);
  }
  return guards;
}

/** Whether a URL pattern's route (`api/v1/upload$`, `^api/v1/scan`) lies under the guard's prefix. */
export function routeUnderPrefix(route: string, prefix: string): boolean {
  return route.replace(/^\^?\/?/, '').startsWith(prefix);
}

function findGuards(project: Project, projectRoot: string): PathPrefixGuard[] {
  const { settings } = djangoCsrfVerdict(project, projectRoot);
  if (settings.length === 0) return [];
  const classNames = settings.map((setting) => new Set((setting.list?.entries ?? []).map((entry) => project.canonical(entry, setting.module))));
  const [first, ...others] = classNames;
  const everywhere = [...(first ?? [])].filter((className) => others.every((names) => names.has(className)));
  return everywhere.flatMap((className) => {
    const guard = REQUEST_METHODS.map((method) => project.findMethod(className, method)).map((site) => site && guardOf(project, site, className)).find((found) => found !== undefined);
    return guard ? [guard] : [];
  });
}

function guardOf(project: Project, site: DefinitionSite, className: string): PathPrefixGuard | undefined {
  const { module, definition } = site;
  const requestName = definition.parameters[1]?.name;
  if (requestName === undefined) return undefined;
  const prefix = module.symbols.itemsWithin(module.facts.conditions, definition.bodyScope).map(({ test }) => testedPathPrefix(test, requestName)).find((found) => found !== undefined);
  if (prefix === undefined) return undefined;
  const check = requestCredentialCheck(project, site, className, { userReadAllowed: true });
  if (check === undefined) return undefined;
  const shortName = className.slice(className.lastIndexOf('.') + 1);
  return { prefix: prefix.replace(/^\//, ''), check: `${check}, run by middleware \`${shortName}.${definition.name}\` (${module.path}:${definition.range.line}) for every path under \`${prefix}\`` };
}

/** `request.path.startswith("/api/")`, negated or not: the literal prefix. */
function testedPathPrefix(test: Expr, requestName: string): string | undefined {
  const tested = test.kind === 'unary' && test.operator === 'not' ? test.operand : test;
  if (tested.kind !== 'call' || tested.callee.kind !== 'attribute' || tested.callee.attribute !== 'startswith') return undefined;
  const path = tested.callee.object;
  if (path.kind !== 'attribute' || (path.attribute !== 'path' && path.attribute !== 'path_info') || path.object.kind !== 'name' || path.object.id !== requestName) return undefined;
  const [argument] = tested.args;
  // A prefix shorter than a segment (`/`) would cover the whole site, cookies' pages included.
  if (argument?.name !== undefined || argument?.value.kind !== 'string' || argument.value.value.replace(/\//g, '').length === 0) return undefined;
  return argument.value.value;
}
