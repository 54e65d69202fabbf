import type { Node } from 'web-tree-sitter';
import { typeOf } from './node-type.js';

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '\n': '',
};

/** Decodes one escape sequence of a (non-raw) Python string literal. */
function decodeEscape(sequence: string): string {
  const kind = sequence.charAt(1);
  const simple = SIMPLE_ESCAPES[kind];
  if (simple !== undefined) return simple;
  if (kind === 'x' || kind === 'u' || kind === 'U') {
    const codePoint = Number.parseInt(sequence.slice(2), 16);
    return Number.isNaN(codePoint) ? sequence : String.fromCodePoint(codePoint);
  }
  if (kind >= '0' && kind <= '7') return String.fromCodePoint(Number.parseInt(sequence.slice(1), 8));
  return sequence;
}

/**
 * The value of a `string` node, or `undefined` for an f-string (its value is not known statically).
 * Bytes literals are returned as their text; no rule needs to tell them apart.
 */
export function stringLiteralValue(node: Node): string | undefined {
  let start = '';
  let end = '';
  let value = '';
  for (const child of node.children) {
    if (!child) continue;
    switch (typeOf(child)) {
      case 'string_start':
        start = child.text;
        break;
      case 'string_end':
        end = child.text;
        break;
      case 'interpolation':
        return undefined;
      case 'string_content':
        value += stringContent(child, isRawPrefix(start));
        break;
    }
  }
  if (start === '' || end === '') return undefined;
  return value;
}

/**
 * The text of a `string_content` node of an f-string: escapes decoded as in any literal, and `{{`
 * and `}}` read as the one brace they stand for.
 */
export function formattedContent(content: Node, raw: boolean): string {
  let decoded = '';
  let cursor = content.startIndex;
  const text = content.text;
  const base = content.startIndex;
  for (const escape of content.namedChildren) {
    const type = escape ? typeOf(escape) : '';
    if (!escape || (type !== 'escape_interpolation' && (raw || type !== 'escape_sequence'))) continue;
    decoded += text.slice(cursor - base, escape.startIndex - base) + (type === 'escape_interpolation' ? escape.text.charAt(0) : decodeEscape(escape.text));
    cursor = escape.endIndex;
  }
  return decoded + text.slice(cursor - base);
}

export function isRawPrefix(stringStart: string): boolean {
  const prefix = stringStart.replace(/['"]+$/, '');
  return prefix.toLowerCase().includes('r');
}

function stringContent(content: Node, raw: boolean): string {
  if (raw) return content.text;
  let decoded = '';
  let cursor = content.startIndex;
  const text = content.text;
  const base = content.startIndex;
  for (const escape of content.namedChildren) {
    if (!escape || typeOf(escape) !== 'escape_sequence') continue;
    decoded += text.slice(cursor - base, escape.startIndex - base) + decodeEscape(escape.text);
    cursor = escape.endIndex;
  }
  return decoded + text.slice(cursor - base);
}

/** The value of an `integer` or `float` node, or `undefined` when it is not a plain number. */
export function numberLiteralValue(node: Node): number | undefined {
  const text = node.text.replace(/_/g, '').replace(/[lLjJ]$/, '');
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}
