import type { Tree } from 'web-tree-sitter';
import { type Fix, type FixableFinding, indentationOf, lineBreakOf, lineStarts, lineText } from './fix.js';

/** Typed over by the user: a suppression should say why the finding does not apply. */
export const REASON_PLACEHOLDER = '<reason>';

/**
 * `# csrflint: ignore[rule] -- <reason>` at the end of the finding's line, or on a line of its own
 * above it when the line ends inside a string or continues with `\`. Not offered on a line that
 * already has a directive: a second one in the same comment would be read as the first's reason.
 */
export function pythonSuppression(finding: FixableFinding, text: string, tree: Tree): Fix | undefined {
  const starts = lineStarts(text);
  const line = lineText(text, starts, finding.line);
  if (/csrflint:\s*ignore/i.test(line) || starts[finding.line - 1] === undefined) return undefined;
  const comment = `# csrflint: ignore[${finding.rule}] -- ${REASON_PLACEHOLDER}`;
  const lineStart = starts[finding.line - 1]!;
  const lineEnd = lineStart + line.length;
  if (endsInsideString(tree, lineEnd) || line.trimEnd().endsWith('\\')) {
    return suppressionFix(finding, { start: lineStart, end: lineStart, newText: `${indentationOf(line)}${comment}${lineBreakOf(text)}` });
  }
  const kept = line.trimEnd().length;
  return suppressionFix(finding, { start: lineStart + kept, end: lineEnd, newText: `  ${comment}` });
}

/** `{# csrflint: ignore[rule] -- <reason> #}` at the end of the finding's first line. */
export function templateSuppression(finding: FixableFinding, text: string): Fix | undefined {
  const starts = lineStarts(text);
  const line = lineText(text, starts, finding.line);
  if (/csrflint:\s*ignore/i.test(line) || starts[finding.line - 1] === undefined) return undefined;
  const lineStart = starts[finding.line - 1]!;
  const kept = line.trimEnd().length;
  return suppressionFix(finding, { start: lineStart + kept, end: lineStart + line.length, newText: ` {# csrflint: ignore[${finding.rule}] -- ${REASON_PLACEHOLDER} #}` });
}

function suppressionFix(finding: FixableFinding, edit: Fix['edits'][number]): Fix {
  return { title: `Ignore ${finding.rule} on this line`, applicability: 'suppression', edits: [edit] };
}

/** A multi-line string or f-string is open at `offset`: a `#` there would be part of the string. */
function endsInsideString(tree: Tree, offset: number): boolean {
  for (let node = tree.rootNode.descendantForIndex(Math.max(0, offset - 1)); node; node = node.parent) {
    if (node.type === 'string' || node.type === 'concatenated_string') return node.endIndex > offset;
  }
  return false;
}
