import { blank, fill, type TemplateSource, type TemplateTag } from './template-syntax.js';

/** Chameleon's page templates (Zope Page Templates): Pyramid renders them with pyramid_chameleon. */
export const CHAMELEON_EXTENSION = '.pt';

/** `tal:replace="..."` or `metal:use-macro="..."` up to its opening quote; the value is read by hand. */
const PREFIXED_ATTRIBUTE = /(?<![\w:-])(tal|metal):([\w-]+)\s*=\s*(["'])/g;
/** `<tal:block` or `<metal:slot`: an element of the namespace, whose attributes are the namespace's without a prefix. */
const NAMESPACE_ELEMENT = /<(tal|metal):[\w-]+/g;
/** One attribute of such an element, up to its opening quote. */
const ELEMENT_ATTRIBUTE = /\s+([\w:-]+)\s*=\s*(["'])/y;

/** METAL attributes whose element is replaced by markup of another template, or of the page using this macro. */
const MACRO_INSERTIONS = new Set(['use-macro', 'extend-macro', 'define-slot']);
/** TAL attributes that insert their value, as markup when it starts with `structure`. */
const VALUE_INSERTIONS = new Set(['replace', 'content']);

/**
 * A Chameleon template seen as the token finder sees a Jinja one: each `${...}` expression is a tag
 * (the inside filled in the markup), and each attribute that inserts markup built elsewhere
 * (`${structure: x}`, `tal:replace="structure x"`, `metal:use-macro`, `metal:define-slot`) is an
 * opaque tag. HTML comments are blanked: a form in one is never submitted.
 */
export function readChameleonSource(text: string): TemplateSource {
  const markup = text.split('');
  blankComments(text, markup);
  const inComment = (offset: number) => markup[offset] !== text[offset];
  const tags = [...expressionTags(text, markup, inComment), ...attributeTags(text, inComment)].sort((first, second) => first.start - second.start);
  return { text, markup: markup.join(''), tags };
}

function blankComments(text: string, markup: string[]): void {
  for (let start = text.indexOf('<!--'); start >= 0; ) {
    const close = text.indexOf('-->', start + 4);
    const end = close < 0 ? text.length : close + 3;
    blank(markup, start, end);
    start = text.indexOf('<!--', end);
  }
}

/** `${context.title}`, `${structure: form}`: an unclosed one ends the search, as the rest is text. */
function expressionTags(text: string, markup: string[], inComment: (offset: number) => boolean): TemplateTag[] {
  const tags: TemplateTag[] = [];
  for (let start = text.indexOf('${'); start >= 0; ) {
    const close = closingBrace(text, start + 2);
    if (close < 0) break;
    if (!inComment(start)) {
      const inner = text.slice(start + 2, close).trim();
      const structure = /^structure\s*:/.exec(inner);
      tags.push(structure ? { kind: 'expression', start, end: close + 1, content: inner.slice(structure[0].length).trim(), opaque: true } : { kind: 'expression', start, end: close + 1, content: inner });
      fill(markup, start + 2, close);
    }
    start = text.indexOf('${', close + 1);
  }
  return tags;
}

/** The `}` that closes an expression's `{`, counting nested braces; -1 when there is none. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let index = from; index < text.length; index++) {
    const character = text[index];
    if (character === '{') depth++;
    else if (character === '}' && depth-- === 0) return index;
  }
  return -1;
}

/** TAL and METAL attributes that insert markup: prefixed ones anywhere, plain ones on a `<tal:...>` or `<metal:...>` element. */
function attributeTags(text: string, inComment: (offset: number) => boolean): TemplateTag[] {
  const values = new AttributeValues(text);
  const tags: TemplateTag[] = [];
  for (const match of text.matchAll(PREFIXED_ATTRIBUTE)) {
    const valueStart = match.index + match[0].length;
    const tag = insertionTag(match[1]!, match[2]!, match.index, valueStart, values.closing(match[3]!, valueStart), text);
    if (tag && !inComment(match.index)) tags.push(tag);
  }
  for (const element of text.matchAll(NAMESPACE_ELEMENT)) {
    if (inComment(element.index)) continue;
    let offset = element.index + element[0].length;
    for (;;) {
      ELEMENT_ATTRIBUTE.lastIndex = offset;
      const attribute = ELEMENT_ATTRIBUTE.exec(text);
      if (!attribute) break;
      const valueStart = offset + attribute[0].length;
      const valueEnd = values.closing(attribute[2]!, valueStart);
      if (valueEnd < 0) break;
      const tag = insertionTag(element[1]!, attribute[1]!, offset, valueStart, valueEnd, text);
      if (tag) tags.push(tag);
      offset = valueEnd + 1;
    }
  }
  return tags;
}

function insertionTag(namespace: string, name: string, start: number, valueStart: number, valueEnd: number, text: string): TemplateTag | undefined {
  if (valueEnd < 0) return undefined;
  const value = text.slice(valueStart, valueEnd).trim();
  const inserts = namespace === 'metal' ? MACRO_INSERTIONS.has(name) : VALUE_INSERTIONS.has(name) && /^structure\s/.test(value);
  return inserts ? { kind: 'expression', start, end: valueEnd + 1, content: value, opaque: true } : undefined;
}

/**
 * Where an attribute value ends: the next quote of its kind. Once a kind of quote has no more, no
 * later value of that kind is looked for again, so that a template of unclosed values is read once.
 */
class AttributeValues {
  private readonly exhausted = new Set<string>();

  constructor(private readonly text: string) {}

  closing(quote: string, from: number): number {
    if (this.exhausted.has(quote)) return -1;
    const at = this.text.indexOf(quote, from);
    if (at < 0) this.exhausted.add(quote);
    return at;
  }
}
