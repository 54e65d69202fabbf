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

/** The statement to blame for a middleware list without the CSRF middleware. */
export interface Blame {
  module: SourceModule;
  range: SourceRange;
  /** `MIDDLEWARE = [...]`, `MIDDLEWARE.remove(...)`, ... */
  statement: string;
  /** The list had the CSRF middleware before this statement. */
  removedCsrf: boolean;
  /** The statement assigns a whole new list. */
  replacedList: boolean;
}

/**
 * A list as far as it can be known without running the code: the entries read from the source,
 * and whether it may also hold entries that cannot be read (`+ env.list(...)`, `.extend(plugins)`).
 * `undefined` where nothing can be said, e.g. a list read wholly from the environment.
 */
export interface KnownList {
  entries: string[];
  open: boolean;
}

/** A module's final middleware list, as Django would see it after running the module. */
export interface MiddlewareSetting {
  module: SourceModule;
  name: MiddlewareSettingName;
  list: KnownList | undefined;
  /** Whether this module changes the list itself, rather than only inheriting it. */
  changedHere: boolean;
  /** The other settings modules whose lists this one starts from or is built from. */
  basedOn: SourceModule[];
  /** Where the CSRF middleware went missing, when the entries are known and lack it. */
  blame?: Blame;
}

/** One statement that changes a module-level list, in source order. */
interface ListChange {
  range: SourceRange;
  /** The list it changes (`MIDDLEWARE`). */
  settingName: string;
  statement: string;
  /** An assignment that replaces the whole list rather than editing it. */
  replacesList: boolean;
  value?: Expr;
  apply(list: KnownList | undefined, evaluate: (expr: Expr) => KnownList | undefined): KnownList | undefined;
}

/**
 * Evaluates Django middleware settings as Django would load them: star imports from base
 * settings, `+=`, `+`, `.append`/`.insert`/`.extend`/`.remove`, comprehension filters, names bound
 * to strings, and lists imported from other settings modules. Each module is evaluated once.
 */
export class DjangoSettings {
  private readonly settings = new Map<string, MiddlewareSetting | undefined>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly project: Project) {}

  /** The setting Django reads: `MIDDLEWARE` when the module has it, else the pre-1.10 `MIDDLEWARE_CLASSES`. */
  middleware(module: SourceModule): MiddlewareSetting | undefined {
    for (const name of MIDDLEWARE_SETTINGS) {
      const setting = this.listSetting(module, name);
      if (setting) return setting;
    }
    return undefined;
  }

  /** Whether the CSRF middleware, or a project class that subclasses it, is in the list. */
  containsCsrfMiddleware(module: SourceModule, entries: string[]): boolean {
    const csrf = new Set<string>([DJANGO.csrfMiddlewareClass]);
    return entries.some((entry) => entry === DJANGO.csrfMiddlewareClass || this.project.isSubclassOf(this.project.canonical(entry, module), csrf));
  }

  private listSetting(module: SourceModule, name: MiddlewareSettingName): MiddlewareSetting | undefined {
    const key = `${module.absolutePath}\0${name}`;
    if (this.settings.has(key)) return this.settings.get(key);
    if (this.inProgress.has(key)) return undefined;
    this.inProgress.add(key);
    const setting = this.evaluate(module, name);
    this.inProgress.delete(key);
    this.settings.set(key, setting);
    return setting;
  }

  private evaluate(module: SourceModule, name: MiddlewareSettingName): MiddlewareSetting | undefined {
    const changes = listChanges(this.project, module, name);
    const inherited = this.inheritedSetting(module, name, changes[0]?.range.line ?? Number.POSITIVE_INFINITY);
    if (changes.length === 0 && !inherited) return undefined;
    let list = inherited?.list;
    let blame = inherited?.blame;
    for (const change of changes) {
      const evaluate = (expr: Expr) => this.knownList(module, name, list, { module, scope: MODULE_SCOPE, expr }, 0);
      const next = change.apply(list, evaluate);
      blame = this.nextBlame(module, change, list, next, blame);
      list = next;
    }
    const referenced = changes.flatMap((change) => (change.value ? this.referencedSettings(module, change.value) : []));
    const basedOn = [...new Set([...(inherited ? [inherited.module] : []), ...referenced.map((setting) => setting.module)])];
    return { module, name, list, changedHere: changes.length > 0, basedOn, ...(blame ? { blame } : {}) };
  }

  /** Who is to blame after a change: nobody once the list has the middleware, else whoever dropped it or built the list without it. */
  private nextBlame(module: SourceModule, change: ListChange, before: KnownList | undefined, after: KnownList | undefined, blame: Blame | undefined): Blame | undefined {
    if (!after || this.containsCsrfMiddleware(module, after.entries)) return undefined;
    const hadCsrf = before !== undefined && this.containsCsrfMiddleware(module, before.entries);
    const here = { module, range: change.range, statement: change.statement, removedCsrf: hadCsrf, replacedList: change.replacesList };
    if (hadCsrf) return here;
    if (!change.replacesList || (blame && change.value && refersToOwnList(change.value, change.settingName))) return blame ?? here;
    const inheritedBlame = change.value && this.referencedSettings(module, change.value).find((setting) => setting.blame)?.blame;
    return inheritedBlame ?? here;
  }

  /** Other modules' lists an expression is built from: `base.MIDDLEWARE + [...]` inherits base's blame. */
  private referencedSettings(module: SourceModule, expr: Expr): MiddlewareSetting[] {
    return listReferences(expr).flatMap((reference) => this.referencedSetting(module, reference) ?? []);
  }

  /** The list a module starts from: one imported by name, or brought in by `from base import *`. */
  private inheritedSetting(module: SourceModule, name: MiddlewareSettingName, beforeLine: number): MiddlewareSetting | undefined {
    const imported = module.symbols.bindingsIn(MODULE_SCOPE, name).find((binding) => binding.kind === 'import' && binding.line <= beforeLine);
    if (imported) return this.referencedSetting(module, { kind: 'name', id: name });
    const starImports = module.facts.imports.filter((statement) => statement.star && statement.scope === MODULE_SCOPE && statement.range.line <= beforeLine);
    for (const statement of starImports.reverse()) {
      const source = module.symbols.absoluteModule(statement.module, statement.level);
      const sourceModule = source === undefined ? undefined : this.project.moduleNamed(source, module);
      const setting = sourceModule && this.listSetting(sourceModule, name);
      if (setting) return setting;
    }
    return undefined;
  }

  /** The middleware setting of another module that a name or attribute refers to (`base.MIDDLEWARE`). */
  private referencedSetting(module: SourceModule, reference: Expr): MiddlewareSetting | undefined {
    const qualified = this.project.resolve(module, reference, MODULE_SCOPE);
    const split = qualified === undefined ? -1 : qualified.lastIndexOf('.');
    if (qualified === undefined || split < 0) return undefined;
    const name = qualified.slice(split + 1);
    const owner = this.project.moduleNamed(qualified.slice(0, split), module);
    if (!owner || owner === module || !isMiddlewareSettingName(name)) return undefined;
    return this.listSetting(owner, name);
  }

  /**
   * What can be known of a list or tuple expression. `current` is the value of the list being
   * replayed, for `MIDDLEWARE = ["x"] + MIDDLEWARE` and `[m for m in MIDDLEWARE if ...]`.
   */
  private knownList(module: SourceModule, name: string, current: KnownList | undefined, site: ValueSite, depth: number): KnownList | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const { expr } = site;
    const recurse = (inner: Expr) => this.knownList(module, name, current, { ...site, expr: inner }, depth + 1);
    switch (expr.kind) {
      case 'list':
      case 'tuple':
        return concatenate(expr.items.map((item) => (item.kind === 'starred' ? recurse(item.value) : singleString(this.project, { ...site, expr: item }))));
      case 'binary':
        return expr.operator === '+' ? concatenate([recurse(expr.left), recurse(expr.right)]) : undefined;
      case 'comprehension':
        return this.filteredList(expr, recurse, site);
      case 'call':
        return this.convertedList(expr, recurse, site);
      case 'name':
      case 'attribute':
        return this.namedList(module, name, current, site, depth);
      default:
        return undefined;
    }
  }

  private namedList(module: SourceModule, name: string, current: KnownList | undefined, site: ValueSite, depth: number): KnownList | undefined {
    if (site.module === module && site.expr.kind === 'name' && site.expr.id === name) return current;
    const setting = this.referencedSetting(site.module, site.expr);
    if (setting) return setting.list;
    const value = dereference(this.project, site);
    return value === site ? undefined : this.knownList(module, name, current, value, depth + 1);
  }

  /** `list(x)`, `tuple(x)` and `x.copy()` keep the entries. */
  private convertedList(expr: Expr & { kind: 'call' }, recurse: (inner: Expr) => KnownList | undefined, site: ValueSite): KnownList | undefined {
    const [only] = expr.args;
    if (expr.callee.kind === 'attribute' && expr.callee.attribute === 'copy' && expr.args.length === 0) return recurse(expr.callee.object);
    const callee = this.project.resolve(site.module, expr.callee, site.scope);
    if ((callee === 'builtins.list' || callee === 'builtins.tuple') && only && expr.args.length === 1 && !only.name && !only.unpack) return recurse(only.value);
    return undefined;
  }

  /** `[m for m in MIDDLEWARE if m != "...CsrfViewMiddleware"]` and other filters on the entry. */
  private filteredList(expr: Expr & { kind: 'comprehension' }, recurse: (inner: Expr) => KnownList | undefined, site: ValueSite): KnownList | undefined {
    if (expr.of === 'dict' || expr.target.kind !== 'name' || expr.element.kind !== 'name' || expr.element.id !== expr.target.id) return undefined;
    const source = recurse(expr.iterable);
    if (!source) return undefined;
    const variable = expr.target.id;
    const kept: string[] = [];
    for (const entry of source.entries) {
      const verdicts = expr.conditions.map((condition) => evaluateCondition(this.project, { ...site, expr: condition }, variable, entry));
      if (verdicts.some((verdict) => verdict === undefined)) return undefined;
      if (verdicts.every(Boolean)) kept.push(entry);
    }
    return { entries: kept, open: source.open };
  }
}

function isMiddlewareSettingName(name: string): name is MiddlewareSettingName {
  return (MIDDLEWARE_SETTINGS as readonly string[]).includes(name);
}

/** Parts joined in order; an unreadable part leaves the result open, and nothing readable leaves it unknown. */
function concatenate(parts: Array<KnownList | undefined>): KnownList | undefined {
  const known = parts.filter((part): part is KnownList => part !== undefined);
  if (known.length === 0 && parts.length > 0) return undefined;
  return { entries: known.flatMap((part) => part.entries), open: known.length < parts.length || known.some((part) => part.open) };
}

function singleString(project: Project, site: ValueSite): KnownList | undefined {
  const value = stringValue(project, site);
  return value === undefined ? undefined : { entries: [value], open: false };
}

/** `MIDDLEWARE = tuple(MIDDLEWARE)` rebuilds the list from itself: the blame stays where it was. */
function refersToOwnList(expr: Expr, name: string): boolean {
  return listReferences(expr).some((reference) => reference.kind === 'name' && reference.id === name);
}

/** Names and attributes inside an expression that may stand for another module's list. */
function listReferences(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'name':
    case 'attribute':
      return [expr];
    case 'binary':
      return [...listReferences(expr.left), ...listReferences(expr.right)];
    case 'list':
    case 'tuple':
      return expr.items.flatMap((item) => (item.kind === 'starred' ? listReferences(item.value) : []));
    case 'comprehension':
      return listReferences(expr.iterable);
    case 'call':
      return expr.args.flatMap((argument) => listReferences(argument.value));
    default:
      return [];
  }
}

/** The statements at module level that change the list `name`, in source order. */
function listChanges(project: Project, module: SourceModule, name: string): ListChange[] {
  const changes: ListChange[] = [];
  for (const assignment of module.facts.assignments) {
    const { value } = assignment;
    if (assignment.scope !== MODULE_SCOPE || assignment.target.kind !== 'name' || assignment.target.id !== name || !value) continue;
    if (assignment.operator === '=') {
      changes.push({ range: assignment.range, settingName: name, statement: `${name} = [...]`, replacesList: true, value, apply: (_entries, evaluate) => evaluate(value) });
    } else if (assignment.operator === '+=') {
      changes.push({ range: assignment.range, settingName: name, statement: `${name} += [...]`, replacesList: false, apply: (list, evaluate) => list && concatenate([list, evaluate(value)]) });
    }
  }
  for (const { call, scope } of module.facts.calls) {
    const { callee } = call;
    if (scope !== MODULE_SCOPE || callee.kind !== 'attribute' || callee.object.kind !== 'name' || callee.object.id !== name) continue;
    const apply = listMethod(project, module, callee.attribute, call.args.map((argument) => argument.value));
    if (apply) changes.push({ range: call.range, settingName: name, statement: `${name}.${callee.attribute}(...)`, replacesList: false, apply });
  }
  return changes.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
}

/** `append`, `insert`, `extend` and `remove`. Only membership matters, so an unknown insert position appends. */
function listMethod(project: Project, module: SourceModule, method: string, args: Expr[]): ListChange['apply'] | undefined {
  const string = (expr: Expr | undefined) => (expr ? stringValue(project, { module, scope: MODULE_SCOPE, expr }) : undefined);
  switch (method) {
    case 'append':
    case 'insert': {
      const entry = string(method === 'append' ? args[0] : args[1]);
      return (list) => list && (entry === undefined ? { ...list, open: true } : { entries: [...list.entries, entry], open: list.open });
    }
    case 'extend':
      return (list, evaluate) => list && (args[0] ? concatenate([list, evaluate(args[0])]) : list);
    case 'remove': {
      const entry = string(args[0]);
      return (list) => (list && entry !== undefined ? { entries: list.entries.filter((existing) => existing !== entry), open: list.open } : undefined);
    }
    default:
      return undefined;
  }
}

/** A comprehension filter with the loop variable bound to `entry`; `undefined` when it cannot be decided. */
function evaluateCondition(project: Project, site: ValueSite, variable: string, entry: string): boolean | undefined {
  const { expr } = site;
  const operand = (inner: Expr) => operandValue(project, { ...site, expr: inner }, variable, entry);
  switch (expr.kind) {
    case 'unary': {
      const inner = expr.operator === 'not' ? evaluateCondition(project, { ...site, expr: expr.operand }, variable, entry) : undefined;
      return inner === undefined ? undefined : !inner;
    }
    case 'boolean': {
      const left = evaluateCondition(project, { ...site, expr: expr.left }, variable, entry);
      const right = evaluateCondition(project, { ...site, expr: expr.right }, variable, entry);
      if (left === undefined || right === undefined) return undefined;
      return expr.operator === 'and' ? left && right : left || right;
    }
    case 'compare': {
      const [left, right] = expr.operands;
      if (expr.operators.length !== 1 || !left || !right) return undefined;
      return compare(expr.operators[0]!, operand(left), operand(right));
    }
    case 'call':
      return stringMethod(expr, operand);
    default:
      return undefined;
  }
}

type Operand = string | string[] | undefined;

/** String methods a filter may apply to the entry before comparing it. */
const STRING_TRANSFORMS = new Map<string, (text: string) => string>([
  ['lower', (text) => text.toLowerCase()],
  ['casefold', (text) => text.toLowerCase()],
  ['upper', (text) => text.toUpperCase()],
  ['strip', (text) => text.trim()],
]);

function operandValue(project: Project, site: ValueSite, variable: string, entry: string): Operand {
  const { expr } = site;
  if (expr.kind === 'name' && expr.id === variable) return entry;
  if (expr.kind === 'call' && expr.callee.kind === 'attribute' && expr.args.length === 0) {
    const transform = STRING_TRANSFORMS.get(expr.callee.attribute);
    const subject = transform && operandValue(project, { ...site, expr: expr.callee.object }, variable, entry);
    return transform && typeof subject === 'string' ? transform(subject) : undefined;
  }
  if (expr.kind === 'list' || expr.kind === 'tuple' || expr.kind === 'set') {
    const items = expr.items.map((item) => stringValue(project, { ...site, expr: item }));
    return items.every((item) => item !== undefined) ? (items as string[]) : undefined;
  }
  return stringValue(project, site);
}

function compare(operator: string, left: Operand, right: Operand): boolean | undefined {
  if (left === undefined || right === undefined) return undefined;
  switch (operator) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case 'in':
      return typeof left === 'string' ? right.includes(left) : undefined;
    case 'not in':
      return typeof left === 'string' ? !right.includes(left) : undefined;
    default:
      return undefined;
  }
}

/** `m.startswith("django.")`, `m.endswith(("A", "B"))`. */
function stringMethod(call: Expr & { kind: 'call' }, operand: (expr: Expr) => Operand): boolean | undefined {
  const { callee, args } = call;
  if (callee.kind !== 'attribute' || (callee.attribute !== 'startswith' && callee.attribute !== 'endswith') || args.length !== 1) return undefined;
  const subject = operand(callee.object);
  const affixes = operand(args[0]!.value);
  if (typeof subject !== 'string' || affixes === undefined) return undefined;
  const list = typeof affixes === 'string' ? [affixes] : affixes;
  return list.some((affix) => (callee.attribute === 'startswith' ? subject.startsWith(affix) : subject.endsWith(affix)));
}

/** A module is Django settings when its middleware names Django's own, or it sets what only settings set. */
export function looksLikeDjangoSettings(module: SourceModule, entries: string[] | undefined): boolean {
  if (entries?.some((entry) => entry.startsWith('django.'))) return true;
  return DJANGO_ONLY_SETTINGS.some((name) => module.symbols.bindingsIn(MODULE_SCOPE, name).length > 0);
}

/**
 * Settings modules named as `DJANGO_SETTINGS_MODULE` in `manage.py`, `wsgi.py` and the like
 * (`os.environ.setdefault(...)`, `os.environ[...] = ...`): Django loads them as they are.
 */
export function namedSettingsModules(project: Project): Set<SourceModule> {
  const named = new Set<SourceModule>();
  const add = (module: SourceModule, scope: number, expr: Expr | undefined) => {
    const value = expr && stringValue(project, { module, scope, expr });
    const target = value === undefined ? undefined : project.moduleNamed(value, module);
    if (target) named.add(target);
  };
  for (const module of project.modules) {
    for (const { call, scope } of module.facts.calls) {
      const [key, value] = call.args;
      if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'setdefault' || !key || !value) continue;
      if (stringValue(project, { module, scope, expr: key.value }) === SETTINGS_VARIABLE) add(module, scope, value.value);
    }
    for (const assignment of module.facts.assignments) {
      const { target, scope, value } = assignment;
      if (target.kind !== 'subscript' || !value) continue;
      if (stringValue(project, { module, scope, expr: target.index }) === SETTINGS_VARIABLE) add(module, scope, value);
    }
  }
  return named;
}

const SETTINGS_VARIABLE = 'DJANGO_SETTINGS_MODULE';
