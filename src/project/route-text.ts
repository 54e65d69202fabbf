import { describeExpr } from '../python/describe.js';
import { MODULE_SCOPE, type Expr } from '../python/facts.js';
import type { Project } from './project.js';
import { dereference, stringValue, type ValueSite } from './values.js';

/** A route is a few f-strings and names deep at most; the bound also stops `a = f"{a}/"` cycles. */
const MAX_DEPTH = 8;

/**
 * A route as the code spells it: a string, directly or through names bound once to one, an
 * f-string or a `+` of them. A part the scan cannot read is shown as the f-string writes it, the
 * expression in braces (`{prefix}admin/login/`), and `{…}` when it is no name (`{x!r}`, a call);
 * a name that holds the whole route and cannot be read is `{name}`. `undefined` for anything else.
 */
export function routeText(project: Project, site: ValueSite, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const resolved = dereference(project, site);
  const { expr } = resolved;
  if (expr.kind === 'string') return expr.value;
  if (expr.kind === 'other' && expr.parts) return expr.parts.map((part) => (typeof part === 'string' ? part : partText(project, { ...resolved, expr: part }, depth))).join('');
  if (expr.kind === 'binary' && expr.operator === '+') {
    const left = routeText(project, { ...resolved, expr: expr.left }, depth + 1);
    const right = routeText(project, { ...resolved, expr: expr.right }, depth + 1);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  if (expr.kind === 'binary' && expr.operator === '%') return printfText(project, { ...resolved, expr: expr.left }, { ...resolved, expr: expr.right }, depth);
  return getattrDefault(project, resolved) ?? (isNamed(site.expr) ? placeholder(site.expr) : undefined);
}

/** Whether a route spelled by `routeText` has a part the scan could not read. */
export function hasUnreadPart(route: string): boolean {
  return route.includes('{') || route.includes('…');
}

/** An interpolated part: its text where it is known, else a placeholder. */
function partText(project: Project, site: ValueSite, depth: number): string {
  const resolved = dereference(project, site);
  // A float's text differs between Python and JavaScript (`1.0`, `1`); an integer's does not.
  if (resolved.expr.kind === 'number' && Number.isInteger(resolved.expr.value)) return String(resolved.expr.value);
  return routeText(project, site, depth + 1) ?? placeholder(site.expr);
}

/** `%s`, `%d`, `%i` with no flags, width or mapping key: one value each, in order. */
const PRINTF_SPECIFIER = /%(%|[sdi])/g;

/**
 * `r"/api/contents%s/trust" % path_regex`, `"/%s/%s" % (a, b)`: the template with each `%s` replaced by
 * its value's text, read as an f-string's part is. A template with other specifiers (`%(name)s`,
 * `%5d`), or values that do not match it in number, gives `undefined`.
 */
function printfText(project: Project, template: ValueSite, values: ValueSite, depth: number): string | undefined {
  const text = stringValue(project, template);
  if (text === undefined) return undefined;
  const valueSite = dereference(project, values);
  const parts = valueSite.expr.kind === 'tuple' ? valueSite.expr.items.map((item) => ({ ...valueSite, expr: item })) : [values];
  const specifiers = [...text.matchAll(PRINTF_SPECIFIER)].filter((match) => match[1] !== '%');
  const plain = text.replace(PRINTF_SPECIFIER, '');
  if (plain.includes('%') || specifiers.length !== parts.length || parts.some((part) => part.expr.kind === 'starred')) return undefined;
  let next = 0;
  return text.replace(PRINTF_SPECIFIER, (_match, specifier: string) => (specifier === '%' ? '%' : partText(project, parts[next++]!, depth + 1)));
}

/**
 * `getattr(settings, "URL_PREFIX", "app/")`: the literal default, when no scanned module sets
 * `URL_PREFIX` at its top level (a settings module that does may hold anything), or the one
 * string it is set to there.
 */
function getattrDefault(project: Project, site: ValueSite): string | undefined {
  const resolved = dereference(project, site);
  const { expr } = resolved;
  if (expr.kind !== 'call' || project.resolve(resolved.module, expr.callee, resolved.scope) !== 'builtins.getattr') return undefined;
  const [, name, fallback, ...rest] = expr.args;
  if (!name || !fallback || rest.length > 0 || expr.args.some((argument) => argument.name !== undefined || argument.unpack)) return undefined;
  const setting = stringValue(project, { ...resolved, expr: name.value });
  if (setting === undefined) return undefined;
  const written = topLevelAssignments(project, setting);
  if (written.length === 0) return stringValue(project, { ...resolved, expr: fallback.value });
  const [only] = written;
  return written.length === 1 && only ? stringValue(project, only) : undefined;
}

function topLevelAssignments(project: Project, name: string): ValueSite[] {
  return project.modules.flatMap((module) =>
    module.facts.assignments.flatMap(({ scope, target, value }) => (scope === MODULE_SCOPE && target.kind === 'name' && target.id === name ? [{ module, scope, expr: value ?? target }] : [])),
  );
}

function isNamed(expr: Expr): boolean {
  return expr.kind === 'name' || expr.kind === 'attribute' || (expr.kind === 'subscript' && isNamed(expr.object));
}

function placeholder(expr: Expr): string {
  return isNamed(expr) ? `{${describeExpr(expr)}}` : '{…}';
}
