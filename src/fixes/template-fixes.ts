import { type Fix, type FixableFinding, indentationOf, lineBreakOf, lineStarts, lineText } from './fix.js';

/** The rule's message when Django's middleware checks the post: the form is broken, not a hole. */
const CHECKED_BY_DJANGO = "Django's CsrfViewMiddleware checks every post";

/**
 * Adds `{% csrf_token %}` as the first child of a Django template form that posts to a view
 * Django's middleware protects: the post is rejected without it, so the fix only mends the form.
 * Not offered for Jinja2 templates, which render the token differently.
 */
export function addCsrfTokenTag(finding: FixableFinding, text: string, templatePath: string): Fix | undefined {
  if (!finding.message.includes(CHECKED_BY_DJANGO) || /(^|\/)jinja2\//.test(templatePath)) return undefined;
  const starts = lineStarts(text);
  const tagStart = offsetOf(starts, finding.line, finding.column);
  const tagEnd = offsetOf(starts, finding.endLine, finding.endColumn);
  if (tagStart === undefined || tagEnd === undefined || !/^<form\b/i.test(text.slice(tagStart, tagStart + 6)) || text[tagEnd - 1] !== '>') return undefined;
  return { title: 'Add {% csrf_token %} to the form', applicability: 'safe', edits: [{ start: tagEnd, end: tagEnd, newText: tokenAfterTag(text, starts, finding, tagEnd) }] };
}

/** On its own line, indented as the form's first child, when the tag ends its line. */
function tokenAfterTag(text: string, starts: readonly number[], finding: FixableFinding, tagEnd: number): string {
  if (!/^\r?\n/.test(text.slice(tagEnd, tagEnd + 2))) return '{% csrf_token %}';
  const formIndentation = indentationOf(lineText(text, starts, finding.line));
  const nextLine = lineText(text, starts, finding.endLine + 1);
  const childIndentation = indentationOf(nextLine);
  const indentation = childIndentation.length > formIndentation.length && nextLine.trim() !== '' ? childIndentation : `${formIndentation}  `;
  return `${lineBreakOf(text)}${indentation}{% csrf_token %}`;
}

function offsetOf(starts: readonly number[], line: number, column: number): number | undefined {
  const start = starts[line - 1];
  return start === undefined ? undefined : start + column - 1;
}
