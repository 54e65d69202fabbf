import { Parser } from 'htmlparser2';
import type { SourceRange } from '../python/facts.js';
import type { TemplateSource } from './template-syntax.js';

/** An element of a template as written: attribute values keep their template tags. */
export interface TemplateElement {
  /** The start tag, `<form ...>`. */
  range: SourceRange;
  /** The start tag's text. */
  startTag: string;
  /** Lower-cased names; the first of repeated attributes wins, as in browsers. */
  attributes: ReadonlyMap<string, string>;
  /** Offset of the `<`. */
  start: number;
}

/** A `<form>` of a template, opened and closed in it. */
export interface TemplateForm extends TemplateElement {
  /** Upper-cased; `undefined` when a template expression decides it. */
  method: string | undefined;
  action: string | undefined;
  /** Offsets of the body: from after the start tag to the `</form>`. */
  bodyStart: number;
  bodyEnd: number;
  /** The inputs and buttons inside it, outside any form nested in it. */
  controls: FormControl[];
  /** The element the form is in, and through it every element around it. */
  parent: EnclosingElement | undefined;
}

/** An element around a form, by what a selector can name it with. */
export interface EnclosingElement {
  id: string | undefined;
  classes: readonly string[];
  parent: EnclosingElement | undefined;
}

/** An `<input>` or a `<button>`, inside a form or not. */
export interface FormControl extends TemplateElement {
  element: 'input' | 'button';
}

export interface TemplateMarkup {
  forms: TemplateForm[];
  controls: FormControl[];
  /** Offsets of the code of inline `<script>` elements. */
  scripts: Array<{ start: number; end: number }>;
  /** Elements with an htmx `hx-boost` of `true` or `false`, from their `<` to the end of their end tag. */
  boosts: HtmxBoost[];
  /** Lines where elements left open nested past `MAX_MARKUP_DEPTH`, from where the rest was read as if at the top level. */
  deepNestingLines: number[];
}

/** An element saying whether htmx sends the forms and links inside it (itself included): the innermost one decides. */
export interface HtmxBoost {
  start: number;
  end: number;
  boosted: boolean;
}

/**
 * Script blocks whose content is markup a script renders (Vue's `text/x-template`, Angular's
 * `text/ng-template`, Handlebars, jQuery templates): their forms are forms like any other.
 */
const CLIENT_TEMPLATE_SCRIPT = /template|html|tmpl/i;

/**
 * Elements open at once past which the markup after is read afresh, as if at the top level: the
 * HTML parser moves its whole stack of open elements on every tag, so the cost grew with the square
 * of the nesting (160,000 nested `<div>`s took 24 s). Real templates nest a few dozen deep.
 */
export const MAX_MARKUP_DEPTH = 1000;

/** Elements whose content is text to the parser: reading afresh inside one would read its text as markup. */
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);

/**
 * The forms and form controls of a template, found with an HTML tokenizer on its markup (comments
 * blanked, template tags filled). A form that is opened but never closed in this file, or closed
 * without being opened, is left out: the rest of it is in another template.
 */
export function readMarkup(source: TemplateSource): TemplateMarkup {
  const reader = new MarkupReader(source);
  reader.read(0, source.markup.length);
  const byPosition = (a: TemplateElement, b: TemplateElement) => a.start - b.start;
  return { forms: reader.forms.sort(byPosition), controls: reader.controls.sort(byPosition), scripts: reader.scripts, boosts: reader.boosts, deepNestingLines: reader.deepNestingLines };
}

/** A form whose `</form>` is still to come. */
interface OpenForm {
  element: TemplateElement;
  bodyStart: number;
  controls: FormControl[];
  parent: EnclosingElement | undefined;
}

class MarkupReader {
  readonly forms: TemplateForm[] = [];
  readonly controls: FormControl[] = [];
  readonly scripts: Array<{ start: number; end: number }> = [];
  readonly boosts: HtmxBoost[] = [];
  readonly deepNestingLines: number[] = [];
  private readonly lines: number[];

  constructor(private readonly source: TemplateSource) {
    this.lines = lineStarts(source.text);
  }

  /** Reads `markup[from, to)`; called again for the content of client-side template scripts. */
  read(from: number, to: number): void {
    for (let start: number | undefined = from; start !== undefined; ) start = this.readUntilDeep(start, to);
  }

  /**
   * Reads `markup[from, to)` up to an element nested past `MAX_MARKUP_DEPTH`, and gives the offset
   * after its start tag: what follows is read afresh, and forms left open there are left out.
   */
  private readUntilDeep(from: number, to: number): number | undefined {
    let deepAt: number | undefined;
    const open: OpenForm[] = [];
    let enclosing: EnclosingElement | undefined;
    /** For each open element, its `hx-boost` (with its start) when it has one. */
    const openBoosts: Array<Omit<HtmxBoost, 'end'> | undefined> = [];
    let attributes = new Map<string, string>();
    let scriptContentStart: number | undefined;
    let codeStart: number | undefined;
    const parser = new Parser(
      {
        onopentagname: () => {
          attributes = new Map();
        },
        onattribute: (name) => {
          if (!attributes.has(name)) attributes.set(name, this.attributeValue(from + parser.startIndex, from + parser.endIndex));
        },
        onopentag: (name) => {
          const element = this.element(from + parser.startIndex, from + parser.endIndex + 1, attributes);
          if (name === 'form') {
            open.push({ element, bodyStart: from + parser.endIndex + 1, controls: [], parent: enclosing });
          } else if (name === 'input' || name === 'button') {
            const control: FormControl = { ...element, element: name };
            this.controls.push(control);
            open.at(-1)?.controls.push(control);
          } else if (name === 'script') {
            if (CLIENT_TEMPLATE_SCRIPT.test(attributes.get('type') ?? '')) scriptContentStart = from + parser.endIndex + 1;
            else codeStart = from + parser.endIndex + 1;
          }
          const boosted = htmxBoostOf(attributes);
          openBoosts.push(boosted === undefined ? undefined : { start: from + parser.startIndex, boosted });
          enclosing = { id: attributes.get('id'), classes: (attributes.get('class') ?? '').split(/\s+/).filter((word) => word !== ''), parent: enclosing };
          // A form open here would be lost: its body may nest as deep again before the rest is read afresh.
          const maxDepth = open.length > 0 ? 2 * MAX_MARKUP_DEPTH : MAX_MARKUP_DEPTH;
          if (openBoosts.length > maxDepth && deepAt === undefined && !RAW_TEXT_ELEMENTS.has(name)) {
            deepAt = from + parser.endIndex + 1;
            parser.pause();
          }
        },
        onclosetag: (name, isImplied) => {
          // htmlparser2 closes every element it opened, void ones and implied ones included.
          enclosing = enclosing?.parent;
          const boost = openBoosts.pop();
          if (boost) this.boosts.push({ ...boost, end: from + parser.endIndex + 1 });
          if (name === 'script' && scriptContentStart !== undefined) {
            this.read(scriptContentStart, from + parser.startIndex);
            scriptContentStart = undefined;
          }
          if (name === 'script' && codeStart !== undefined) {
            this.scripts.push({ start: codeStart, end: from + parser.startIndex });
            codeStart = undefined;
          }
          if (name !== 'form' || isImplied) return;
          const form = open.pop();
          if (form) this.forms.push(formOf(form, from + parser.startIndex));
        },
      },
      { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
    );
    parser.write(this.source.markup.slice(from, to));
    if (deepAt === undefined) {
      parser.end();
      return undefined;
    }
    this.deepNestingLines.push(rangeAt(this.lines, deepAt, deepAt).line);
    return deepAt;
  }

  private element(start: number, end: number, attributes: ReadonlyMap<string, string>): TemplateElement {
    return { range: rangeAt(this.lines, start, end), startTag: this.source.text.slice(start, end), attributes, start };
  }

  /**
   * The value of the attribute written at `[start, end)`, taken from the template text, not the
   * markup: `action="{% url 'cart' %}"` keeps its tag. The `=` is looked for in the markup, where
   * template tags hold none.
   */
  private attributeValue(start: number, end: number): string {
    const equals = this.source.markup.indexOf('=', start);
    if (equals < 0 || equals >= end) return '';
    const value = this.source.text.slice(equals + 1, end).trim();
    const quote = value[0];
    return (quote === '"' || quote === "'") && value.endsWith(quote) && value.length > 1 ? value.slice(1, -1) : value;
  }
}

function formOf({ element, bodyStart, controls, parent }: OpenForm, bodyEnd: number): TemplateForm {
  const method = methodOf(element.attributes.get('method'));
  return { ...element, method, action: element.attributes.get('action'), bodyStart, bodyEnd, controls, parent };
}

/** `hx-boost="true"` or `"false"` (also `data-hx-boost`); a template expression cannot be known. */
function htmxBoostOf(attributes: ReadonlyMap<string, string>): boolean | undefined {
  const value = (attributes.get('hx-boost') ?? attributes.get('data-hx-boost'))?.trim().toLowerCase();
  if (value === 'true') return true;
  return value === 'false' ? false : undefined;
}

/** `method="post"` is POST; a missing method is GET; `method="{{ verb }}"` cannot be known. */
export function methodOf(value: string | undefined): string | undefined {
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
