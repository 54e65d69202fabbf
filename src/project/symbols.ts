import type { Binding, Definition, ImportStatement, ModuleFacts } from '../python/facts.js';
import { MODULE_SCOPE } from '../python/facts.js';
import { relativeImportBase } from './module-names.js';

interface ModuleIdentity {
  /** The dotted import name, for relative imports. */
  name: string;
  /**
   * The name its definitions are qualified with: the import name, made unique when several
   * scanned projects hold a module of the same name (`app`, `app@2`).
   */
  key: string;
  isPackage: boolean;
}

/**
 * The names of one module and the scopes they live in, resolved as Python does (local, enclosing
 * functions, module; class bodies are not enclosing scopes for the functions inside them).
 */
export class ModuleSymbols {
  private readonly bindingsByScope = new Map<number, Map<string, Binding[]>>();
  private readonly definitionsByBodyScope = new Map<number, Definition>();
  private readonly scopeQualifiedNames: string[] = [];
  private childScopesByParent: Map<number, number[]> | undefined;
  private readonly itemsByScope = new WeakMap<readonly unknown[], Map<number, unknown[]>>();

  constructor(
    readonly identity: ModuleIdentity,
    readonly facts: ModuleFacts,
  ) {
    for (const binding of facts.bindings) this.addBinding(binding);
    for (const definition of facts.definitions) this.definitionsByBodyScope.set(definition.bodyScope, definition);
    for (const scope of facts.scopes) this.scopeQualifiedNames.push(this.computeScopeQualifiedName(scope.id));
  }

  private addBinding(binding: Binding): void {
    let scopeBindings = this.bindingsByScope.get(binding.scope);
    if (!scopeBindings) {
      scopeBindings = new Map();
      this.bindingsByScope.set(binding.scope, scopeBindings);
    }
    const list = scopeBindings.get(binding.name);
    if (list) list.push(binding);
    else scopeBindings.set(binding.name, [binding]);
  }

  private computeScopeQualifiedName(scopeId: number): string {
    const scope = this.facts.scopes[scopeId]!;
    if (scope.parent === null) return this.identity.key;
    const parent = this.scopeQualifiedNames[scope.parent] ?? this.computeScopeQualifiedName(scope.parent);
    return scope.kind === 'function' ? `${parent}.${scope.name}.<locals>` : `${parent}.${scope.name}`;
  }

  /** The dotted prefix of names bound in a scope: `pkg.mod`, `pkg.mod.Class`, `pkg.mod.func.<locals>`. */
  scopeQualifiedName(scopeId: number): string {
    return this.scopeQualifiedNames[scopeId] ?? this.identity.key;
  }

  /** The qualified name of a class or function defined in this module (`pkg.mod.Class.method`). */
  definitionName(definition: Definition): string {
    return `${this.scopeQualifiedName(definition.scope)}.${definition.name}`;
  }

  /** The class or function whose body is this scope. */
  definitionOfScope(scopeId: number): Definition | undefined {
    return this.definitionsByBodyScope.get(scopeId);
  }

  /**
   * A scope and the scopes of the functions and classes defined inside it, at any depth, in time
   * proportional to their number: rules ask this for every view of a module.
   */
  scopesWithin(outer: number): Set<number> {
    const scopes = new Set([outer]);
    for (const scope of scopes) for (const child of this.childScopes().get(scope) ?? []) scopes.add(child);
    return scopes;
  }

  /**
   * The items of a list of module facts (calls, returns, assignments...) that sit in `outer` or
   * in a scope inside it, without reading the whole list for each question.
   */
  itemsWithin<T extends { scope: number }>(items: readonly T[], outer: number): T[] {
    let byScope = this.itemsByScope.get(items) as Map<number, T[]> | undefined;
    if (!byScope) {
      byScope = new Map();
      for (const item of items) {
        const list = byScope.get(item.scope);
        if (list) list.push(item);
        else byScope.set(item.scope, [item]);
      }
      this.itemsByScope.set(items, byScope);
    }
    const found: T[] = [];
    for (const scope of this.scopesWithin(outer)) found.push(...(byScope.get(scope) ?? []));
    return found;
  }

  private childScopes(): Map<number, number[]> {
    if (!this.childScopesByParent) {
      this.childScopesByParent = new Map();
      for (const scope of this.facts.scopes) {
        if (scope.parent === null) continue;
        const children = this.childScopesByParent.get(scope.parent);
        if (children) children.push(scope.id);
        else this.childScopesByParent.set(scope.parent, [scope.id]);
      }
    }
    return this.childScopesByParent;
  }

  bindingsIn(scopeId: number, name: string): Binding[] {
    return this.bindingsByScope.get(scopeId)?.get(name) ?? [];
  }

  /** The binding a name refers to when used at `line` in `scopeId`, or `undefined` if unbound. */
  lookup(name: string, scopeId: number, line?: number): Binding | undefined {
    const bindingScope = this.scopeBinding(name, scopeId);
    if (bindingScope === undefined) return undefined;
    const sameScope = bindingScope === scopeId;
    return chooseBinding(this.bindingsIn(bindingScope, name), sameScope ? line : undefined);
  }

  /** The scope whose binding of `name` is visible from `scopeId`. */
  private scopeBinding(name: string, scopeId: number): number | undefined {
    const start = this.facts.scopes[scopeId];
    if (start?.globals.includes(name)) return this.bindingsIn(MODULE_SCOPE, name).length > 0 ? MODULE_SCOPE : undefined;
    let current: typeof start | undefined = start;
    let isStart = true;
    while (current) {
      const visible = isStart || current.kind !== 'class';
      if (visible && this.bindingsIn(current.id, name).length > 0 && !current.nonlocals.includes(name)) return current.id;
      isStart = false;
      current = current.parent === null ? undefined : this.facts.scopes[current.parent];
    }
    return undefined;
  }

  /** What an import binding stands for, as an absolute dotted name. */
  importTarget(binding: Binding): string | undefined {
    const statement = binding.importIndex === undefined ? undefined : this.facts.imports[binding.importIndex];
    const imported = statement?.names.find((name) => name.boundName === binding.name);
    if (!statement || !imported) return undefined;
    if (statement.kind === 'import') return imported.importedName;
    const from = this.importedModule(statement);
    return from === undefined ? undefined : joinName(from, imported.importedName);
  }

  /** The absolute name of the module an import statement of this module loads: `a.b` of `import a.b`, `pkg.views` of `from .views import x` in `pkg`. */
  importedModule(statement: ImportStatement): string | undefined {
    return statement.kind === 'import' ? statement.module : this.absoluteModule(statement.module, statement.level);
  }

  /** The absolute name of a module named in a `from` import of this module. */
  absoluteModule(module: string, level: number): string | undefined {
    if (level === 0) return module;
    const base = relativeImportBase(this.identity.name, this.identity.isPackage, level);
    if (base === undefined) return undefined;
    return joinName(base, module);
  }

  /**
   * The qualified name a non-import binding defines: `pkg.mod.name`, `pkg.mod.Class.attr`, or for
   * the first parameter of a method (`self`, `cls`), the class itself.
   */
  definedName(binding: Binding): string {
    if (binding.kind === 'parameter') {
      const owner = this.methodOwner(binding);
      if (owner !== undefined) return owner;
    }
    return `${this.scopeQualifiedName(binding.scope)}.${binding.name}`;
  }

  private methodOwner(binding: Binding): string | undefined {
    const method = this.definitionOfScope(binding.scope);
    if (!method || method.kind !== 'function' || method.parameters[0]?.name !== binding.name) return undefined;
    if (this.facts.scopes[method.scope]?.kind !== 'class') return undefined;
    if (method.decorators.some((decorator) => decorator.expression.kind === 'name' && decorator.expression.id === 'staticmethod')) return undefined;
    return this.scopeQualifiedName(method.scope);
  }
}

/**
 * Python runs a scope top to bottom, so a use sees the last binding above it; a use from a nested
 * function runs later and sees the last one. A binding that always runs beats a conditional one
 * (`try: import x` over its `except ImportError:` fallback).
 */
function chooseBinding(candidates: Binding[], useLine: number | undefined): Binding | undefined {
  const before = useLine === undefined ? candidates : candidates.filter((binding) => binding.line <= useLine);
  const pool = before.length > 0 ? before : candidates;
  for (let index = pool.length - 1; index >= 0; index--) {
    if (!pool[index]!.conditional) return pool[index];
  }
  return pool[0];
}

export function joinName(prefix: string, name: string): string {
  if (prefix === '') return name;
  if (name === '') return prefix;
  return `${prefix}.${name}`;
}
