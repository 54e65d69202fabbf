import type { Assignment, Binding, Definition, Expr } from '../python/facts.js';
import { MODULE_SCOPE } from '../python/facts.js';
import { canonicalExternalName, classCreatedBy, LIBRARY_SUBCLASSES, packagesReachedWithoutImport, UNBOUND_NAME_MEANINGS } from './known-names.js';
import { PYTHON_BUILTINS } from './python-builtins.js';
import { modulesReplaced, type Reads, ResolutionReads, stillHolds } from './resolution-reads.js';
import type { ScriptFile, TemplateFile } from './scanned-file.js';
import type { SourceModule } from './source-module.js';
import { joinName } from './symbols.js';
import { dereference, type ValueSite } from './values.js';

export interface DefinitionSite {
  module: SourceModule;
  definition: Definition;
}

export interface AssignmentSite {
  module: SourceModule;
  assignment: Assignment;
}

/** A class of a scanned module; `order` is its place among every module's classes. */
interface ClassSite extends DefinitionSite {
  order: number;
}

/** Where a qualified name is bound: a name in one scope of one scanned module. */
interface BindingSite {
  module: SourceModule;
  scope: number;
  name: string;
}

/** How a project follows the one a long-lived process (the language server) held before it. */
export interface ProjectLineage {
  /** Note which modules each resolution reads, so that the next project can reuse it. */
  remembersReads?: boolean;
  /**
   * The project this one replaces, with some modules' facts replaced: its resolutions that read
   * none of those modules are reused (and this one remembers what it reads in turn).
   */
  previous?: Project;
}

/** Where an expression is resolved: its scope, and the line when bindings after it must not count. */
type Place = number | string;

/** An expression's canonical name, and the modules resolving it read (undefined: not to be reused by another project). */
interface Resolution {
  name: string | undefined;
  reads: Reads | undefined;
}

/** Import chains and aliases in real code are short; the bound only stops cycles. */
const MAX_RESOLUTION_STEPS = 32;
const MAX_VALUE_DEPTH = 8;

/**
 * The scanned modules seen together: qualified names are followed through imports, re-exports,
 * star imports and aliases from one module to another, so rules compare canonical names such as
 * `flask_wtf.csrf.CSRFProtect` whatever the spelling at the use site.
 */
export class Project {
  private readonly modulesByName = new Map<string, SourceModule[]>();
  private attributeAssignments: Map<string, AssignmentSite[]> | undefined;
  /** Assignments by the name they bind, with the modules finding them read. */
  private readonly assignmentsByName = new Map<string, { sites: AssignmentSite[]; reads: Reads | undefined }>();
  /** Rules ask about the same names again and again; the project does not change once built. */
  private readonly canonicalNames = new Map<string, string>();
  private readonly resolvedExpressions = new WeakMap<Expr, Map<Place, Resolution>>();
  private aliases: Map<string, Set<string>> | undefined;
  private packagesUsed: Set<string> | undefined;
  private packagesReached: Set<string> | undefined;
  private readonly classFamilies = new Map<string, Set<string>>();
  /** Scanned classes by the last identifier of each base (`views.View` under `View`). */
  private classesByBase: Map<string, ClassSite[]> | undefined;
  /** Functions and classes by canonical name, with the modules finding them read: callers ask for the same few again and again. */
  private readonly definitions = new Map<string, { site: DefinitionSite | undefined; reads: Reads | undefined }>();
  /** Each module's part of the alias index, with the modules finding it read. */
  private readonly moduleAliases = new Map<SourceModule, { aliases: ReadonlyArray<{ target: string; name: string }>; reads: Reads | undefined }>();
  /** What each remembered resolution read (undefined: not to be reused), when the next project may reuse them. */
  private readonly reads: ResolutionReads | undefined;
  private readonly canonicalReads = new Map<string, Reads | undefined>();
  /** The previous project, whose resolutions hold here unless they read one of the `replaced` modules. */
  private inherited: { project: Project; replaced: ReadonlySet<string> } | undefined;

  /** Every scanned module; `modules` is the same list, noted as read by every module when looked at. */
  private readonly everyModule: readonly SourceModule[];

  constructor(
    modules: readonly SourceModule[],
    readonly templates: readonly TemplateFile[] = [],
    readonly scripts: readonly ScriptFile[] = [],
    lineage: ProjectLineage = {},
  ) {
    this.everyModule = modules;
    for (const module of modules) {
      for (const name of new Set([module.key, module.name, ...module.aliases])) {
        const sameName = this.modulesByName.get(name);
        if (sameName) sameName.push(module);
        else this.modulesByName.set(name, [module]);
      }
    }
    if (lineage.remembersReads || lineage.previous) this.reads = new ResolutionReads();
    const replaced = lineage.previous?.reads ? modulesReplaced(lineage.previous.everyModule, modules) : undefined;
    if (lineage.previous && replaced) {
      this.inherited = { project: lineage.previous, replaced };
      // One generation back is enough: what the previous project did not ask for is found again if asked.
      lineage.previous.inherited = undefined;
    }
  }

  /**
   * The scanned modules. Work that goes through them all (a rule's share of one module that looks
   * at every other) read every module: it is not kept across an edit.
   */
  get modules(): readonly SourceModule[] {
    this.reads?.noteEveryModuleRead();
    return this.everyModule;
  }

  /**
   * A scanned module by dotted name. Several projects in one tree may each have a `settings`
   * module: the one nearest to `near` (same import root, then the longest shared path) wins.
   */
  moduleNamed(name: string, near?: SourceModule): SourceModule | undefined {
    const found = this.nearestNamed(name, near);
    if (found) this.reads?.noteRead(found);
    return found;
  }

  private nearestNamed(name: string, near?: SourceModule): SourceModule | undefined {
    const candidates = this.modulesByName.get(name);
    if (!candidates || candidates.length === 1 || !near) return candidates?.[0];
    const sameRoot = candidates.filter((candidate) => candidate.root === near.root);
    const pool = sameRoot.length > 0 ? sameRoot : candidates;
    return pool.reduce((best, candidate) => (sharedPrefixLength(candidate.absolutePath, near.absolutePath) > sharedPrefixLength(best.absolutePath, near.absolutePath) ? candidate : best));
  }

  /**
   * Whether some module imports the top-level package `name` (or something in it), or is part of
   * it: no name can resolve into a package that is neither, so a rule about it has nothing to find.
   */
  usesPackage(name: string): boolean {
    this.reads?.noteEveryModuleRead();
    this.packagesUsed ??= this.topLevelPackages();
    return this.packagesUsed.has(name);
  }

  /**
   * Whether a name of the code can resolve to `qualifiedName` or into its top-level package: false
   * when no module imports that package, is part of it, or uses a name that means something in it
   * unimported. Rules ask it before searching the project for what such a name marks.
   */
  mayReferTo(qualifiedName: string): boolean {
    const topLevel = qualifiedName.split('.', 1)[0]!;
    this.reads?.noteEveryModuleRead();
    this.packagesUsed ??= this.topLevelPackages();
    this.packagesReached ??= new Set(['builtins', ...packagesReachedWithoutImport(this.packagesUsed)]);
    return this.packagesUsed.has(topLevel) || this.packagesReached.has(topLevel);
  }

  private topLevelPackages(): Set<string> {
    const packages = new Set<string>();
    const add = (qualifiedName: string) => packages.add(qualifiedName.split('.', 1)[0]!);
    for (const module of this.everyModule) {
      for (const name of [module.key, module.name, ...module.aliases]) add(name);
      for (const statement of module.facts.imports) {
        const base = module.symbols.importedModule(statement);
        if (base === undefined) continue;
        if (base !== '') add(base);
        const from = statement.kind === 'import' ? '' : base;
        for (const imported of statement.names) add(joinName(from, imported.importedName));
      }
    }
    return packages;
  }

  /** The canonical qualified name of a name or attribute chain used in `module`. */
  resolve(module: SourceModule, expr: Expr, scope: number, line?: number): string | undefined {
    if (expr.kind !== 'name' && expr.kind !== 'attribute') return undefined;
    let byPlace = this.resolvedExpressions.get(expr);
    if (!byPlace) {
      byPlace = new Map();
      this.resolvedExpressions.set(expr, byPlace);
    }
    // A number, not text, in the common case: resolving is the hottest path of the rules.
    const place = line === undefined ? scope : `${scope}:${line}`;
    const known = byPlace.get(place);
    if (known) {
      this.reads?.noteReused(known.reads);
      return known.name;
    }
    const reused = this.reusedResolution(expr, place);
    if (reused) {
      this.reads!.noteReused(reused.reads);
      byPlace.set(place, reused);
      return reused.name;
    }
    const { value, reads } = this.tracked(() => {
      this.reads?.noteRead(module);
      const raw = this.rawQualifiedName(module, expr, scope, line);
      return raw === undefined ? undefined : this.canonical(raw, module);
    });
    byPlace.set(place, { name: value, reads });
    return value;
  }

  /**
   * Runs `compute` (a rule's share of work for one module), and tells what it read when a language
   * server's next project may reuse its answer: `undefined` otherwise, or when it must not be reused.
   */
  trackReads<T>(compute: () => T): { value: T; reads: Reads | undefined } {
    return this.tracked(compute);
  }

  /**
   * Something built from many modules and kept outside the project was looked at (pluggy's hook
   * implementations, Django's URL tree, a module's credential evidence): what looks at it is not kept across an edit.
   */
  noteEveryModuleRead(): void {
    this.reads?.noteEveryModuleRead();
  }

  /** Whether this project remembers what its resolutions read, for the next project to reuse them. */
  get remembersReads(): boolean {
    return this.reads !== undefined;
  }

  /**
   * The project this one follows, when its answers that read none of the modules replaced since
   * (`holdsHere`) hold in this one too.
   */
  get predecessor(): Project | undefined {
    return this.inherited?.project;
  }

  /** Whether an answer of the predecessor that read `reads` holds here; using it is noted as reading what it read. */
  holdsHere(reads: Reads | undefined): reads is Reads {
    const inherited = this.inherited;
    if (!inherited || !stillHolds(reads, inherited.replaced)) return false;
    this.reads?.noteReused(reads);
    return true;
  }

  /** Runs a resolution, noting what it reads when the next project may reuse it. */
  private tracked<T>(resolve: () => T): { value: T; reads: Reads | undefined } {
    return this.reads ? this.reads.track(resolve) : { value: resolve(), reads: undefined };
  }

  /** The previous project's resolution of an expression of an unchanged module, when it read no replaced module. */
  private reusedResolution(expr: Expr, place: Place): Resolution | undefined {
    const inherited = this.inherited;
    const resolution = inherited?.project.resolvedExpressions.get(expr)?.get(place);
    return inherited && resolution && stillHolds(resolution.reads, inherited.replaced) ? resolution : undefined;
  }

  /** The qualified name an assignment target binds, before following aliases. */
  targetName(module: SourceModule, target: Expr, scope: number): string | undefined {
    if (target.kind === 'name') {
      const binding = module.symbols.lookup(target.id, scope);
      return binding ? module.symbols.definedName(binding) : undefined;
    }
    if (target.kind === 'attribute') {
      const object = this.resolve(module, target.object, scope);
      return object === undefined ? undefined : `${object}.${target.attribute}`;
    }
    return undefined;
  }

  private rawQualifiedName(module: SourceModule, expr: Expr, scope: number, line?: number): string | undefined {
    if (expr.kind === 'name') return this.nameInModule(module, expr.id, scope, line);
    if (expr.kind !== 'attribute') return undefined;
    const object = this.resolve(module, expr.object, scope, line);
    return object === undefined ? undefined : `${object}.${expr.attribute}`;
  }

  private nameInModule(module: SourceModule, name: string, scope: number, line?: number): string | undefined {
    const binding = module.symbols.lookup(name, scope, line);
    if (binding) return this.bindingName(module, binding);
    if (PYTHON_BUILTINS.has(name)) return `builtins.${name}`;
    return this.starImportedName(module, name, 0) ?? UNBOUND_NAME_MEANINGS.get(name);
  }

  private bindingName(module: SourceModule, binding: Binding): string | undefined {
    return binding.kind === 'import' ? module.symbols.importTarget(binding) : module.symbols.definedName(binding);
  }

  /** Follows a qualified name through imports, re-exports and aliases to where it is defined. */
  canonical(qualifiedName: string, near?: SourceModule): string {
    const key = near ? `${near.root}\0${qualifiedName}` : qualifiedName;
    const known = this.canonicalNames.get(key);
    if (known !== undefined) {
      // Known but without reads noted yet: the name is still being followed (see below).
      if (this.canonicalReads.has(key)) this.reads?.noteReused(this.canonicalReads.get(key));
      else this.reads?.noteCycle();
      return known;
    }
    const reused = this.reusedCanonical(key);
    if (reused !== undefined) return reused;
    // A name that is its own alias (`app = app.child`) asks for itself again while it is being
    // followed; the second asker gets the name unfollowed instead of recursing without end.
    this.canonicalNames.set(key, qualifiedName);
    const { value, reads } = this.tracked(() => this.followToDefinition(qualifiedName, near));
    this.canonicalNames.set(key, value);
    if (this.reads) this.canonicalReads.set(key, reads);
    return value;
  }

  /** The previous project's canonical name, when following it read no replaced module. */
  private reusedCanonical(key: string): string | undefined {
    const inherited = this.inherited;
    const reads = inherited?.project.canonicalReads.get(key);
    if (!inherited || !stillHolds(reads, inherited.replaced)) return undefined;
    const value = inherited.project.canonicalNames.get(key)!;
    this.canonicalNames.set(key, value);
    this.canonicalReads.set(key, reads);
    this.reads!.noteReused(reads);
    return value;
  }

  private followToDefinition(qualifiedName: string, near?: SourceModule): string {
    let current = qualifiedName;
    const seen = new Set<string>();
    for (let step = 0; step < MAX_RESOLUTION_STEPS && !seen.has(current); step++) {
      seen.add(current);
      const next = this.followOnce(current, near);
      if (next === undefined) break;
      current = next;
    }
    return canonicalExternalName(current);
  }

  private followOnce(qualifiedName: string, near?: SourceModule): string | undefined {
    const split = this.splitAtModule(qualifiedName, near);
    if (!split) return undefined;
    const { module, rest } = split;
    const inCanonicalName = joinName(module.key, rest.join('.'));
    if (inCanonicalName !== qualifiedName) return inCanonicalName;
    if (rest.length === 0) return undefined;
    const [first, ...tail] = rest as [string, ...string[]];
    const binding = module.symbols.lookup(first, MODULE_SCOPE);
    if (!binding) {
      const starred = this.starImportedName(module, first, 0);
      return starred === undefined ? undefined : joinName(starred, tail.join('.'));
    }
    const target = this.aliasTarget(module, binding);
    // `from .admin import admin` in a package whose `admin` submodule was not loaded: following it would only lengthen the name.
    if (target === undefined || (target.startsWith(`${qualifiedName}.`) && !this.moduleNamed(qualifiedName, near))) return undefined;
    return joinName(target, tail.join('.'));
  }

  /** What a module-level binding stands for when it only renames something else. */
  private aliasTarget(module: SourceModule, binding: Binding): string | undefined {
    if (binding.kind === 'import') return module.symbols.importTarget(binding);
    if (binding.kind !== 'assignment' || binding.assignmentIndex === undefined) return undefined;
    if (module.symbols.bindingsIn(MODULE_SCOPE, binding.name).length !== 1) return undefined;
    const assignment = module.facts.assignments[binding.assignmentIndex];
    const value = assignment?.value;
    if (!assignment || assignment.operator !== '=' || !value || (value.kind !== 'name' && value.kind !== 'attribute')) return undefined;
    return this.rawQualifiedName(module, value, MODULE_SCOPE, assignment.range.line);
  }

  /** Whether a qualified name lies inside a scanned module (as opposed to a library). */
  isScannedName(qualifiedName: string): boolean {
    return this.splitAtModule(qualifiedName) !== undefined;
  }

  /** Splits `pkg.mod.Class.attr` into the longest prefix naming a scanned module and the rest. */
  private splitAtModule(qualifiedName: string, near?: SourceModule): { module: SourceModule; rest: string[] } | undefined {
    for (let end = qualifiedName.length; end > 0; end = qualifiedName.lastIndexOf('.', end - 1)) {
      const module = this.moduleNamed(qualifiedName.slice(0, end), near);
      if (!module) continue;
      if (end < qualifiedName.length) return { module, rest: qualifiedName.slice(end + 1).split('.') };
      return this.packageBindingOver(qualifiedName, near) ?? { module, rest: [] };
    }
    return undefined;
  }

  /**
   * `from .Order import Order` in `api/__init__.py` rebinds `api.Order` from the submodule to the
   * class, as Python does once the package is imported: the package's own binding of the name, when
   * the name is a submodule the package binds to something else. Only the name itself: in
   * `api.Order.Order`, the import's own target, `api.Order` is the submodule.
   */
  private packageBindingOver(submoduleName: string, near?: SourceModule): { module: SourceModule; rest: string[] } | undefined {
    const packageEnd = submoduleName.lastIndexOf('.');
    if (packageEnd < 0) return undefined;
    const parent = this.moduleNamed(submoduleName.slice(0, packageEnd), near);
    const name = submoduleName.slice(packageEnd + 1);
    const bindings = parent?.symbols.bindingsIn(MODULE_SCOPE, name) ?? [];
    const bindsSubmodule = (binding: Binding) => binding.kind === 'import' && parent!.symbols.importTarget(binding) === submoduleName;
    if (!parent || bindings.length === 0 || bindings.some(bindsSubmodule)) return undefined;
    return { module: parent, rest: [name] };
  }

  /** `from x import *` brings in `name`: the scanned module that defines it, or the one outside module imported. */
  private starImportedName(module: SourceModule, name: string, depth: number): string | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const outside: string[] = [];
    const starImports = module.facts.imports.filter((statement) => statement.star && statement.scope === MODULE_SCOPE);
    for (const statement of starImports.reverse()) {
      const source = module.symbols.importedModule(statement);
      if (source === undefined) continue;
      const sourceModule = this.moduleNamed(source, module);
      if (!sourceModule) {
        outside.push(source);
        continue;
      }
      if (sourceModule.symbols.bindingsIn(MODULE_SCOPE, name).length > 0) return `${source}.${name}`;
      const deeper = this.starImportedName(sourceModule, name, depth + 1);
      if (deeper !== undefined) return deeper;
    }
    return outside.length === 1 ? `${outside[0]}.${name}` : undefined;
  }

  /** Where a qualified name is bound in the scanned code (`pkg.mod.Class.attr`, `pkg.mod.f.<locals>.x`). */
  private bindingSite(qualifiedName: string): BindingSite | undefined {
    const split = this.splitAtModule(qualifiedName);
    if (!split || split.rest.length === 0) return undefined;
    const { module, rest } = split;
    let scope = MODULE_SCOPE;
    for (let index = 0; index < rest.length - 1; index++) {
      const part = rest[index]!;
      if (part === '<locals>') continue;
      const definition = this.definitionBound(module, scope, part);
      if (!definition) return undefined;
      scope = definition.bodyScope;
    }
    return { module, scope, name: rest[rest.length - 1]! };
  }

  private definitionBound(module: SourceModule, scope: number, name: string): Definition | undefined {
    const binding = module.symbols.bindingsIn(scope, name).findLast((candidate) => candidate.definitionIndex !== undefined);
    return binding?.definitionIndex === undefined ? undefined : module.facts.definitions[binding.definitionIndex];
  }

  /** The class or function a canonical qualified name refers to, when it is in the scanned code. */
  findDefinition(qualifiedName: string): DefinitionSite | undefined {
    const known = this.definitions.get(qualifiedName) ?? this.reusedDefinition(qualifiedName);
    if (known) {
      this.reads?.noteReused(known.reads);
      this.definitions.set(qualifiedName, known);
      return known.site;
    }
    const { value, reads } = this.tracked(() => this.definitionNamed(qualifiedName));
    this.definitions.set(qualifiedName, { site: value, reads });
    return value;
  }

  /** The previous project's definition of a name, when finding it read no replaced module. */
  private reusedDefinition(qualifiedName: string): { site: DefinitionSite | undefined; reads: Reads | undefined } | undefined {
    const inherited = this.inherited;
    const found = inherited?.project.definitions.get(qualifiedName);
    return inherited && found && stillHolds(found.reads, inherited.replaced) ? found : undefined;
  }

  private definitionNamed(qualifiedName: string): DefinitionSite | undefined {
    const site = this.bindingSite(qualifiedName);
    if (!site) return undefined;
    const definition = this.definitionBound(site.module, site.scope, site.name);
    return definition ? { module: site.module, definition } : undefined;
  }

  /**
   * The assignments that bind what an expression names where it is used: for a local name, that
   * scope's assignments to it; for an imported name or an attribute, those of its canonical name.
   */
  assignmentsOf(module: SourceModule, expr: Expr, scope: number): AssignmentSite[] {
    if (expr.kind === 'name') {
      const binding = module.symbols.lookup(expr.id, scope);
      if (binding && binding.kind !== 'import') {
        return module.symbols.bindingsIn(binding.scope, expr.id).flatMap((candidate) => {
          const assignment = candidate.assignmentIndex === undefined ? undefined : module.facts.assignments[candidate.assignmentIndex];
          return assignment ? [{ module, assignment }] : [];
        });
      }
    }
    const name = this.resolve(module, expr, scope);
    return name === undefined ? [] : this.assignmentsTo(name);
  }

  /** A method of a scanned class, its own or inherited from a scanned base. */
  findMethod(className: string, methodName: string): DefinitionSite | undefined {
    let found: DefinitionSite | undefined;
    this.inheritsFrom(className, (name) => {
      const site = this.findDefinition(`${name}.${methodName}`);
      if (site?.definition.kind === 'function') found = site;
      return found !== undefined;
    });
    return found;
  }

  /** Every assignment to a qualified name: `name = ...` in its scope and `obj.attr = ...` anywhere. */
  assignmentsTo(qualifiedName: string): AssignmentSite[] {
    const known = this.assignmentsByName.get(qualifiedName);
    if (known) {
      this.reads?.noteReused(known.reads);
      return [...known.sites];
    }
    const { value, reads } = this.tracked(() => this.findAssignmentsTo(qualifiedName));
    this.assignmentsByName.set(qualifiedName, { sites: value, reads });
    return [...value];
  }

  private findAssignmentsTo(qualifiedName: string): AssignmentSite[] {
    const sites: AssignmentSite[] = [];
    const site = this.bindingSite(qualifiedName);
    if (site) {
      for (const binding of site.module.symbols.bindingsIn(site.scope, site.name)) {
        const assignment = binding.assignmentIndex === undefined ? undefined : site.module.facts.assignments[binding.assignmentIndex];
        if (assignment) sites.push({ module: site.module, assignment });
      }
    }
    const attribute = qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1);
    this.reads?.noteAttributeRead(attribute);
    for (const candidate of this.attributeAssignmentIndex().get(attribute) ?? []) {
      const { module, assignment } = candidate;
      if (this.targetName(module, assignment.target, assignment.scope) === qualifiedName) sites.push(candidate);
    }
    return sites;
  }

  /**
   * `obj.attr = ...` assignments by attribute: only those to the attribute asked about have their
   * object resolved, and most attributes (`self.x`) are never asked about.
   */
  private attributeAssignmentIndex(): Map<string, AssignmentSite[]> {
    if (this.attributeAssignments) return this.attributeAssignments;
    const index = new Map<string, AssignmentSite[]>();
    for (const module of this.everyModule) {
      for (const assignment of module.facts.assignments) {
        if (assignment.target.kind !== 'attribute') continue;
        const list = index.get(assignment.target.attribute);
        if (list) list.push({ module, assignment });
        else index.set(assignment.target.attribute, [{ module, assignment }]);
      }
    }
    this.attributeAssignments = index;
    return index;
  }

  /**
   * The identifiers under which any of `canonicalNames` may be used anywhere in the project: the
   * last part of each name, and every name it is imported or aliased as. A cheap test that lets
   * rules skip the many calls and decorators that cannot be what they look for.
   */
  identifiersFor(canonicalNames: Iterable<string>): Set<string> {
    this.reads?.noteEveryModuleRead();
    const index = this.aliasIndex();
    const identifiers = new Set<string>();
    for (const name of canonicalNames) {
      identifiers.add(name.slice(name.lastIndexOf('.') + 1));
      for (const alias of index.get(name) ?? []) identifiers.add(alias);
    }
    return identifiers;
  }

  private aliasIndex(): Map<string, Set<string>> {
    if (this.aliases) return this.aliases;
    const index = new Map<string, Set<string>>();
    for (const module of this.everyModule) {
      for (const { target, name } of this.aliasesIn(module)) {
        const names = index.get(target) ?? new Set<string>();
        names.add(name);
        index.set(target, names);
      }
    }
    this.aliases = index;
    return index;
  }

  /** The names a module binds to other things by import or plain `x = y` at module level, with the canonical name each renames. */
  private aliasesIn(module: SourceModule): ReadonlyArray<{ target: string; name: string }> {
    const known = this.moduleAliases.get(module) ?? this.reusedAliases(module);
    if (known) {
      this.reads?.noteReused(known.reads);
      this.moduleAliases.set(module, known);
      return known.aliases;
    }
    const { value, reads } = this.tracked(() => {
      const aliases: Array<{ target: string; name: string }> = [];
      for (const binding of module.facts.bindings) {
        const isAlias = binding.kind === 'import' || (binding.kind === 'assignment' && binding.scope === MODULE_SCOPE);
        const target = isAlias ? this.aliasOf(module, binding) : undefined;
        if (target !== undefined) aliases.push({ target, name: binding.name });
      }
      return aliases;
    });
    this.moduleAliases.set(module, { aliases: value, reads });
    return value;
  }

  /** The previous project's aliases of an unchanged module, when finding them read no replaced module. */
  private reusedAliases(module: SourceModule): { aliases: ReadonlyArray<{ target: string; name: string }>; reads: Reads | undefined } | undefined {
    const inherited = this.inherited;
    const found = inherited?.project.moduleAliases.get(module);
    return inherited && found && stillHolds(found.reads, inherited.replaced) ? found : undefined;
  }

  /** The canonical name an import or a plain `x = y` binding renames. */
  private aliasOf(module: SourceModule, binding: Binding): string | undefined {
    if (binding.kind === 'import') {
      const target = module.symbols.importTarget(binding);
      return target === undefined ? undefined : this.canonical(target, module);
    }
    const assignment = binding.assignmentIndex === undefined ? undefined : module.facts.assignments[binding.assignmentIndex];
    const value = assignment?.operator === '=' ? assignment.value : undefined;
    if (!assignment || !value || (value.kind !== 'name' && value.kind !== 'attribute')) return undefined;
    return this.resolve(module, value, assignment.scope);
  }

  /** `rootClasses` and every scanned class that inherits from one of them, by canonical name. */
  classFamily(rootClasses: ReadonlySet<string>): Set<string> {
    this.reads?.noteEveryModuleRead();
    const key = [...rootClasses].sort().join('\0');
    let family = this.classFamilies.get(key);
    if (!family) {
      family = this.findClassFamily(rootClasses);
      this.classFamilies.set(key, family);
    }
    return new Set(family);
  }

  private findClassFamily(rootClasses: ReadonlySet<string>): Set<string> {
    const family = new Set(rootClasses);
    for (const libraryClass of LIBRARY_SUBCLASSES.keys()) if (this.isSubclassOf(libraryClass, rootClasses)) family.add(libraryClass);
    // A class inherits from a library's class only through a name that resolves into the library.
    if (![...family].some((name) => this.mayReferTo(name))) return family;
    for (let grown = true; grown; ) {
      grown = false;
      for (const { module, definition } of this.classesWithBaseNamed(this.identifiersFor(family))) {
        const name = module.symbols.definitionName(definition);
        if (family.has(name) || !this.isSubclassOf(name, rootClasses)) continue;
        family.add(name);
        grown = true;
      }
    }
    return family;
  }

  /** The scanned classes with a base whose last identifier is one of `identifiers`, in the order of the modules. */
  private classesWithBaseNamed(identifiers: ReadonlySet<string>): ClassSite[] {
    const index = this.classBaseIndex();
    const found = new Set<ClassSite>();
    for (const identifier of identifiers) for (const site of index.get(identifier) ?? []) found.add(site);
    return [...found].sort((a, b) => a.order - b.order);
  }

  private classBaseIndex(): Map<string, ClassSite[]> {
    if (this.classesByBase) return this.classesByBase;
    const index = new Map<string, ClassSite[]>();
    let order = 0;
    for (const module of this.everyModule) {
      for (const definition of module.facts.definitions) {
        if (definition.kind !== 'class') continue;
        const site = { module, definition, order: order++ };
        for (const identifier of new Set(definition.bases.map((base) => finalIdentifier(genericOrigin(base.value)) ?? ''))) {
          const sites = index.get(identifier);
          if (sites) sites.push(site);
          else index.set(identifier, [site]);
        }
      }
    }
    this.classesByBase = index;
    return index;
  }

  /** Whether a class (canonical name) is one of `bases` or inherits from one, through scanned classes. */
  isSubclassOf(className: string, bases: ReadonlySet<string>): boolean {
    return this.inheritsFrom(className, (name) => bases.has(name));
  }

  /** Whether a class (canonical name) or one of its ancestors, followed through scanned classes, matches. */
  inheritsFrom(className: string, matches: (name: string) => boolean, seen = new Set<string>()): boolean {
    if (matches(className)) return true;
    if (seen.has(className) || seen.size > MAX_RESOLUTION_STEPS) return false;
    seen.add(className);
    const site = this.findDefinition(className);
    if (site?.definition.kind !== 'class') {
      const libraryBase = site ? undefined : LIBRARY_SUBCLASSES.get(className);
      return libraryBase !== undefined && this.inheritsFrom(libraryBase, matches, seen);
    }
    return site.definition.bases.some((base) => {
      if (base.name !== undefined || base.unpack) return false;
      const baseName = this.resolve(site.module, genericOrigin(base.value), site.definition.scope, site.definition.range.line);
      return baseName !== undefined && this.inheritsFrom(baseName, matches, seen);
    });
  }

  /** The classes an expression may be an instance of: `X()` and `Generic[T]()` calls, and names assigned from them. */
  instanceClasses(module: SourceModule, expr: Expr, scope: number, depth = 0): string[] {
    if (depth > MAX_VALUE_DEPTH) return [];
    if (expr.kind === 'call') {
      const created = expr.callee.kind === 'subscript' ? expr.callee.object : expr.callee;
      const callee = this.resolve(module, created, scope, expr.range.line);
      return callee === undefined ? [] : [classCreatedBy(callee)];
    }
    if (expr.kind !== 'name' && expr.kind !== 'attribute') return [];
    return this.assignmentsOf(module, expr, scope).flatMap(({ module: owner, assignment }) => {
      const values = assignment.operator === 'in' ? this.loopValues(owner, assignment) : assignment.value ? [{ module: owner, scope: assignment.scope, expr: assignment.value }] : [];
      const fromValue = values.flatMap((value) => this.instanceClasses(value.module, value.expr, value.scope, depth + 1));
      const annotated = assignment.annotation ? this.resolve(owner, assignment.annotation, assignment.scope) : undefined;
      return annotated === undefined ? fromValue : [...fromValue, annotated];
    });
  }

  /**
   * What an expression may stand for: for the target of a `for` loop (`for bp in (a, b):`), each
   * item it takes; otherwise the expression itself.
   */
  possibleValues(module: SourceModule, expr: Expr, scope: number): Array<{ module: SourceModule; scope: number; expr: Expr }> {
    if (expr.kind === 'name') {
      const loops = this.assignmentsOf(module, expr, scope).filter(({ assignment }) => assignment.operator === 'in');
      if (loops.length > 0) return loops.flatMap(({ module: owner, assignment }) => this.loopValues(owner, assignment));
    }
    return [{ module, scope, expr }];
  }

  /** What the target of a `for` loop takes: each item of a list the code writes, or its part for `for path, view in ROUTES:`. */
  loopValues(module: SourceModule, loop: Assignment): Array<{ module: SourceModule; scope: number; expr: Expr }> {
    const items = this.iteratedItems(module, loop);
    return loop.unpackIndex === undefined ? items : items.flatMap((item) => itemPart(dereference(this, item), loop.unpackIndex!));
  }

  /** The items a `for` loop iterates over, when the code writes them. */
  iteratedItems(module: SourceModule, loop: Assignment): Array<{ module: SourceModule; scope: number; expr: Expr }> {
    return this.itemsOf(module, loop.value, loop.scope);
  }

  /** The items of a list, tuple or set display, directly or through a name bound once to one. */
  private itemsOf(module: SourceModule, expr: Expr | null, scope: number, depth = 0): Array<{ module: SourceModule; scope: number; expr: Expr }> {
    if (!expr || depth > MAX_VALUE_DEPTH) return [];
    if (expr.kind === 'list' || expr.kind === 'tuple' || expr.kind === 'set') return expr.items.map((item) => ({ module, scope, expr: item }));
    if (expr.kind !== 'name' && expr.kind !== 'attribute') return [];
    const [only, ...others] = this.assignmentsOf(module, expr, scope);
    if (!only || others.length > 0 || only.assignment.operator !== '=') return [];
    return this.itemsOf(only.module, only.assignment.value, only.assignment.scope, depth + 1);
  }

  /** Whether an expression is an instance of one of `classes` or of a subclass. */
  isInstanceOf(module: SourceModule, expr: Expr, scope: number, classes: ReadonlySet<string>): boolean {
    return this.instanceClasses(module, expr, scope).some((className) => this.isSubclassOf(className, classes));
  }
}

/** The `index`th part of a tuple or list item: `view` of `("/path", view)`. */
export function itemPart(item: ValueSite, index: number): ValueSite[] {
  if (item.expr.kind !== 'tuple' && item.expr.kind !== 'list') return [];
  const part = item.expr.items[index];
  return part && part.kind !== 'starred' ? [{ ...item, expr: part }] : [];
}

function sharedPrefixLength(first: string, second: string): number {
  let length = 0;
  while (length < first.length && first[length] === second[length]) length++;
  return length;
}

/**
 * Whether a callee's canonical name speaks of CSRF (`flask_wtf.csrf.validate_csrf`, `ext.csrf.protect`,
 * `CSRFCheck`), or of XSRF, Tornado's word for it (`check_xsrf_cookie`). Only the part after the
 * enclosing function counts: inside `def enforce_csrf`, a local `request.META.get` is named
 * `...enforce_csrf.<locals>.request.META.get`.
 */
export function namesCsrf(canonicalName: string): boolean {
  const local = canonicalName.lastIndexOf('.<locals>.');
  return /csrf|xsrf/i.test(local < 0 ? canonicalName : canonicalName.slice(local + '.<locals>.'.length));
}

/** The identifier a name or attribute chain ends with (`Flask` in `flask.Flask`), if it is one. */
/** `ModelViewSet[Document]` as a base: Python subclasses `ModelViewSet` (`__mro_entries__` gives the class the alias stands for). */
function genericOrigin(base: Expr): Expr {
  return base.kind === 'subscript' ? base.object : base;
}

export function finalIdentifier(expr: Expr): string | undefined {
  if (expr.kind === 'name') return expr.id;
  if (expr.kind === 'attribute') return expr.attribute;
  return undefined;
}
