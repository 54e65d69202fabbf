import type { Node } from 'web-tree-sitter';
import { rangeOf } from './expressions.js';
import type { SyntaxProblem } from './facts.js';
import { typeOf } from './node-type.js';
import { parsePython } from './parser.js';

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
      if (continuesAnAnnotation(node)) continue;
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

/**
 * tree-sitter-python reads an annotation that starts with a subscript as a generic type, which no
 * operator may follow: the valid `-> Tuple[Token, User] or None` (archesproject/arches) leaves
 * `or None` as an error beside the annotation. That error is none when the annotation and it,
 * parenthesised, parse as one expression; annotations give no facts, so nothing else is lost.
 */
function continuesAnAnnotation(error: Node): boolean {
  const annotation = annotationBefore(error);
  if (!annotation) return false;
  const expression = parsePython(`(${annotation.text} ${error.text})\n`);
  try {
    const root = expression.rootNode;
    return !root.hasError && root.namedChildCount === 1 && root.firstNamedChild?.type === 'expression_statement';
  } finally {
    expression.delete();
  }
}

/** The annotation just before a node: a return type or a variable's (`type`), or a typed parameter's last part. */
function annotationBefore(node: Node): Node | undefined {
  const previous = node.previousNamedSibling;
  if (previous?.type === 'type') return previous;
  const last = previous?.type === 'typed_parameter' ? previous.lastNamedChild : undefined;
  return last?.type === 'type' ? last : undefined;
}
