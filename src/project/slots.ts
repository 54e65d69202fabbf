/**
 * Names that hold the same object, grouped (union-find). A slot is a qualified name (`pkg.app`,
 * `pkg.Api.app`, `pkg.create_app.<locals>.app`) or a function's return value (`pkg.create_app()`).
 */
export class SlotGroups {
  private readonly parents = new Map<string, string>();

  find(slot: string): string {
    let root = slot;
    for (let parent = this.parents.get(root); parent !== undefined && parent !== root; parent = this.parents.get(root)) root = parent;
    for (let current = slot; current !== root; ) {
      const next = this.parents.get(current)!;
      this.parents.set(current, root);
      current = next;
    }
    return root;
  }

  union(first: string, second: string): void {
    const a = this.find(first);
    const b = this.find(second);
    if (a !== b) this.parents.set(a, b);
  }

  same(first: string, second: string): boolean {
    return this.find(first) === this.find(second);
  }

  /** The last parts of the slots in some groups (`app` for `pkg.create_app.<locals>.app`). */
  identifiersIn(roots: ReadonlySet<string>): Set<string> {
    const identifiers = new Set<string>();
    for (const slot of [...this.parents.keys(), ...roots]) {
      if (!roots.has(this.find(slot))) continue;
      const name = slot.endsWith('()') ? slot.slice(0, -2) : slot;
      identifiers.add(name.slice(name.lastIndexOf('.') + 1));
    }
    return identifiers;
  }
}

export function returnSlot(functionName: string): string {
  return `${functionName}()`;
}
