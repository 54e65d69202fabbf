import type { Node } from 'web-tree-sitter';

/** A node whose type has been read once. */
type TypedNode = Node & { knownType?: string };

/** A node's type. Each read of `Node.type` is a call into WebAssembly, and the walk asks most nodes twice or more. */
export function typeOf(node: Node): string {
  const typed = node as TypedNode;
  return (typed.knownType ??= node.type);
}
