import type { Node, Tree } from 'web-tree-sitter';
import type { TextEdit } from './fix.js';

/** The assignment statements (`target = value`, one per statement) that start on a 1-based line. */
export function assignmentsOnLine(tree: Tree, line: number): Node[] {
  const found: Node[] = [];
  const visit = (node: Node) => {
    if (node.startPosition.row > line - 1 || node.endPosition.row < line - 1) return;
    if (node.type === 'expression_statement' && node.startPosition.row === line - 1) {
      const only = node.namedChildCount === 1 ? node.namedChild(0) : null;
      if (only?.type === 'assignment' && only.childForFieldName('type') === null) found.push(node);
      return;
    }
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(tree.rootNode);
  return found;
}

export function assignmentParts(statement: Node): { target: Node; value: Node } | undefined {
  const assignment = statement.namedChild(0);
  const target = assignment?.childForFieldName('left');
  const value = assignment?.childForFieldName('right');
  return target && value ? { target, value } : undefined;
}

/** The text of a plain string literal (no f-string, no concatenation), or undefined. */
export function stringValue(node: Node): string | undefined {
  if (node.type !== 'string') return undefined;
  const parts = node.namedChildren.filter((child) => child !== null);
  if (parts.some((part) => part.type === 'interpolation' || part.type === 'escape_sequence')) return undefined;
  return parts.filter((part) => part.type === 'string_content').map((part) => part.text).join('');
}

/**
 * Deletes a statement that stands alone on its lines, with its line break; when it is the only
 * statement of its block, `pass` takes its place so that the block stays valid Python.
 * Undefined when another statement shares its lines (`a = 1; b = 2`).
 */
export function deleteStatement(statement: Node, text: string): TextEdit | undefined {
  const previous = statement.previousSibling;
  const next = statement.nextSibling;
  if (previous && previous.endPosition.row === statement.startPosition.row && previous.type !== 'comment') return undefined;
  if (next && next.startPosition.row === statement.endPosition.row && next.type !== 'comment') return undefined;
  const lineStart = statement.startIndex - statement.startPosition.column;
  const lineBreak = text.indexOf('\n', statement.endIndex);
  const end = lineBreak < 0 ? text.length : lineBreak + 1;
  const block = statement.parent;
  const isOnlyStatement = block?.type === 'block' && block.namedChildren.filter((child) => child !== null && child.type !== 'comment').length === 1;
  if (isOnlyStatement) return { start: statement.startIndex, end: statement.endIndex, newText: 'pass' };
  return { start: lineStart, end, newText: '' };
}
