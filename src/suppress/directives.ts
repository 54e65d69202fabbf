import type { DirectiveComment } from '../python/facts.js';

/** A comment that silences findings on its line, or on the next line when it stands alone. */
export interface Suppression {
  line: number;
  /** Where the comment starts and ends on its line (1-based, end exclusive), for findings about it. */
  column: number;
  endColumn: number;
  /** Rule ids or codes, as written; `undefined` silences every rule (`# csrflint: ignore`). */
  rules: string[] | undefined;
  reason: string | undefined;
  kind: 'csrflint' | 'noqa';
  /** The comment is the only thing on its line, so it also speaks for the line below. */
  standsAlone: boolean;
}

/** The start of `csrflint: ignore[rule-a, CSRF102] -- reason`, in a Python, Jinja or HTML comment. */
const CSRFLINT_IGNORE = /csrflint:\s*ignore/gi;
/** What may close the comment after the directive. */
const COMMENT_ENDS = ['#}', '-->'];
/** `noqa: CSRF102, E501`: only csrflint's codes count, and a bare `noqa` silences nothing here. */
const NOQA_DIRECTIVE = /\bnoqa:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)/i;
const CSRF_CODE = /^CSRF\d{3}$/i;
const MOST_DIRECTIVE_TRIES = 4;
/** Where a template comment opens, and the word that makes it a directive (a global regex, searched from an index). */
const COMMENT_OPENING = /\{#|<!--/;
const CSRFLINT_WORD = /csrflint/gi;

export function parseDirective(comment: DirectiveComment, lineText: string | undefined): Suppression | undefined {
  const standsAlone = lineText !== undefined && /^\s*(#|\{#|<!--)/.test(lineText);
  // The comment runs to the end of its line, so its last occurrence there is the comment itself.
  const start = Math.max(0, lineText?.lastIndexOf(comment.text) ?? 0);
  const place = { line: comment.line, column: start + 1, endColumn: start + 1 + comment.text.trimEnd().length };
  const csrflint = csrflintDirective(comment.text);
  if (csrflint) {
    const rules = csrflint.rules?.split(',').map((rule) => rule.trim()).filter((rule) => rule !== '');
    return { ...place, rules: rules && rules.length > 0 ? rules : undefined, reason: csrflint.reason || undefined, kind: 'csrflint', standsAlone };
  }
  const noqa = NOQA_DIRECTIVE.exec(comment.text);
  const codes = noqa?.[1]?.split(',').map((code) => code.trim()).filter((code) => CSRF_CODE.test(code));
  if (!codes || codes.length === 0) return undefined;
  return { ...place, rules: codes, reason: undefined, kind: 'noqa', standsAlone };
}

/**
 * The first `csrflint: ignore` that the rest of the comment completes: `[rules]`, `-- reason`,
 * the comment's end. Read by hand, not by one regex: a regex of optional blanks around a lazy
 * reason backtracks cubically on a comment padded with blanks.
 */
function csrflintDirective(text: string): { rules: string | undefined; reason: string | undefined } | undefined {
  let tried = 0;
  for (const match of text.matchAll(CSRFLINT_IGNORE)) {
    const directive = directiveAfter(text.slice(match.index + match[0].length));
    if (directive) return directive;
    // Each try reads the rest of the comment: a few keep a comment of repeated directives linear.
    if (++tried === MOST_DIRECTIVE_TRIES) return undefined;
  }
  return undefined;
}

function directiveAfter(rest: string): { rules: string | undefined; reason: string | undefined } | undefined {
  let rules: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return undefined;
    rules = rest.slice(1, close);
    rest = rest.slice(close + 1);
  }
  const tail = rest.trim();
  if (tail === '' || COMMENT_ENDS.includes(tail)) return { rules, reason: undefined };
  if (!tail.startsWith('--') || /[\n\r\u2028\u2029]/.test(tail)) return undefined;
  const body = tail.slice(2).trim();
  const end = COMMENT_ENDS.find((ending) => body.endsWith(ending));
  return { rules, reason: (end ? body.slice(0, -end.length) : body).trim() };
}

/**
 * Template comments (`{# ... #}`, `<!-- ... -->`) that mention csrflint, found line by line. The
 * word is looked for once after the first comment opening: `/(\{#|<!--).*csrflint/` would rescan
 * the rest of the line from every `{#` and take minutes on a line of 100k of them.
 */
export function templateDirectives(text: string): DirectiveComment[] {
  const directives: DirectiveComment[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    const opening = COMMENT_OPENING.exec(line);
    if (!opening) return;
    CSRFLINT_WORD.lastIndex = opening.index + opening[0].length;
    if (CSRFLINT_WORD.test(line)) directives.push({ line: index + 1, text: line.slice(opening.index) });
  });
  return directives;
}

/** Whether a suppression speaks for a finding of `rule` (id or code) on `line`. */
export function covers(suppression: Suppression, rule: { id: string; code: string }, line: number): boolean {
  const onLine = suppression.line === line || (suppression.standsAlone && suppression.line === line - 1);
  if (!onLine) return false;
  if (!suppression.rules) return true;
  return suppression.rules.some((name) => name.toLowerCase() === rule.id || name.toUpperCase() === rule.code);
}
