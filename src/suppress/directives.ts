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

/** `csrflint: ignore[rule-a, CSRF102] -- reason`, in a Python, Jinja or HTML comment. */
const CSRFLINT_DIRECTIVE = /csrflint:\s*ignore(?:\[([^\]]*)\])?(?:\s*--\s*(.*?))?\s*(?:#\}|-->)?\s*$/i;
/** `noqa: CSRF102, E501`: only csrflint's codes count, and a bare `noqa` silences nothing here. */
const NOQA_DIRECTIVE = /\bnoqa:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)/i;
const CSRF_CODE = /^CSRF\d{3}$/i;

export function parseDirective(comment: DirectiveComment, lineText: string | undefined): Suppression | undefined {
  const standsAlone = lineText !== undefined && /^\s*(#|\{#|<!--)/.test(lineText);
  // The comment runs to the end of its line, so its last occurrence there is the comment itself.
  const start = Math.max(0, lineText?.lastIndexOf(comment.text) ?? 0);
  const place = { line: comment.line, column: start + 1, endColumn: start + 1 + comment.text.trimEnd().length };
  const csrflint = CSRFLINT_DIRECTIVE.exec(comment.text);
  if (csrflint) {
    const rules = csrflint[1]?.split(',').map((rule) => rule.trim()).filter((rule) => rule !== '');
    const reason = csrflint[2]?.trim();
    return { ...place, rules: rules && rules.length > 0 ? rules : undefined, reason: reason || undefined, kind: 'csrflint', standsAlone };
  }
  const noqa = NOQA_DIRECTIVE.exec(comment.text);
  const codes = noqa?.[1]?.split(',').map((code) => code.trim()).filter((code) => CSRF_CODE.test(code));
  if (!codes || codes.length === 0) return undefined;
  return { ...place, rules: codes, reason: undefined, kind: 'noqa', standsAlone };
}

/** Template comments (`{# ... #}`, `<!-- ... -->`) that mention csrflint, found line by line. */
export function templateDirectives(text: string): DirectiveComment[] {
  const directives: DirectiveComment[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    if (/(\{#|<!--).*csrflint/i.test(line)) directives.push({ line: index + 1, text: line.slice(line.search(/\{#|<!--/)) });
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
