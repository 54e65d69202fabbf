import { Parser } from 'htmlparser2';
import type { SourceRange } from '../python/facts.js';

/** A `<form>` element of a template, as far as its HTML and template tags tell. */
export interface TemplateForm {
  /** The `<form ...>` start tag. */
  range: SourceRange;
  /** Upper-cased; `undefined` when a template expression decides it. */
  method: string | undefined;
  action: string | undefined;
  /** Everything between `<form ...>` and `</form>`, template tags included. */
  body: string;
  /** Hidden inputs inside the form, by name. */
  inputNames: string[];
}

interface OpenForm {
  start: number;
  tagEnd: number;
  method: string | undefined;
  action: string | undefined;
  inputNames: string[];
}

/**
 * The forms of a template, found with an HTML tokenizer (template tags are text to it). A form
 * that is opened but never closed in this file, or closed without being opened, is left out:
 * the rest of it is in another template.
 */
export function findForms(text: string): TemplateForm[] {
  const forms: TemplateForm[] = [];
  const open: OpenForm[] = [];
  const lines = lineStarts(text);
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'form') {
          open.push({ start: parser.startIndex, tagEnd: parser.endIndex + 1, method: methodOf(attributes.method), action: attributes.action, inputNames: [] });
        } else if (name === 'input' && open.length > 0 && attributes.name !== undefined) {
          open[open.length - 1]!.inputNames.push(attributes.name);
        }
      },
      onclosetag(name, isImplied) {
        if (name !== 'form' || isImplied) return;
        const form = open.pop();
        if (!form) return;
        forms.push({
          range: rangeAt(lines, form.start, form.tagEnd),
          method: form.method,
          action: form.action,
          body: text.slice(form.tagEnd, parser.startIndex),
          inputNames: form.inputNames,
        });
      },
    },
    { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
  );
  parser.write(text);
  parser.end();
  return forms.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
}

/** `method="post"` is POST; a missing method is GET; `method="{{ verb }}"` cannot be known. */
function methodOf(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return 'GET';
  if (/[{}%]/.test(value)) return undefined;
  return value.trim().toUpperCase();
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function rangeAt(lines: number[], start: number, end: number): SourceRange {
  const position = (offset: number) => {
    let low = 0;
    let high = lines.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lines[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - lines[low]! + 1 };
  };
  const from = position(start);
  const to = position(end);
  return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}
