/** A `{{ ... }}` expression or a `{% ... %}` statement of a Django or Jinja template. */
export interface TemplateTag {
  kind: 'expression' | 'statement';
  /** Offset of the opening `{{` or `{%`. */
  start: number;
  /** Offset just after the closing `}}` or `%}`. */
  end: number;
  /** What lies between the delimiters, without whitespace control (`-`, `+`) and outer spaces. */
  content: string;
  /**
   * It inserts markup built elsewhere, which may hold a token field or a submit button: Chameleon's
   * `${structure: form}`, `tal:replace="structure ..."`, `metal:use-macro`, `metal:define-slot`.
   */
  opaque?: true;
}

/** A template's text seen through its template syntax. */
export interface TemplateSource {
  text: string;
  /**
   * The text as HTML to a tokenizer: comments blanked, and the inside of every template tag filled,
   * so that `<form {% if n > 1 %}...` does not end the start tag at the `>` of the condition. Every
   * offset, line and column is the same as in `text`.
   */
  markup: string;
  /** The template tags outside comments, in order. */
  tags: TemplateTag[];
}

/** Where a template construct opens; comments are checked first so that their content is never read as tags. */
const OPENER = /\{\{|\{%|\{#|<!--/g;

const CLOSER: Record<string, string> = { '{{': '}}', '{%': '%}', '{#': '#}', '<!--': '-->' };

/** Django's block comment: everything up to `{% endcomment %}` is dropped, tags included. */
const DJANGO_COMMENT_END = /\{%-?\s*endcomment\s*-?%\}/g;

/**
 * Splits a template into its tags and comments: HTML comments (`<!-- -->`), Jinja and Django comments
 * (`{# #}`, `{% comment %}...{% endcomment %}`) render nothing a browser submits, so a form or a token
 * inside one does not exist for the rule.
 */
export function readTemplateSource(text: string): TemplateSource {
  const markup = text.split('');
  const tags: TemplateTag[] = [];
  const closers = new NextOccurrence(text);
  OPENER.lastIndex = 0;
  for (let opener = OPENER.exec(text); opener; opener = OPENER.exec(text)) {
    const start = opener.index;
    const closer = closers.after(CLOSER[opener[0]]!, start + opener[0].length);
    // An opener that is never closed is text, as in `"<!--"` inside a script.
    if (closer < 0) continue;
    let end = closer + CLOSER[opener[0]]!.length;
    if (opener[0] === '{{' || opener[0] === '{%') {
      const tag: TemplateTag = { kind: opener[0] === '{{' ? 'expression' : 'statement', start, end, content: tagContent(text.slice(start + 2, closer)) };
      if (tag.kind === 'statement' && statementName(tag) === 'comment') {
        end = djangoCommentEnd(text, end);
        blank(markup, start, end);
      } else {
        tags.push(tag);
        fill(markup, start + 2, closer);
      }
    } else {
      blank(markup, start, end);
    }
    OPENER.lastIndex = end;
  }
  return { text, markup: markup.join(''), tags };
}

/**
 * `indexOf` that remembers its last answer for each needle: openers come in order, so a later
 * search starts at or after the earlier one and reuses its answer while it lies ahead. Without it,
 * 100,000 unclosed `{#` each scan to the end of the text.
 */
class NextOccurrence {
  private readonly found = new Map<string, { from: number; at: number }>();

  constructor(private readonly text: string) {}

  after(needle: string, from: number): number {
    const known = this.found.get(needle);
    if (known && known.from <= from && (known.at < 0 || known.at >= from)) return known.at;
    const at = this.text.indexOf(needle, from);
    this.found.set(needle, { from, at });
    return at;
  }
}

/** How far back from a template tag the start of the HTML tag it may sit in is looked for. */
const MAX_TAG_LOOKBACK = 1000;

/**
 * Whether a template tag sits inside an HTML start tag (`<input value="{{ x }}">`), where what it
 * renders is an attribute value and not an element: the nearest `<` before it comes after the
 * nearest `>`.
 */
export function isInsideStartTag(source: TemplateSource, offset: number): boolean {
  const before = source.markup.slice(Math.max(0, offset - MAX_TAG_LOOKBACK), offset);
  return before.lastIndexOf('<') > before.lastIndexOf('>');
}

/** The first word of a statement: `csrf_token` in `{% csrf_token %}`, `macro` in `{% macro field(f) %}`. */
export function statementName(tag: TemplateTag): string {
  return /^[A-Za-z_]\w*/.exec(tag.content)?.[0] ?? '';
}

/** What follows the first word of a statement. */
export function statementArguments(tag: TemplateTag): string {
  return tag.content.slice(statementName(tag).length).trim();
}

function tagContent(inner: string): string {
  return inner.replace(/^[-+]/, '').replace(/[-+]$/, '').trim();
}

/** An unclosed `{% comment %}` runs to the end of the template, as Django reads it. */
function djangoCommentEnd(text: string, from: number): number {
  DJANGO_COMMENT_END.lastIndex = from;
  const match = DJANGO_COMMENT_END.exec(text);
  return match ? match.index + match[0].length : text.length;
}

/** Line breaks stay, so that lines and columns do not move. */
export function blank(characters: string[], start: number, end: number): void {
  for (let index = start; index < end; index++) if (characters[index] !== '\n' && characters[index] !== '\r') characters[index] = ' ';
}

/** A word character keeps an unquoted attribute value in one piece. */
export function fill(characters: string[], start: number, end: number): void {
  for (let index = start; index < end; index++) if (characters[index] !== '\n' && characters[index] !== '\r') characters[index] = '_';
}
