import { describeExpr } from '../../python/describe.js';
import type { Assignment, CallExpr, CallSite, Definition, SourceRange } from '../../python/facts.js';
import { MODULE_SCOPE } from '../../python/facts.js';
import { contextOfClassName, contextOfFinding, type FindingContext } from '../../project/context.js';
import { isFlaskConfig } from './names.js';
import { FLASK } from '../../project/known-names.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { mappingEntries, stringValue, truthiness, type ValueSite } from '../../project/values.js';

/** `app.config` methods that take settings as keywords or as a mapping. */
const CONFIG_SETTERS = new Set(['update', 'from_mapping']);
const TESTING = 'TESTING';

/** One Flask config key set somewhere: in `app.config`, a config class, or a config module. */
export interface ConfigWrite {
  key: string;
  value: ValueSite;
  /** The assignment, keyword argument or mapping entry; in `value.module`. */
  range: SourceRange;
  /** Test when the same write sets `TESTING = True`, or the config class is only used for tests. */
  context: FindingContext;
  /** The app attribute that sets the key, when it is set through one (`app.testing`). */
  property?: string;
}

/**
 * Every place one of `keys` is set for a Flask app: `app.config[KEY] = ...`, `app.config.update(...)`
 * and `from_mapping(...)` (keywords and mappings), `setdefault(KEY, ...)`, `app.config |= {...}`, attributes of config classes (loaded with
 * `from_object`), module-level settings of config modules, and `app.testing = ...`, which sets `TESTING`.
 */
export function flaskConfigWrites(project: Project, keys: ReadonlySet<string>, options: ConfigWriteOptions = {}): ConfigWrite[] {
  const flags = new TestingFlags(project, options.testingFlagIsContext ?? true);
  const classes = new ConfigClasses(project, flags);
  return project.modules.flatMap((module) => [
    ...subscriptWrites(project, module, keys, flags),
    ...setterCallWrites(project, module, keys, flags),
    ...mergeWrites(project, module, keys, flags),
    ...attributeWrites(project, module, keys, classes, flags),
    ...(keys.has(TESTING) ? testingPropertyWrites(project, module) : []),
  ]);
}

/**
 * A module's statements shaped like a config write, whatever they write to: rules ask for config
 * writes several times a run, and most statements of a project have none of these shapes, so each
 * module's are picked once instead of every assignment and call being looked at again for each ask.
 */
interface WriteShapes {
  /** `x[key] = value` */
  subscriptAssignments: Assignment[];
  /** `x |= value` */
  mergeAssignments: Assignment[];
  /** `x.update(...)`, `x.from_mapping(...)`, `x.setdefault(...)` */
  setterCalls: CallSite[];
  /** `x.testing = value` */
  testingAssignments: Assignment[];
  /** `NAME = value` at module level or in a class body. */
  settingAssignments: Assignment[];
}

const shapesByModule = new WeakMap<SourceModule, WriteShapes>();

function writeShapesOf(module: SourceModule): WriteShapes {
  let shapes = shapesByModule.get(module);
  if (shapes) return shapes;
  shapes = { subscriptAssignments: [], mergeAssignments: [], setterCalls: [], testingAssignments: [], settingAssignments: [] };
  for (const assignment of module.facts.assignments) addAssignmentShape(module, assignment, shapes);
  for (const site of module.facts.calls) {
    const { callee } = site.call;
    if (callee.kind === 'attribute' && isConfigSetter(callee.attribute)) shapes.setterCalls.push(site);
  }
  shapesByModule.set(module, shapes);
  return shapes;
}

function addAssignmentShape(module: SourceModule, assignment: Assignment, shapes: WriteShapes): void {
  const { target, value, operator, scope } = assignment;
  if (!value) return;
  if (operator === '|=') shapes.mergeAssignments.push(assignment);
  if (operator !== '=') return;
  if (target.kind === 'subscript') shapes.subscriptAssignments.push(assignment);
  else if (target.kind === 'attribute' && target.attribute === 'testing') shapes.testingAssignments.push(assignment);
  else if (target.kind === 'name' && (scope === MODULE_SCOPE || module.symbols.definitionOfScope(scope)?.kind === 'class')) shapes.settingAssignments.push(assignment);
}

/** `app.testing = True`: Flask's `testing` property is `app.config["TESTING"]`. */
function testingPropertyWrites(project: Project, module: SourceModule): ConfigWrite[] {
  return writeShapesOf(module).testingAssignments.flatMap(({ target, value, scope, range }) => {
    if (target.kind !== 'attribute' || !value || !project.isInstanceOf(module, target.object, scope, FLASK.appClasses)) return [];
    return [{ key: TESTING, value: { module, scope, expr: value }, range, context: contextOfFinding(project, module, range), property: describeExpr(target) }];
  });
}

interface ConfigWriteOptions {
  /**
   * Whether `TESTING = True` beside a setting makes it test context (the default). A rule about
   * `TESTING` itself judges it by where it is instead.
   */
  testingFlagIsContext?: boolean;
}

/** Recognises `TESTING = True`, or nothing when the flag is not to decide the context. */
class TestingFlags {
  constructor(
    private readonly project: Project,
    private readonly active: boolean,
  ) {}

  is(key: string, value: ValueSite): boolean {
    return this.active && key === TESTING && truthiness(this.project, value) === 'truthy';
  }

  /** `TESTING = True` assigned in a class body or at module level. */
  setIn(module: SourceModule, scope: number): boolean {
    return module.facts.assignments.some(
      (assignment) => assignment.scope === scope && assignment.target.kind === 'name' && assignment.value !== null && this.is(assignment.target.id, { module, scope, expr: assignment.value }),
    );
  }
}

/** `app.config["KEY"] = value`; `app.config["TESTING"] = True` in the same scope makes it test. */
function subscriptWrites(project: Project, module: SourceModule, keys: ReadonlySet<string>, flags: TestingFlags): ConfigWrite[] {
  const writes = writeShapesOf(module).subscriptAssignments.flatMap((assignment) => {
    const { target, value, scope } = assignment;
    if (target.kind !== 'subscript' || !value) return [];
    // The key first: most subscript writes set some other mapping's key, and telling a config apart costs more.
    const key = stringValue(project, { module, scope, expr: target.index });
    if (key === undefined || (!keys.has(key) && key !== TESTING) || !isFlaskConfig(project, module, target.object, scope)) return [];
    return [{ key, assignment, value: { module, scope, expr: value } }];
  });
  const testingScopes = new Set(writes.filter((write) => flags.is(write.key, write.value)).map((write) => write.assignment.scope));
  return writes
    .filter((write) => keys.has(write.key))
    .map(({ key, assignment, value }) => ({
      key,
      value,
      range: assignment.range,
      context: testingScopes.has(assignment.scope) ? 'test' : contextOfFinding(project, module, assignment.range),
    }));
}

/**
 * `app.config |= {"KEY": value}`: a dict merge, as `update`. Its entries' context is judged as a
 * setter call's: `TESTING: True` beside makes them test.
 */
function mergeWrites(project: Project, module: SourceModule, keys: ReadonlySet<string>, flags: TestingFlags): ConfigWrite[] {
  return writeShapesOf(module).mergeAssignments.flatMap(({ target, value, scope }) => {
    if (!value || !isFlaskConfig(project, module, target, scope)) return [];
    const entries = mappingEntries(project, { module, scope, expr: value }) ?? [];
    return judgedEntries(project, entries, keys, flags);
  });
}

/** `app.config.update(KEY=value)`, `app.config.from_mapping({"KEY": value})`, with `TESTING=True` beside. */
function setterCallWrites(project: Project, module: SourceModule, keys: ReadonlySet<string>, flags: TestingFlags): ConfigWrite[] {
  return writeShapesOf(module).setterCalls.flatMap(({ call, scope }) => {
    const { callee } = call;
    if (callee.kind !== 'attribute' || !isFlaskConfig(project, module, callee.object, scope)) return [];
    if (callee.attribute === 'setdefault') return judgedEntries(project, defaultEntry(project, module, call, scope), keys, flags);
    return judgedEntries(project, callEntries(project, module, call, scope), keys, flags);
  });
}

function isConfigSetter(method: string): boolean {
  return method === 'setdefault' || CONFIG_SETTERS.has(method);
}

function judgedEntries(project: Project, entries: ReadonlyArray<Omit<ConfigWrite, 'context'>>, keys: ReadonlySet<string>, flags: TestingFlags): ConfigWrite[] {
  const testing = entries.some((entry) => flags.is(entry.key, entry.value));
  return entries
    .filter((entry) => keys.has(entry.key))
    .map((entry) => ({ ...entry, context: testing ? 'test' : contextOfFinding(project, entry.value.module, entry.range) }));
}

/**
 * `app.config.setdefault("KEY", value)` sets the key when nothing set it before. Extensions set
 * their defaults in `init_app` the same way (`CSRFProtect` sets `WTF_CSRF_ENABLED` to `True`), so
 * it is read as a write: the call is there to set the key.
 */
function defaultEntry(project: Project, module: SourceModule, call: CallExpr, scope: number): Array<Omit<ConfigWrite, 'context'>> {
  const [keyArgument, valueArgument] = call.args;
  if (!keyArgument || !valueArgument || keyArgument.name !== undefined || valueArgument.name !== undefined) return [];
  const key = stringValue(project, { module, scope, expr: keyArgument.value });
  return key === undefined ? [] : [{ key, value: { module, scope, expr: valueArgument.value }, range: call.range }];
}

function callEntries(project: Project, module: SourceModule, call: CallExpr, scope: number): Array<Omit<ConfigWrite, 'context'>> {
  return call.args.flatMap((argument) => {
    const value = { module, scope, expr: argument.value };
    if (argument.name !== undefined) return [{ key: argument.name, value, range: argument.range }];
    return (mappingEntries(project, value) ?? []).map((entry) => ({ key: entry.key, value: entry.value, range: entry.range }));
  });
}

/** Class attributes and module-level settings named like a config key. */
function attributeWrites(project: Project, module: SourceModule, keys: ReadonlySet<string>, classes: ConfigClasses, flags: TestingFlags): ConfigWrite[] {
  return writeShapesOf(module).settingAssignments.flatMap((assignment) => {
    const { target, value, scope } = assignment;
    if (target.kind !== 'name' || !keys.has(target.id) || !value) return [];
    const owner = module.symbols.definitionOfScope(scope);
    const context = owner ? classes.contextOf(module, owner, target.id) : moduleSettingContext(project, module, assignment, flags);
    return [{ key: target.id, value: { module, scope, expr: value }, range: assignment.range, context }];
  });
}

function moduleSettingContext(project: Project, module: SourceModule, assignment: Assignment, flags: TestingFlags): FindingContext {
  return flags.setIn(module, MODULE_SCOPE) ? 'test' : contextOfFinding(project, module, assignment.range);
}

interface ClassSite {
  module: SourceModule;
  definition: Definition;
}

/**
 * Config classes and how they are used. A setting in a base class reaches every subclass that does
 * not set it again, so its context is the least test-like of them: `BaseConfig` is production when
 * `ProductionConfig` inherits its setting, test when only `TestingConfig` does.
 */
class ConfigClasses {
  /** Read on the first setting found in a class: most projects have none, and resolving every base costs. */
  private hierarchy: { subclasses: Map<string, ClassSite[]>; loads: LoadedConfigs } | undefined;

  constructor(
    private readonly project: Project,
    private readonly flags: TestingFlags,
  ) {}

  private get subclasses(): Map<string, ClassSite[]> {
    return this.read().subclasses;
  }

  private get loads(): LoadedConfigs {
    return this.read().loads;
  }

  private read(): { subclasses: Map<string, ClassSite[]>; loads: LoadedConfigs } {
    if (this.hierarchy) return this.hierarchy;
    const { project } = this;
    const loads = loadedConfigs(project);
    const subclasses = new Map<string, ClassSite[]>();
    for (const module of project.modules) {
      for (const definition of module.facts.definitions) {
        if (definition.kind !== 'class') continue;
        for (const base of definition.bases) {
          if (base.name !== undefined || base.unpack) continue;
          const baseName = project.resolve(module, base.value, definition.scope, definition.range.line);
          if (baseName === undefined) continue;
          const list = subclasses.get(baseName) ?? [];
          list.push({ module, definition });
          subclasses.set(baseName, list);
        }
      }
    }
    this.hierarchy = { subclasses, loads };
    return this.hierarchy;
  }

  /** The least test-like context among the configs that use the setting: leaf classes, and classes loaded directly. */
  contextOf(module: SourceModule, definition: Definition, attribute: string): FindingContext {
    const heirs = this.heirsOf({ module, definition }, attribute);
    const used = heirs.filter((heir) => heir.isLeaf || this.loads.has(heir.module.symbols.definitionName(heir.definition)));
    const contexts = used.map((heir) => this.ownContext(heir));
    if (contexts.includes('production')) return 'production';
    if (contexts.includes('development')) return 'development';
    return 'test';
  }

  /** The class and its subclasses that inherit the setting `attribute` (they do not set it again). */
  private heirsOf(root: ClassSite, attribute: string): Array<ClassSite & { isLeaf: boolean }> {
    const heirs: Array<ClassSite & { isLeaf: boolean }> = [];
    const pending = [root];
    const seen = new Set<string>();
    while (pending.length > 0 && heirs.length < 64) {
      const site = pending.pop()!;
      const name = site.module.symbols.definitionName(site.definition);
      if (seen.has(name)) continue;
      seen.add(name);
      const inheriting = (this.subclasses.get(name) ?? []).filter((child) => child.module.symbols.bindingsIn(child.definition.bodyScope, attribute).length === 0);
      heirs.push({ ...site, isLeaf: inheriting.length === 0 });
      pending.push(...inheriting);
    }
    return heirs;
  }

  private ownContext({ module, definition }: ClassSite): FindingContext {
    const name = module.symbols.definitionName(definition);
    if (this.inheritsTestingFlag(name)) return 'test';
    const loadedFrom = this.loads.get(name);
    if (loadedFrom && loadedFrom.length > 0 && loadedFrom.every((context) => context === 'test')) return 'test';
    const named = contextOfClassName(definition.name);
    if (named) return named;
    return contextOfFinding(this.project, module, definition.nameRange);
  }

  private inheritsTestingFlag(className: string): boolean {
    return this.project.inheritsFrom(className, (name) => {
      const site = this.project.findDefinition(name);
      return site !== undefined && this.flags.setIn(site.module, site.definition.bodyScope);
    });
  }
}

/** For each config class or module loaded with `app.config.from_object(...)`, the contexts of the loading code. */
type LoadedConfigs = Map<string, FindingContext[]>;

function loadedConfigs(project: Project): LoadedConfigs {
  const loads: LoadedConfigs = new Map();
  for (const module of project.modules) {
    for (const { call, scope } of module.facts.calls) {
      const { callee } = call;
      const [argument] = call.args;
      if (callee.kind !== 'attribute' || callee.attribute !== 'from_object' || !argument || !isFlaskConfig(project, module, callee.object, scope)) continue;
      const context = contextOfFinding(project, module, call.range);
      for (const target of configTargets(project, { module, scope, expr: argument.value })) {
        const list = loads.get(target) ?? [];
        list.push(context);
        loads.set(target, list);
      }
    }
  }
  return loads;
}

/** What `from_object` loads: a class or module, a dotted string, `__name__`, or any value of a `{name: Config}` dict. */
function configTargets(project: Project, site: ValueSite): string[] {
  const { module, scope, expr } = site;
  if (expr.kind === 'name' && expr.id === '__name__') return [module.key];
  const text = stringValue(project, site);
  if (text !== undefined) return [project.canonical(text, module)];
  if (expr.kind === 'subscript') return configTargetsOfMapping(project, { ...site, expr: expr.object });
  if (expr.kind === 'call' && expr.callee.kind === 'attribute' && expr.callee.attribute === 'get') return configTargetsOfMapping(project, { ...site, expr: expr.callee.object });
  const fallback = parameterDefault(site);
  if (fallback) return configTargets(project, fallback);
  const name = project.resolve(module, expr, scope);
  return name === undefined ? [] : [name];
}

/**
 * \`def create_app(config="udata.settings.Defaults"): app.config.from_object(config)\`: the default of
 * the parameter is what a plain \`create_app()\` loads, so its class is a config the app runs with.
 */
function parameterDefault({ module, scope, expr }: ValueSite): ValueSite | undefined {
  if (expr.kind !== 'name' || module.symbols.lookup(expr.id, scope)?.kind !== 'parameter') return undefined;
  const definition = module.facts.definitions.find((candidate) => candidate.kind === 'function' && candidate.bodyScope === scope);
  const fallback = definition?.parameters.find((parameter) => parameter.name === expr.id)?.defaultValue;
  return definition && fallback ? { module, scope: definition.scope, expr: fallback } : undefined;
}

function configTargetsOfMapping(project: Project, site: ValueSite): string[] {
  return (mappingEntries(project, site) ?? []).flatMap((entry) => configTargets(project, entry.value));
}

