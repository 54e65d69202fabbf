/**
 * django-configurations keeps settings in classes (`class Prod(Base): MIDDLEWARE = [...]` with
 * `class Base(Configuration)`): each setting is a class attribute, inherited by subclasses, where a
 * reader of module-level settings sees nothing. The class Django runs with is named at run time
 * (`DJANGO_CONFIGURATION`), so every class no other configuration class builds on is judged.
 */
import type { Definition, Expr, SourceRange } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue } from '../../project/values.js';

const CONFIGURATION_CLASSES: ReadonlySet<string> = new Set(['configurations.Configuration', 'configurations.base.Configuration']);

const MIDDLEWARE_SETTINGS = ['MIDDLEWARE', 'MIDDLEWARE_CLASSES'];

/** Bases followed from a class to the one that sets its middleware: real hierarchies are a few deep. */
const MAX_INHERITANCE_DEPTH = 8;

/** The middleware list a configuration class runs with, and the class attribute that set it. */
export interface ConfigurationMiddleware {
  module: SourceModule;
  /** `Prod`, the class Django may run with. */
  className: string;
  /** `Base.MIDDLEWARE`, where the list was assigned (the class itself or a base it inherits it from). */
  setting: string;
  entries: string[];
  /** Entries that cannot be read without running the code (`+ values.ListValue(...)`). */
  open: boolean;
  /** Where the list was assigned. */
  blame: { module: SourceModule; range: SourceRange };
}

interface ConfigurationClass {
  module: SourceModule;
  definition: Definition;
  name: string;
}

/** The middleware of every configuration class that no other one builds on, one per assignment. */
export function configurationMiddlewares(project: Project): ConfigurationMiddleware[] {
  if (![...CONFIGURATION_CLASSES].some((name) => project.mayReferTo(name))) return [];
  const classes = configurationClasses(project);
  const bases = new Set(classes.flatMap((site) => baseNames(project, site)));
  const judged = new Map<string, ConfigurationMiddleware>();
  for (const site of classes) {
    if (bases.has(site.name)) continue;
    const middleware = middlewareOf(project, site, 0);
    const key = middleware && `${middleware.blame.module.key}\0${middleware.blame.range.line}`;
    if (middleware && key !== undefined && !judged.has(key)) judged.set(key, middleware);
  }
  return [...judged.values()];
}

function configurationClasses(project: Project): ConfigurationClass[] {
  const family = project.classFamily(CONFIGURATION_CLASSES);
  return project.modules.flatMap((module) =>
    module.facts.definitions.flatMap((definition) => {
      const name = definition.kind === 'class' ? module.symbols.definitionName(definition) : undefined;
      return name !== undefined && family.has(name) && !CONFIGURATION_CLASSES.has(name) ? [{ module, definition, name }] : [];
    }),
  );
}

function baseNames(project: Project, { module, definition }: ConfigurationClass): string[] {
  return definition.bases.flatMap((base) => {
    const name = base.name === undefined && !base.unpack ? project.resolve(module, base.value, definition.scope) : undefined;
    return name === undefined ? [] : [name];
  });
}

/** The class's own middleware assignment, or the one it inherits from the first base that has one. */
function middlewareOf(project: Project, site: ConfigurationClass, depth: number): ConfigurationMiddleware | undefined {
  if (depth > MAX_INHERITANCE_DEPTH) return undefined;
  const own = ownAssignment(site);
  if (own) {
    const list = listValue(project, site, own.value, depth);
    const shortName = site.definition.name;
    return list && { module: site.module, className: shortName, setting: `${shortName}.${own.name}`, ...list, blame: { module: site.module, range: own.range } };
  }
  for (const baseName of baseNames(project, site)) {
    const base = configurationClassNamed(project, baseName);
    const inherited = base && middlewareOf(project, base, depth + 1);
    if (inherited) return { ...inherited, module: site.module, className: site.definition.name };
  }
  return undefined;
}

function ownAssignment({ module, definition }: ConfigurationClass): { name: string; value: Expr; range: SourceRange } | undefined {
  const assignments = module.facts.assignments.filter(
    ({ target, scope, operator, value }) => scope === definition.bodyScope && operator === '=' && value !== null && target.kind === 'name' && MIDDLEWARE_SETTINGS.includes(target.id),
  );
  const last = assignments.at(-1);
  return last?.target.kind === 'name' && last.value ? { name: last.target.id, value: last.value, range: last.range } : undefined;
}

function configurationClassNamed(project: Project, name: string): ConfigurationClass | undefined {
  const site = project.findDefinition(name);
  return site?.definition.kind === 'class' ? { ...site, name } : undefined;
}

/**
 * A list or tuple of strings, `+` of such parts, and `Base.MIDDLEWARE` of another configuration
 * class; an entry or part that cannot be read leaves the list open. `undefined` when nothing can be read.
 */
function listValue(project: Project, site: ConfigurationClass, expr: Expr, depth: number): { entries: string[]; open: boolean } | undefined {
  if (expr.kind === 'list' || expr.kind === 'tuple') {
    const values = expr.items.map((item) => (item.kind === 'starred' ? undefined : stringValue(project, { module: site.module, scope: site.definition.bodyScope, expr: item })));
    return { entries: values.filter((value): value is string => value !== undefined), open: values.some((value) => value === undefined) };
  }
  if (expr.kind === 'binary' && expr.operator === '+') {
    const parts = [listValue(project, site, expr.left, depth), listValue(project, site, expr.right, depth)];
    const known = parts.filter((part) => part !== undefined);
    if (known.length === 0) return undefined;
    return { entries: known.flatMap((part) => part.entries), open: known.length < parts.length || known.some((part) => part.open) };
  }
  if (expr.kind === 'attribute' && MIDDLEWARE_SETTINGS.includes(expr.attribute)) {
    const className = project.resolve(site.module, expr.object, site.definition.scope);
    const base = className === undefined ? undefined : configurationClassNamed(project, className);
    const inherited = base && middlewareOf(project, base, depth + 1);
    return inherited && { entries: inherited.entries, open: inherited.open };
  }
  return undefined;
}
