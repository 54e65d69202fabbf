import type { Expr, SourceRange } from '../python/facts.js';
import { MODULE_SCOPE } from '../python/facts.js';
import { DJANGO } from './known-names.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { dereference, stringValue, type ValueSite } from './values.js';

export const MIDDLEWARE_SETTINGS = ['MIDDLEWARE', 'MIDDLEWARE_CLASSES'] as const;
export type MiddlewareSettingName = (typeof MIDDLEWARE_SETTINGS)[number];

/** Settings only a Django settings module defines: with one of them, `MIDDLEWARE` is Django's. */
const DJANGO_ONLY_SETTINGS = ['INSTALLED_APPS', 'ROOT_URLCONF', 'WSGI_APPLICATION', 'ASGI_APPLICATION', 'DATABASES', 'AUTH_PASSWORD_VALIDATORS'];

const MAX_DEPTH = 8;

/** A module's final middleware list and the statements that shaped it. */
export interface MiddlewareSetting {
  module: SourceModule;
  name: MiddlewareSettingName;
  /** The dotted paths in order; `undefined` when some part cannot be known without running the code. */
  entries: string[] | undefined;
  /** The statement that last replaced the whole list. */
  assignedAt: SourceRange;
  /** The statement that took the CSRF middleware out of a list that had it, if one did. */
  csrfRemovedAt?: SourceRange;
  /** How it was removed, for the message (`MIDDLEWARE.remove(...)`, `MIDDLEWARE = [...]`). */
  csrfRemovedBy?: string;
}

/** One statement that changes the middleware list, in source order. */
interface MiddlewareChange {
  range: SourceRange;
  describe: string;
  /** An assignment that replaces the whole list rather than editing it. */
  replacesList: boolean;
  apply(entries: string[] | undefined): string[] | undefined;
}

/** The setting Django reads: `MIDDLEWARE` when the module sets it, else the pre-1.10 `MIDDLEWARE_CLASSES`. */
export function middlewareSetting(project: Project, module: SourceModule): MiddlewareSetting | undefined {
  for (const name of MIDDLEWARE_SETTINGS) {
    const changes = middlewareChanges(project, module, name);
    if (changes.length > 0) return replayChanges(project, module, name, changes);
  }
  return undefined;
}

function replayChanges(project: Project, module: SourceModule, name: MiddlewareSettingName, changes: MiddlewareChange[]): MiddlewareSetting {
  let entries: string[] | undefined;
  const setting: MiddlewareSetting = { module, name, entries, assignedAt: changes[0]!.range };
  for (const change of changes) {
    const before = entries;
    entries = change.apply(entries);
    if (change.replacesList) setting.assignedAt = change.range;
    if (before && entries && containsCsrfMiddleware(project, module, before) && !containsCsrfMiddleware(project, module, entries)) {
      setting.csrfRemovedAt = change.range;
      setting.csrfRemovedBy = change.describe;
    }
  }
  setting.entries = entries;
  return setting;
}

function middlewareChanges(project: Project, module: SourceModule, name: MiddlewareSettingName): MiddlewareChange[] {
  const changes: MiddlewareChange[] = [];
  for (const assignment of module.facts.assignments) {
    if (assignment.scope !== MODULE_SCOPE || assignment.target.kind !== 'name' || assignment.target.id !== name || !assignment.value) continue;
    const added = stringList(project, { module, scope: MODULE_SCOPE, expr: assignment.value });
    if (assignment.operator === '=') {
      changes.push({ range: assignment.range, describe: `${name} = [...]`, replacesList: true, apply: () => added });
    } else if (assignment.operator === '+=') {
      changes.push({ range: assignment.range, describe: `${name} += [...]`, replacesList: false, apply: (entries) => entries && added && [...entries, ...added] });
    }
  }
  for (const { call, scope } of module.facts.calls) {
    if (scope !== MODULE_SCOPE || call.callee.kind !== 'attribute' || call.callee.object.kind !== 'name' || call.callee.object.id !== name) continue;
    const change = listMethodChange(project, module, call.callee.attribute, call.args.map((argument) => argument.value));
    if (change) changes.push({ range: call.range, describe: `${name}.${call.callee.attribute}(...)`, replacesList: false, apply: change });
  }
  return changes.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
}

type ListChange = (entries: string[] | undefined) => string[] | undefined;

/** `append`, `insert`, `extend` and `remove` on the middleware list. */
function listMethodChange(project: Project, module: SourceModule, method: string, args: Expr[]): ListChange | undefined {
  const site = (expr: Expr): ValueSite => ({ module, scope: MODULE_SCOPE, expr });
  switch (method) {
    case 'append': {
      const entry = args[0] && stringValue(project, site(args[0]));
      return (entries) => entries && entry !== undefined ? [...entries, entry] : undefined;
    }
    case 'insert': {
      const entry = args[1] && stringValue(project, site(args[1]));
      const position = args[0]?.kind === 'number' ? args[0].value : undefined;
      return (entries) => (entries && entry !== undefined && position !== undefined ? [...entries.slice(0, position), entry, ...entries.slice(position)] : undefined);
    }
    case 'extend': {
      const added = args[0] && stringList(project, site(args[0]));
      return (entries) => entries && added && [...entries, ...added];
    }
    case 'remove': {
      const entry = args[0] && stringValue(project, site(args[0]));
      return (entries) => (entries && entry !== undefined ? entries.filter((existing) => existing !== entry) : undefined);
    }
    default:
      return undefined;
  }
}

/** A list or tuple of strings written in the code, with `+` and `*unpacking`; `undefined` if any part is unknown. */
export function stringList(project: Project, site: ValueSite, depth = 0): string[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const resolved = dereference(project, site);
  const { expr } = resolved;
  if (expr.kind === 'list' || expr.kind === 'tuple') {
    const entries: string[] = [];
    for (const item of expr.items) {
      const part = item.kind === 'starred' ? stringList(project, { ...resolved, expr: item.value }, depth + 1) : singleString(project, { ...resolved, expr: item });
      if (part === undefined) return undefined;
      entries.push(...part);
    }
    return entries;
  }
  if (expr.kind === 'binary' && expr.operator === '+') {
    const left = stringList(project, { ...resolved, expr: expr.left }, depth + 1);
    const right = stringList(project, { ...resolved, expr: expr.right }, depth + 1);
    return left && right && [...left, ...right];
  }
  return undefined;
}

function singleString(project: Project, site: ValueSite): string[] | undefined {
  const value = stringValue(project, site);
  return value === undefined ? undefined : [value];
}

/** `django.middleware.csrf.CsrfViewMiddleware`, or a class of the project that subclasses it. */
export function containsCsrfMiddleware(project: Project, module: SourceModule, entries: string[]): boolean {
  const csrf = new Set<string>([DJANGO.csrfMiddlewareClass]);
  return entries.some((entry) => entry === DJANGO.csrfMiddlewareClass || project.isSubclassOf(project.canonical(entry, module), csrf));
}

/** A module is Django settings when its middleware names Django's own, or it sets what only settings set. */
export function looksLikeDjangoSettings(module: SourceModule, entries: string[] | undefined): boolean {
  if (entries?.some((entry) => entry.startsWith('django.'))) return true;
  return DJANGO_ONLY_SETTINGS.some((name) => module.symbols.bindingsIn(MODULE_SCOPE, name).length > 0);
}
