import type { Node } from 'web-tree-sitter';
import { rangeOf } from './expressions.js';
import type { SyntaxProblem } from './facts.js';
import { typeOf } from './node-type.js';

/** Enough to point at the first mistakes; a badly broken file would otherwise list thousands. */
const MAX_PROBLEMS = 10;

/** The places where tree-sitter recovered from a syntax error, visiting only subtrees that hold one. */
export function findSyntaxProblems(root: Node): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  if (!root.hasError) return problems;
  const pending: Node[] = [root];
  while (pending.length > 0 && problems.length < MAX_PROBLEMS) {
    const node = pending.pop()!;
    if (node.isMissing) {
      problems.push({ range: rangeOf(node), kind: 'missing', token: typeOf(node) });
    } else if (node.isError) {
      problems.push({ range: rangeOf(node), kind: 'unexpected', token: node.firstChild?.type ?? 'text' });
    } else {
      pushChildrenWithErrors(node, pending);
    }
  }
  return problems.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
}

/** Pushed in reverse so that problems come off the stack in source order. */
function pushChildrenWithErrors(node: Node, pending: Node[]): void {
  const children = node.children;
  for (let index = children.length - 1; index >= 0; index--) {
    const child = children[index];
    if (child && (child.hasError || child.isMissing)) pending.push(child);
  }
}
