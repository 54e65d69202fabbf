import type { Expr, SourceRange } from '../../python/facts.js';
import { MODULE_SCOPE } from '../../python/facts.js';
import { DJANGO } from '../../project/known-names.js';
import { evaluateCondition } from '../../project/list-filters.js';
import { gatherModuleByModule, type KeptShares } from '../../project/kept-shares.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { dereference, stringValue, type ValueSite } from '../../project/values.js';

const MIDDLEWARE_SETTINGS = ['MIDDLEWARE', 'MIDDLEWARE_CLASSES'] as const;
type MiddlewareSettingName = (typeof MIDDLEWARE_SETTINGS)[number];

/** Settings only a Django settings module defines: with one of them, `MIDDLEWARE` is Django's. */
const DJANGO_ONLY_SETTINGS = ['INSTALLED_APPS', 'ROOT_URLCONF', 'WSGI_APPLICATION', 'ASGI_APPLICATION', 'DATABASES', 'AUTH_PASSWORD_VALIDATORS'];

const MAX_DEPTH = 8;
/** Settings modules that star-import each other in a chain: real ones are a few deep, and each costs a few stack frames. */
const MAX_SETTINGS_CHAIN = 64;

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
 * A list as far as it can be known without running the code: the entries read from the source;
 * whether it may also hold entries that cannot be read (`+ env.list(...)`, `.extend(plugins)`);
 * entries that may or may not be in it (`MIDDLEWARE[:i]`, one branch of `a if c else b`); and,
 * when it lacks the CSRF middleware, the statement to blame. `undefined` where nothing can be said.
 */
interface KnownList {
  entries: string[];
  open: boolean;
  possible: string[];
  blame?: Blame;
}

/** A module's final middleware list, as Django would see it after running the module. */
export interface MiddlewareSetting {
  module: SourceModule;
  name: MiddlewareSettingName;
  list: KnownList | undefined;
  /** The other settings modules whose lists this one starts from or is built from. */
  basedOn: SourceModule[];
}

/** The module-level lists of a settings module after it has run, and the modules it built on. */
interface SettingsRun {
  values: Map<string, KnownList | undefined>;
  basedOn: Set<SourceModule>;
}

/** A module-level statement that binds or changes a list, in source order. */
type SettingsEvent =
  | { kind: 'assign'; name: string; operator: string; value: Expr; range: SourceRange }
  | { kind: 'method'; name: string; method: string; args: Expr[]; range: SourceRange }
  | { kind: 'item'; name: string; index: Expr; value: Expr | undefined; range: SourceRange }
  | { kind: 'star'; module: SourceModule; range: SourceRange }
  | { kind: 'import'; name: string; module: SourceModule; importedName: string; range: SourceRange };

/**
 * Runs the module-level statements of settings modules the way Django's import would, keeping
 * every list it can read: star imports from base settings, lists imported by name, `+=`, `+`,
 * `.append`/`.insert`/`.extend`/`.remove`, slices, comprehension filters and temporary lists
 * (`middleware = list(MIDDLEWARE); middleware.insert(...); MIDDLEWARE = middleware`).
 */
export class DjangoSettings {
  private readonly runs = new Map<SourceModule, SettingsRun | undefined>();
  private readonly running = new Set<SourceModule>();

  constructor(private readonly project: Project) {}

  /** The setting Django reads: `MIDDLEWARE` when the module has it, else the pre-1.10 `MIDDLEWARE_CLASSES`. */
  middleware(module: SourceModule): MiddlewareSetting | undefined {
    const run = this.run(module);
    if (!run) return undefined;
    const name = MIDDLEWARE_SETTINGS.find((candidate) => run.values.has(candidate));
    return name && { module, name, list: run.values.get(name), basedOn: [...run.basedOn] };
  }

  /** Whether the CSRF middleware, or a project class that subclasses it, is among `entries`. */
  containsCsrfMiddleware(module: SourceModule, entries: readonly string[]): boolean {
    const csrf = new Set<string>([DJANGO.csrfMiddlewareClass]);
    return entries.some((entry) => entry === DJANGO.csrfMiddlewareClass || this.project.isSubclassOf(this.project.canonical(entry, module), csrf));
  }

  /**
   * An entry named as Django's CSRF middleware whose class lies outside the scan (a drop-in such as
   * `verbose_csrf_middleware.CsrfViewMiddleware`): whether it checks tokens cannot be told.
   */
  unscannedCsrfLookalike(module: SourceModule, entries: readonly string[]): string | undefined {
    const className = DJANGO.csrfMiddlewareClass.slice(DJANGO.csrfMiddlewareClass.lastIndexOf('.') + 1);
    return entries.find((entry) => entry !== DJANGO.csrfMiddlewareClass && entry.slice(entry.lastIndexOf('.') + 1) === className && this.project.findDefinition(this.project.canonical(entry, module)) === undefined);
  }

  /** A settings module's run, or `undefined` for a module that neither holds nor inherits a middleware setting. */
  private run(module: SourceModule): SettingsRun | undefined {
    if (this.runs.has(module)) return this.runs.get(module);
    // A cycle of imports, or a chain longer than any real settings package: nothing is known from there on.
    if (this.running.has(module) || this.running.size >= MAX_SETTINGS_CHAIN) return undefined;
    this.running.add(module);
    const run = this.mayChangeMiddleware(module) ? this.replay(module, this.events(module)) : undefined;
    this.running.delete(module);
    this.runs.set(module, run);
    return run;
  }

  private replay(module: SourceModule, events: SettingsEvent[]): SettingsRun {
    const run: SettingsRun = { values: new Map(), basedOn: new Set() };
    for (const event of events) this.apply(module, run, event);
    return run;
  }

  private apply(module: SourceModule, run: SettingsRun, event: SettingsEvent): void {
    const { values } = run;
    switch (event.kind) {
      case 'star': {
        const base = this.run(event.module);
        if (!base) return;
        run.basedOn.add(event.module);
        for (const [name, value] of base.values) values.set(name, value);
        return;
      }
      case 'import': {
        const base = this.run(event.module);
        if (!base?.values.has(event.importedName)) return;
        run.basedOn.add(event.module);
        values.set(event.name, base.values.get(event.importedName));
        return;
      }
      case 'assign':
        return this.assign(module, run, event);
      case 'method':
        return this.callMethod(module, values, event);
      case 'item':
        return this.changeItems(module, values, event);
    }
  }

  private assign(module: SourceModule, run: SettingsRun, event: SettingsEvent & { kind: 'assign' }): void {
    const { values } = run;
    const before = values.get(event.name);
    const evaluated = this.evaluate(module, values, run, { module, scope: MODULE_SCOPE, expr: event.value }, 0);
    const value = event.operator === '+=' ? before && concatenate([before, evaluated]) : evaluated;
    const statement = `${event.name} ${event.operator === '+=' ? '+=' : '='} [...]`;
    values.set(event.name, value && this.withBlame(module, value, before, { module, range: event.range, statement, replacedList: event.operator === '=' }));
  }

  private callMethod(module: SourceModule, values: Map<string, KnownList | undefined>, event: SettingsEvent & { kind: 'method' }): void {
    const list = values.get(event.name);
    if (!list) return;
    const strings = (expr: Expr | undefined) => (expr ? this.loopedStrings(module, expr) : undefined);
    let next: KnownList | undefined;
    switch (event.method) {
      case 'append':
      case 'insert': {
        const added = strings(event.method === 'append' ? event.args[0] : event.args[1]);
        next = added === undefined ? { ...list, open: true } : { ...list, entries: [...list.entries, ...added] };
        break;
      }
      case 'extend':
        next = event.args[0] ? concatenate([list, this.evaluate(module, values, undefined, { module, scope: MODULE_SCOPE, expr: event.args[0] }, 0)]) : list;
        break;
      case 'remove': {
        const removed = strings(event.args[0]);
        next = removed === undefined ? undefined : { ...list, entries: list.entries.filter((existing) => !removed.includes(existing)), possible: list.possible.filter((existing) => !removed.includes(existing)) };
        break;
      }
      case 'pop': {
        const position = event.args[0] ? this.position(module, list, event.args[0]) : list.entries.length - 1;
        next = position === undefined || !isExact(list) ? unsure(list, false) : spliced(list, position, position + 1, []);
        break;
      }
      case 'clear':
        next = { entries: [], open: false, possible: [] };
        break;
      case 'index':
      case 'count':
      case 'copy':
      case 'sort':
      case 'reverse':
        return;
      default:
        // A method csrflint does not know may take anything out or put anything in: the list can no longer be told.
        next = unsure(list, true);
    }
    const statement = `${event.name}.${event.method}(...)`;
    values.set(event.name, next && this.withBlame(module, next, list, { module, range: event.range, statement, replacedList: false }));
  }

  /** `del MIDDLEWARE[i]`, `del MIDDLEWARE[a:b]`, `MIDDLEWARE[i] = ...` and `MIDDLEWARE[a:b] = [...]`. */
  private changeItems(module: SourceModule, values: Map<string, KnownList | undefined>, event: SettingsEvent & { kind: 'item' }): void {
    const list = values.get(event.name);
    if (!list) return;
    const bounds = this.bounds(module, list, event.index);
    const replacement = event.value === undefined ? [] : event.index.kind === 'slice' ? this.evaluate(module, values, undefined, { module, scope: MODULE_SCOPE, expr: event.value }, 0) : singleString(this.project, { module, scope: MODULE_SCOPE, expr: event.value });
    const exact = bounds && isExact(list) && (Array.isArray(replacement) || (replacement && isExact(replacement)));
    const next = exact ? spliced(list, bounds[0], bounds[1], Array.isArray(replacement) ? replacement : replacement!.entries) : unsure(list, event.value !== undefined);
    const target = event.index.kind === 'slice' ? `${event.name}[...:...]` : `${event.name}[...]`;
    const statement = event.value === undefined ? `del ${target}` : `${target} = ...`;
    values.set(event.name, this.withBlame(module, next, list, { module, range: event.range, statement, replacedList: false }));
  }

  /** The entries `[start, stop)` a constant index or slice picks out of an exact list. */
  private bounds(module: SourceModule, list: KnownList, index: Expr): [number, number] | undefined {
    if (index.kind !== 'slice') {
      const position = this.position(module, list, index);
      return position === undefined ? undefined : [position, position + 1];
    }
    if (index.step) return undefined;
    const start = index.start ? this.position(module, list, index.start, true) : 0;
    const stop = index.stop ? this.position(module, list, index.stop, true) : list.entries.length;
    return start === undefined || stop === undefined ? undefined : [start, Math.max(start, stop)];
  }

  /**
   * A constant position in the list (`1`, `-1`, `MIDDLEWARE.index("...")`), counted from the start;
   * a slice bound may lie past either end, an index may not.
   */
  private position(module: SourceModule, list: KnownList, index: Expr, bound = false): number | undefined {
    const length = list.entries.length;
    const value = this.constantPosition(module, list, index);
    if (value === undefined) return undefined;
    const counted = value < 0 ? value + length : value;
    if (bound) return Math.min(Math.max(counted, 0), length);
    return counted >= 0 && counted < length ? counted : undefined;
  }

  /**
   * `2`, `-1`, `MIDDLEWARE.index("...")`, either plus or minus a number, or a module-level name bound
   * once to one of them (`position = MIDDLEWARE.index("...") + 1`, then `[*MIDDLEWARE[:position], ...]`).
   */
  private constantPosition(module: SourceModule, list: KnownList, index: Expr, depth = 0): number | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (index.kind === 'number') return Number.isInteger(index.value) ? index.value : undefined;
    if (index.kind === 'unary' && index.operator === '-' && index.operand.kind === 'number' && Number.isInteger(index.operand.value)) return -index.operand.value;
    if (index.kind === 'binary' && (index.operator === '+' || index.operator === '-')) return this.shiftedPosition(module, list, index, depth);
    if (index.kind === 'name') return this.boundPosition(module, list, index, depth);
    if (index.kind !== 'call' || index.callee.kind !== 'attribute' || index.callee.attribute !== 'index' || index.args.length !== 1) return undefined;
    const entry = stringValue(this.project, { module, scope: MODULE_SCOPE, expr: index.args[0]!.value });
    const found = entry === undefined ? -1 : list.entries.indexOf(entry);
    return found < 0 ? undefined : found;
  }

  private shiftedPosition(module: SourceModule, list: KnownList, sum: Expr & { kind: 'binary' }, depth: number): number | undefined {
    const base = this.constantPosition(module, list, sum.left, depth + 1);
    const shift = sum.right.kind === 'number' && Number.isInteger(sum.right.value) ? sum.right.value : undefined;
    if (base === undefined || shift === undefined) return undefined;
    return sum.operator === '+' ? base + shift : base - shift;
  }

  /**
   * The name's one assignment in the module, even under an `if` (`if DEBUG: position = ...`): code
   * that reads the name where that assignment did not run would fail, so it reads that value.
   */
  private boundPosition(module: SourceModule, list: KnownList, name: Expr, depth: number): number | undefined {
    const assignments = this.project.assignmentsOf(module, name, MODULE_SCOPE);
    const only = assignments.length === 1 ? assignments[0] : undefined;
    if (!only || only.module !== module || only.assignment.operator !== '=' || !only.assignment.value) return undefined;
    return this.constantPosition(module, list, only.assignment.value, depth + 1);
  }

  /**
   * The strings a method argument stands for: one string, or each item of a constant list that a
   * `for` loop gives it (`for name in UNWANTED: MIDDLEWARE.remove(name)`); `undefined` if any is unknown.
   */
  private loopedStrings(module: SourceModule, expr: Expr): string[] | undefined {
    const values = this.project.possibleValues(module, expr, MODULE_SCOPE);
    const strings = values.map((value) => stringValue(this.project, value));
    return values.length > 0 && strings.every((value) => value !== undefined) ? (strings as string[]) : undefined;
  }

  /**
   * The blame a list carries after a statement: none while it holds (or may hold) the middleware;
   * the statement itself when the list had it before; else whatever the list was built from.
   */
  private withBlame(module: SourceModule, value: KnownList, before: KnownList | undefined, here: Omit<Blame, 'removedCsrf'>): KnownList {
    if (this.mayContainCsrf(module, value)) return withoutBlame(value);
    if (value.blame) return value;
    const hadCsrf = before !== undefined && this.containsCsrfMiddleware(module, before.entries);
    return { ...value, blame: hadCsrf ? { ...here, removedCsrf: true } : (before?.blame ?? { ...here, removedCsrf: false }) };
  }

  private mayContainCsrf(module: SourceModule, list: KnownList): boolean {
    return this.containsCsrfMiddleware(module, list.entries) || this.containsCsrfMiddleware(module, list.possible);
  }

  /** What can be known of a list expression, given the lists bound so far (`values`). */
  private evaluate(module: SourceModule, values: Map<string, KnownList | undefined>, run: SettingsRun | undefined, site: ValueSite, depth: number): KnownList | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const { expr } = site;
    const evaluate = (inner: Expr) => this.evaluate(module, values, run, { ...site, expr: inner }, depth + 1);
    switch (expr.kind) {
      case 'list':
      case 'tuple':
        return concatenate(expr.items.map((item) => (item.kind === 'starred' ? evaluate(item.value) : singleString(this.project, { ...site, expr: item }))));
      case 'binary':
        return expr.operator === '+' ? concatenate([evaluate(expr.left), evaluate(expr.right)]) : undefined;
      case 'conditional':
        return eitherOf(evaluate(expr.body), evaluate(expr.orElse));
      case 'subscript':
        return this.sliceOf(module, evaluate(expr.object), expr.index);
      case 'comprehension':
        return this.filtered(expr, evaluate, site);
      case 'call':
        return this.converted(expr, evaluate, site);
      case 'name':
      case 'attribute':
        return this.named(module, values, run, site, depth);
      default:
        return undefined;
    }
  }

  /** A name bound by an earlier statement, another settings module's list, or a constant. */
  private named(module: SourceModule, values: Map<string, KnownList | undefined>, run: SettingsRun | undefined, site: ValueSite, depth: number): KnownList | undefined {
    if (site.module === module && site.expr.kind === 'name' && values.has(site.expr.id)) {
      return values.get(site.expr.id) ?? (isMiddlewareSettingName(site.expr.id) ? UNREADABLE_MIDDLEWARE : undefined);
    }
    const other = this.otherModuleList(site);
    if (other) {
      run?.basedOn.add(other.module);
      return other.list;
    }
    // `MIDDLEWARE = [...] + MIDDLEWARE` before the module binds it: the list comes from a settings
    // module that star-imports or execs this one, and keeps every entry it had there.
    if (site.module === module && site.expr.kind === 'name' && isMiddlewareSettingName(site.expr.id)) return UNREADABLE_MIDDLEWARE;
    const value = dereference(this.project, site);
    return value === site ? undefined : this.evaluate(module, values, run, value, depth + 1);
  }

  /** `base.MIDDLEWARE` or a name imported from another settings module. */
  private otherModuleList(site: ValueSite): { module: SourceModule; list: KnownList | undefined } | undefined {
    const qualified = this.project.resolve(site.module, site.expr, site.scope);
    const split = qualified === undefined ? -1 : qualified.lastIndexOf('.');
    if (qualified === undefined || split < 0) return undefined;
    const owner = this.project.moduleNamed(qualified.slice(0, split), site.module);
    const run = owner && owner !== site.module ? this.run(owner) : undefined;
    const name = qualified.slice(split + 1);
    return owner && run?.values.has(name) ? { module: owner, list: run.values.get(name) } : undefined;
  }

  /** `MIDDLEWARE[1:]`: exact with constant bounds; otherwise any of its entries may be in it. */
  private sliceOf(module: SourceModule, list: KnownList | undefined, index: Expr): KnownList | undefined {
    if (!list || index.kind !== 'slice') return undefined;
    const bounds = isExact(list) ? this.bounds(module, list, index) : undefined;
    return bounds ? { entries: list.entries.slice(...bounds), open: false, possible: [] } : unsure(list, false);
  }

  /** `list(x)`, `tuple(x)` and `x.copy()` keep the entries. */
  private converted(expr: Expr & { kind: 'call' }, evaluate: (inner: Expr) => KnownList | undefined, site: ValueSite): KnownList | undefined {
    const [only] = expr.args;
    if (expr.callee.kind === 'attribute' && expr.callee.attribute === 'copy' && expr.args.length === 0) return evaluate(expr.callee.object);
    const callee = this.project.resolve(site.module, expr.callee, site.scope);
    if ((callee === 'builtins.list' || callee === 'builtins.tuple') && only && expr.args.length === 1 && !only.name && !only.unpack) return evaluate(only.value);
    if (callee === 'builtins.filter') return this.filteredByFunction(expr, evaluate, site);
    return undefined;
  }

  /** `filter(lambda m: "csrf" not in m, MIDDLEWARE)`: the lambda's test decides each entry. */
  private filteredByFunction(expr: Expr & { kind: 'call' }, evaluate: (inner: Expr) => KnownList | undefined, site: ValueSite): KnownList | undefined {
    const [test, iterable] = expr.args.map((argument) => argument.value);
    if (expr.args.length !== 2 || test?.kind !== 'lambda' || test.parameters.length !== 1 || !iterable) return undefined;
    const source = evaluate(iterable);
    return source && this.kept(source, [test.body], test.parameters[0]!, site);
  }

  /** `[m for m in MIDDLEWARE if m != "...CsrfViewMiddleware"]` and other filters on the entry. */
  private filtered(expr: Expr & { kind: 'comprehension' }, evaluate: (inner: Expr) => KnownList | undefined, site: ValueSite): KnownList | undefined {
    if (expr.of === 'dict' || expr.target.kind !== 'name' || expr.element.kind !== 'name' || expr.element.id !== expr.target.id) return undefined;
    const source = evaluate(expr.iterable);
    return source && this.kept(source, expr.conditions, expr.target.id, site);
  }

  /** The entries of `source` for which every condition holds with `variable` bound to the entry; `undefined` if one cannot be decided. */
  private kept(source: KnownList, conditions: Expr[], variable: string, site: ValueSite): KnownList | undefined {
    const keep = (entry: string) => {
      const verdicts = conditions.map((condition) => evaluateCondition(this.project, { ...site, expr: condition }, variable, entry));
      return verdicts.some((verdict) => verdict === undefined) ? undefined : verdicts.every(Boolean);
    };
    const decisions = source.entries.map(keep);
    if (decisions.some((decision) => decision === undefined)) return undefined;
    return { ...withoutBlame(source), entries: source.entries.filter((_, index) => decisions[index]), possible: source.possible.filter((entry) => keep(entry) !== false) };
  }

  /**
   * Whether any statement `events` would list binds or changes a middleware setting, or star-imports
   * another settings module: asked of every module before its statements are gathered and sorted.
   */
  private mayChangeMiddleware(module: SourceModule): boolean {
    const { assignments, calls } = module.facts;
    if (assignments.some(({ target, scope, value, operator }) => scope === MODULE_SCOPE && target.kind === 'name' && value && (operator === '=' || operator === '+=') && isMiddlewareSettingName(target.id))) return true;
    if (calls.some(({ call: { callee }, scope }) => scope === MODULE_SCOPE && callee.kind === 'attribute' && callee.object.kind === 'name' && isMiddlewareSettingName(callee.object.id))) return true;
    return this.importEvents(module).some(isMiddlewareEvent);
  }

  /** The statements of a module that bind lists, in source order. */
  private events(module: SourceModule): SettingsEvent[] {
    const events: SettingsEvent[] = [];
    for (const assignment of module.facts.assignments) {
      const { target, value, scope, operator, range } = assignment;
      if (scope !== MODULE_SCOPE || target.kind !== 'name' || !value || (operator !== '=' && operator !== '+=')) continue;
      events.push({ kind: 'assign', name: target.id, operator, value, range });
    }
    for (const { call, scope } of module.facts.calls) {
      const { callee } = call;
      if (scope !== MODULE_SCOPE || callee.kind !== 'attribute' || callee.object.kind !== 'name') continue;
      events.push({ kind: 'method', name: callee.object.id, method: callee.attribute, args: call.args.map((argument) => argument.value), range: call.range });
    }
    events.push(...this.itemEvents(module));
    events.push(...this.importEvents(module));
    return events.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
  }

  /** `del NAME[...]` and `NAME[...] = value` at module level. */
  private itemEvents(module: SourceModule): SettingsEvent[] {
    const events: SettingsEvent[] = [];
    const add = (target: Expr, value: Expr | undefined, range: SourceRange) => {
      if (target.kind === 'subscript' && target.object.kind === 'name') events.push({ kind: 'item', name: target.object.id, index: target.index, value, range });
    };
    for (const { target, scope, range } of module.facts.deletions) if (scope === MODULE_SCOPE) add(target, undefined, range);
    for (const { target, scope, value, operator, range } of module.facts.assignments) if (scope === MODULE_SCOPE && operator === '=' && value) add(target, value, range);
    return events;
  }

  /** Star imports of settings modules, and lists imported by name from them. */
  private importEvents(module: SourceModule): SettingsEvent[] {
    const events: SettingsEvent[] = [];
    for (const statement of module.facts.imports) {
      if (statement.scope !== MODULE_SCOPE || statement.kind !== 'from') continue;
      const source = module.symbols.importedModule(statement);
      const sourceModule = source === undefined ? undefined : this.project.moduleNamed(source, module);
      if (!sourceModule || sourceModule === module) continue;
      if (statement.star) events.push({ kind: 'star', module: sourceModule, range: statement.range });
      for (const name of statement.names) events.push({ kind: 'import', name: name.boundName, module: sourceModule, importedName: name.importedName, range: statement.range });
    }
    return events;
  }
}

/**
 * A middleware setting that cannot be read (from the environment, say) may well hold the CSRF
 * middleware: a list built from it must not be blamed for lacking it.
 */
const UNREADABLE_MIDDLEWARE: KnownList = { entries: [], open: true, possible: [DJANGO.csrfMiddlewareClass] };

function isMiddlewareSettingName(name: string): boolean {
  return (MIDDLEWARE_SETTINGS as readonly string[]).includes(name);
}

function isMiddlewareEvent(event: SettingsEvent): boolean {
  return event.kind === 'star' || isMiddlewareSettingName(event.name);
}

function withoutBlame(list: KnownList): KnownList {
  const { blame: _, ...rest } = list;
  return rest;
}

/** Parts joined in order; an unreadable part leaves the result open, and nothing readable leaves it unknown. */
function concatenate(parts: Array<KnownList | undefined>): KnownList | undefined {
  const known = parts.filter((part): part is KnownList => part !== undefined);
  if (known.length === 0 && parts.length > 0) return undefined;
  const blame = known.find((part) => part.blame)?.blame;
  return {
    entries: known.flatMap((part) => part.entries),
    open: known.length < parts.length || known.some((part) => part.open),
    possible: known.flatMap((part) => part.possible),
    ...(blame ? { blame } : {}),
  };
}

/** `a if condition else b`: what both branches hold is in it; what one holds may be. */
function eitherOf(first: KnownList | undefined, second: KnownList | undefined): KnownList | undefined {
  if (!first || !second) return first || second ? { entries: [], open: true, possible: [...(first ?? second)!.entries, ...(first ?? second)!.possible] } : undefined;
  const both = first.entries.filter((entry) => second.entries.includes(entry));
  const either = [...first.entries, ...second.entries, ...first.possible, ...second.possible].filter((entry) => !both.includes(entry));
  return { entries: both, open: first.open || second.open, possible: either };
}

/** A list whose every entry is known, in order: positions in it mean something. */
function isExact(list: KnownList): boolean {
  return !list.open && list.possible.length === 0;
}

/** Entries `[start, stop)` of an exact list replaced by `inserted`. */
function spliced(list: KnownList, start: number, stop: number, inserted: string[]): KnownList {
  return { ...list, entries: [...list.entries.slice(0, start), ...inserted, ...list.entries.slice(stop)] };
}

/** A list changed in a way that cannot be followed: each entry may have gone, and (if `grown`) anything may have come in. */
function unsure(list: KnownList, grown: boolean): KnownList {
  return { entries: [], open: list.open || grown, possible: [...list.entries, ...list.possible] };
}

function singleString(project: Project, site: ValueSite): KnownList | undefined {
  const value = stringValue(project, site);
  return value === undefined ? undefined : { entries: [value], open: false, possible: [] };
}

/** A module is Django settings when its middleware names Django's own, or it sets what only settings set. */
export function looksLikeDjangoSettings(module: SourceModule, entries: readonly string[] | undefined): boolean {
  if (entries?.some((entry) => entry.startsWith('django.'))) return true;
  return DJANGO_ONLY_SETTINGS.some((name) => module.symbols.bindingsIn(MODULE_SCOPE, name).length > 0);
}

const SETTINGS_VARIABLE = 'DJANGO_SETTINGS_MODULE';

/**
 * Settings modules named as `DJANGO_SETTINGS_MODULE` in `manage.py`, `wsgi.py` and the like
 * (`os.environ.setdefault(...)`, `os.environ[...] = ...`): Django loads them as they are.
 */
export function namedSettingsModules(project: Project): Set<SourceModule> {
  return new Set(gatherModuleByModule(project, keptNamedSettings, '', (module, add) => addSettingsNamedIn(project, module, add)));
}

/** The settings modules each module names, kept across a language server's edits of modules they did not read. */
const keptNamedSettings = new WeakMap<Project, KeptShares<SourceModule>>();

function addSettingsNamedIn(project: Project, module: SourceModule, add: (named: SourceModule) => void): void {
  const addNamed = (scope: number, expr: Expr | undefined) => {
    const value = expr && stringValue(project, { module, scope, expr });
    const target = value === undefined ? undefined : project.moduleNamed(value, module);
    if (target) add(target);
  };
  for (const { call, scope } of module.facts.calls) {
    const [key, value] = call.args;
    if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'setdefault' || !key || !value) continue;
    if (stringValue(project, { module, scope, expr: key.value }) === SETTINGS_VARIABLE) addNamed(scope, value.value);
  }
  for (const assignment of module.facts.assignments) {
    const { target, scope, value } = assignment;
    if (target.kind !== 'subscript' || !value) continue;
    if (stringValue(project, { module, scope, expr: target.index }) === SETTINGS_VARIABLE) addNamed(scope, value);
  }
}
