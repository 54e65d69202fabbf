import type { FormToken } from '../templates/form-token.js';
import { type Fix, type FixableFinding, indentationOf, lineBreakOf, lineStarts, lineText } from './fix.js';

/** What each token looks like in the form, and the fix's title. */
const TOKEN_MARKUP: Readonly<Record<FormToken, { markup: string; title: string }>> = {
  'django-csrf-token-tag': { markup: '{% csrf_token %}', title: 'Add {% csrf_token %} to the form' },
  'flask-wtf-hidden-input': { markup: '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">', title: 'Add a hidden csrf_token input ({{ csrf_token() }}) to the form' },
};

/**
 * Adds the token as the first child of a form whose server checks every post (Django's middleware
 * or `@csrf_protect`, a Flask app's CSRFProtect): the post is rejected without it, so the fix only
 * mends the form. Which token is the finding's `expectedToken`, judged from the project model; a
 * Django tag is not offered in a Jinja2 template, which renders the token differently.
 */
export function addCsrfToken(finding: FixableFinding, text: string, templatePath: string): Fix | undefined {
  const token = finding.expectedToken;
  // A Chameleon template renders neither token as written.
  if (token === undefined || templatePath.endsWith('.pt') || (token === 'django-csrf-token-tag' && /(^|\/)jinja2\//.test(templatePath))) return undefined;
  const starts = lineStarts(text);
  const tagStart = offsetOf(starts, finding.line, finding.column);
  const tagEnd = offsetOf(starts, finding.endLine, finding.endColumn);
  if (tagStart === undefined || tagEnd === undefined || !/^<form\b/i.test(text.slice(tagStart, tagStart + 6)) || text[tagEnd - 1] !== '>') return undefined;
  const { markup, title } = TOKEN_MARKUP[token];
  return { title, applicability: 'safe', edits: [{ start: tagEnd, end: tagEnd, newText: afterTag(markup, text, starts, finding, tagEnd) }] };
}

/** On its own line, indented as the form's first child, when the tag ends its line. */
function afterTag(markup: string, text: string, starts: readonly number[], finding: FixableFinding, tagEnd: number): string {
  if (!/^\r?\n/.test(text.slice(tagEnd, tagEnd + 2))) return markup;
  const formIndentation = indentationOf(lineText(text, starts, finding.line));
  const nextLine = lineText(text, starts, finding.endLine + 1);
  const childIndentation = indentationOf(nextLine);
  const indentation = childIndentation.length > formIndentation.length && nextLine.trim() !== '' ? childIndentation : `${formIndentation}  `;
  return `${lineBreakOf(text)}${indentation}${markup}`;
}

function offsetOf(starts: readonly number[], line: number, column: number): number | undefined {
  const start = starts[line - 1];
  return start === undefined ? undefined : start + column - 1;
}
