import type { Node, Tree } from 'web-tree-sitter';
import { type Fix, type FixableFinding, indentationOf, lineBreakOf, lineStarts, lineText } from './fix.js';
import { DJANGO } from '../project/known-names.js';
import { assignmentParts, assignmentsOnLine, stringValue } from './python-statements.js';

const SESSION_MIDDLEWARE = 'django.contrib.sessions.middleware.SessionMiddleware';

/**
 * Adds `CsrfViewMiddleware` right after `SessionMiddleware` in a `MIDDLEWARE` list or tuple
 * written out in the settings. Unsafe: every POST without a token is rejected from then on,
 * API clients included.
 */
export function addCsrfMiddleware(finding: FixableFinding, text: string, tree: Tree): Fix | undefined {
  for (const statement of assignmentsOnLine(tree, finding.line)) {
    const parts = assignmentParts(statement);
    if (!parts || parts.target.type !== 'identifier' || !/^MIDDLEWARE(_CLASSES)?$/.test(parts.target.text)) continue;
    if (parts.value.type !== 'list' && parts.value.type !== 'tuple') continue;
    const entries = parts.value.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
    if (entries.some((entry) => stringValue(entry) === DJANGO.csrfMiddlewareClass)) continue;
    const session = entries.find((entry) => stringValue(entry) === SESSION_MIDDLEWARE);
    if (!session) continue;
    return { title: `Add '${DJANGO.csrfMiddlewareClass}' after SessionMiddleware (changes behaviour: posts without a token are rejected)`, applicability: 'unsafe', edits: [insertionAfter(session, text)] };
  }
  return undefined;
}

/** On a line of its own when the session entry has one, else right after it, in the same quotes. */
function insertionAfter(session: Node, text: string): Fix['edits'][number] {
  const quote = session.text.startsWith("'") ? "'" : '"';
  const entry = `${quote}${DJANGO.csrfMiddlewareClass}${quote}`;
  const comma = session.nextSibling?.type === ',' ? session.nextSibling : null;
  const after = comma ? comma.endIndex : session.endIndex;
  const next = (comma ?? session).nextSibling;
  const ownsLine = next === null || next.startPosition.row > session.endPosition.row;
  if (!ownsLine || session.startPosition.row === session.parent!.startPosition.row) return { start: after, end: after, newText: comma ? ` ${entry},` : `, ${entry}` };
  const indentation = indentationOf(lineText(text, lineStarts(text), session.startPosition.row + 1));
  return { start: after, end: after, newText: `${comma ? '' : ','}${lineBreakOf(text)}${indentation}${entry}${comma ? ',' : ''}` };
}
