import type { ProjectTemplateTag } from '../frameworks/django/template-tags.js';
import type { FormControl } from './forms.js';
import { firstStringLiteral, type BlockDefinition, type MacroDefinition, type TemplateDocument } from './template-document.js';
import type { TemplateLibrary } from './template-library.js';
import { isInsideStartTag, statementArguments, statementName, type TemplateTag } from './template-syntax.js';

/** Whether some template text renders a CSRF token: `unknown` when it renders markup from elsewhere. */
type TokenPresence = 'present' | 'unknown' | 'absent';

/** Names of what renders the token in every framework: `csrf_token`, `csrf_input`, `csrf_tag()`, `render_csrf(form)`, Tornado's `xsrf_form_html()`. */
const TOKEN_NAME = /csrf|xsrf/i;

/**
 * Hidden inputs frameworks and hand-written forms use for the token; an authentication token in the
 * form (`authtoken`, `auth_token`) stands in for the cookie, and a forged form cannot know it either.
 */
const TOKEN_INPUT_NAME = /csrf|xsrf|authenticity_token|auth_?token/i;

/** Tags of form-rendering libraries (crispy-forms, django-bootstrap, WTForms helpers) that render the token themselves. */
const OPAQUE_STATEMENTS = new Set(['crispy', 'render_form', 'form']);

/** Calls that render markup from elsewhere: the body of a `{% call %}`, form macros of Flask-Bootstrap and Flask-WTF. */
const OPAQUE_CALLS = new Set(['caller']);
const OPAQUE_CALL_SUFFIXES = ['quick_form', 'render_form', 'render_field_with_errors'];

/** Tornado writes output with statements: `{% module xsrf_form_html() %}`, `{% raw xsrf_form_html() %}`. */
const OUTPUT_STATEMENTS = new Set(['module', 'raw']);

/**
 * Words of names of values that hold markup: `form_html`, `spawner_options_form`, `extra_fields`,
 * `widget`, `formHtml`; not `formatted_bio`, `platform` or `information`.
 */
const MARKUP_WORD = /^(?:forms?|fields?|widgets?|inputs?|html|markup)$/i;

/** Where a name's words meet: an underscore, or a lower-case letter before an upper-case one. */
const NAME_WORD_BOUNDARY = /_+|(?<=[a-z0-9])(?=[A-Z])/;

const SAFE_FILTER = /\|\s*safe\b/;

const AUTOESCAPE_OFF = /^\s*(?:off|false)\b/i;

/** Macros calling macros, templates including templates: deeper chains are not followed. */
const MAX_DEPTH = 8;

/** Where the token finder looks: the templates by name, and the Django inclusion tags of the project. */
interface TemplateWorld {
  library: TemplateLibrary;
  /** Template tags the project defines (Django inclusion and simple tags). */
  templateTags: readonly ProjectTemplateTag[];
  /** Names WTForms forms of the project give their token field besides `csrf_token`. */
  csrfFieldNames: ReadonlySet<string>;
}

/**
 * Finds CSRF tokens in the templates of a project, following what a form renders from elsewhere:
 * the project's Jinja macros (imported here or in a template this one extends), `{% include %}`d
 * templates, the overrides of a `{% block %}` in templates that extend this one, the parent's block
 * for `{{ super() }}` and `{{ block.super }}`, and the project's Django template tags (what one
 * renders is unknown unless it names its template).
 */
export class CsrfTokenFinder {
  private readonly macrosByName = new Map<string, Array<{ document: TemplateDocument; macro: MacroDefinition }>>();
  private readonly macroPresence = new Map<MacroDefinition, TokenPresence>();
  private readonly documentPresence = new Map<TemplateDocument, TokenPresence>();
  private readonly blockPresence = new Map<BlockDefinition, TokenPresence>();
  private readonly templateTags = new Map<string, ProjectTemplateTag[]>();
  private readonly autoescapeOff = new Map<TemplateDocument, Array<{ start: number; end: number }>>();

  constructor(private readonly world: TemplateWorld) {
    for (const document of world.library.documents) {
      for (const macro of document.macros) {
        const sites = this.macrosByName.get(macro.name) ?? [];
        sites.push({ document, macro });
        this.macrosByName.set(macro.name, sites);
      }
    }
    for (const tag of world.templateTags) this.templateTags.set(tag.name, [...(this.templateTags.get(tag.name) ?? []), tag]);
  }

  /** Whether `document`'s text between the offsets renders a token: a token tag or call, or a hidden token input. */
  presenceIn(document: TemplateDocument, start: number, end: number): TokenPresence {
    return this.presenceAtDepth(document, start, end, 0);
  }

  private presenceAtDepth(document: TemplateDocument, start: number, end: number, depth: number): TokenPresence {
    const presences = itemsBetween(document.source.tags, start, end).map((tag) => this.tagPresence(document, tag, depth));
    const controls = itemsBetween(document.markup.controls, start, end);
    if (controls.some((control) => this.isTokenInput(control))) return 'present';
    // The copied fields of a post that had a token carry that token.
    if (controls.some((control) => copiesPostedField(document, control, start))) return combined([...presences, 'unknown']);
    return combined(presences);
  }

  private tagPresence(document: TemplateDocument, tag: TemplateTag, depth: number): TokenPresence {
    if (tag.opaque) return 'unknown';
    if (tag.kind === 'expression' && this.rendersMarkupBuiltElsewhere(document, tag)) return 'unknown';
    if (tag.kind === 'expression') return this.expressionPresence(document, tag.content, depth, tag.start);
    const name = statementName(tag);
    if (TOKEN_NAME.test(name)) return 'present';
    if (OPAQUE_STATEMENTS.has(name)) return 'unknown';
    if (OUTPUT_STATEMENTS.has(name)) return this.expressionPresence(document, statementArguments(tag), depth);
    if (depth > MAX_DEPTH) return 'unknown';
    // A tag in an attribute value renders a value, not a token field.
    if (isInsideStartTag(document.source, tag.start)) return 'absent';
    if (name === 'include') return this.includePresence(document, statementArguments(tag), depth);
    if (name === 'block') return this.overridesPresence(document, tag, depth);
    if (name === 'call') return this.expressionPresence(document, statementArguments(tag).replace(/^\([^)]*\)/, ''), depth);
    const defined = this.templateTags.get(name)?.filter((candidate) => candidate.projectRoot === document.file.projectRoot) ?? [];
    return combined(defined.map((candidate) => (candidate.template === undefined ? 'unknown' : this.namedTemplatePresence(document, candidate.template, depth))));
  }

  /**
   * `{{ form_html|safe }}`, or `{{ fields }}` under `{% autoescape off %}`: markup the server built
   * (a form rendered to a string, with its token or not), which the template cannot show.
   */
  private rendersMarkupBuiltElsewhere(document: TemplateDocument, tag: TemplateTag): boolean {
    const rendered = renderedName(tag.content);
    if (!rendered || !holdsMarkup(rendered.names[rendered.names.length - 1]!)) return false;
    if (SAFE_FILTER.test(tag.content)) return true;
    return isInsideSome(this.unescapedRegions(document), tag.start);
  }

  /** The bodies of `{% autoescape off %}` (Django) and `{% autoescape false %}` (Jinja) blocks, merged where they nest, in order. */
  private unescapedRegions(document: TemplateDocument): Array<{ start: number; end: number }> {
    const known = this.autoescapeOff.get(document);
    if (known) return known;
    const regions: Array<{ start: number; end: number }> = [];
    const opened: Array<number | undefined> = [];
    for (const tag of document.source.tags) {
      if (tag.kind !== 'statement') continue;
      const name = statementName(tag);
      if (name === 'autoescape') opened.push(AUTOESCAPE_OFF.test(statementArguments(tag)) ? tag.end : undefined);
      if (name !== 'endautoescape') continue;
      const start = opened.pop();
      if (start !== undefined) regions.push({ start, end: tag.start });
    }
    const disjoint = mergedRegions(regions);
    this.autoescapeOff.set(document, disjoint);
    return disjoint;
  }

  /** `{% include "x.html" %}` renders what x.html renders; a name chosen at run time may render anything. */
  private includePresence(document: TemplateDocument, argumentsText: string, depth: number): TokenPresence {
    const name = firstStringLiteral(argumentsText);
    return name === undefined ? 'unknown' : this.namedTemplatePresence(document, name, depth);
  }

  private namedTemplatePresence(document: TemplateDocument, name: string, depth: number): TokenPresence {
    const included = this.world.library.resolve(name, document);
    if (!included) return 'unknown';
    const known = this.documentPresence.get(included);
    if (known) return known;
    this.documentPresence.set(included, 'absent');
    const presence = this.presenceAtDepth(included, 0, included.source.text.length, depth + 1);
    this.documentPresence.set(included, presence);
    return presence;
  }

  /**
   * A block in a form renders what the templates extending this one put in it. With none that does,
   * an empty block is left for templates the scan does not see.
   */
  private overridesPresence(document: TemplateDocument, tag: TemplateTag, depth: number): TokenPresence {
    const block = document.blocksByBodyStart.get(tag.end);
    if (!block) return 'unknown';
    const known = this.blockPresence.get(block);
    if (known) return known;
    this.blockPresence.set(block, 'absent');
    const overrides = this.world.library.descendantsOf(document).flatMap((child) => {
      const override = child.blocksByName.get(block.name);
      return override ? [{ child, override }] : [];
    });
    const isEmpty = document.source.text.slice(block.bodyStart, block.bodyEnd).trim() === '';
    const presence = overrides.length === 0 ? (isEmpty ? 'unknown' : 'absent') : combined(overrides.map(({ child, override }) => this.presenceAtDepth(child, override.bodyStart, override.bodyEnd, depth + 1)));
    this.blockPresence.set(block, presence);
    return presence;
  }

  /** `{{ super() }}` in a block renders the same block of the parent template. */
  private parentBlockPresence(document: TemplateDocument, offset: number, depth: number): TokenPresence {
    const enclosing = document.superCallBlocks.get(offset);
    if (enclosing === undefined) return 'unknown';
    for (const ancestor of this.world.library.chainOf(document).slice(1)) {
      const block = ancestor.blocksByName.get(enclosing);
      if (block) return this.presenceAtDepth(ancestor, block.bodyStart, block.bodyEnd, depth + 1);
    }
    return 'unknown';
  }

  /**
   * What an expression renders, from the name it ends with: `form.csrf_token` and `csrf_tag()` render
   * a token, `form.csrf_token.errors` does not; `form.nonce()` does when `nonce` is the form's CSRF field.
   */
  private expressionPresence(document: TemplateDocument, expression: string, depth: number, offset = 0): TokenPresence {
    const rendered = renderedName(expression);
    if (!rendered) return 'absent';
    const last = rendered.names[rendered.names.length - 1]!;
    if (rendered.called && (OPAQUE_CALLS.has(last) || OPAQUE_CALL_SUFFIXES.some((suffix) => last.endsWith(suffix)))) return 'unknown';
    if (TOKEN_NAME.test(last) || (rendered.called && last === 'hidden_tag')) return 'present';
    if (rendered.names.length > 1 && this.world.csrfFieldNames.has(last)) return 'present';
    if ((rendered.called && rendered.names.length === 1 && last === 'super') || (rendered.names.length === 2 && rendered.names[0] === 'block' && last === 'super')) {
      return depth > MAX_DEPTH ? 'unknown' : this.parentBlockPresence(document, offset, depth);
    }
    const macro = rendered.called ? this.calledMacroName(document, rendered.names) : undefined;
    return macro === undefined ? 'absent' : this.macroCallPresence(document, macro, depth);
  }

  /**
   * The macro a call names: `field(...)` or its import alias, `lib.field(...)` through
   * `{% import ... as lib %}`, in this template or one it extends. `helpers.field(...)` with
   * `helpers` set up elsewhere (a Jinja global) is the project's macro `field` when it has one.
   */
  private calledMacroName(document: TemplateDocument, names: readonly string[]): string | undefined {
    const chain = this.world.library.chainOf(document);
    if (names.length === 1) return chain.map((template) => template.importedMacros.get(names[0]!)).find((name) => name !== undefined) ?? names[0];
    if (names.length !== 2) return undefined;
    if (chain.some((template) => template.importedTemplates.has(names[0]!))) return names[1];
    return this.macrosByName.has(names[1]!) ? names[1] : undefined;
  }
  /** The macro defined in the calling template wins; otherwise any macro of that name in the project may be the one. */
  private macroCallPresence(document: TemplateDocument, name: string, depth: number): TokenPresence {
    const sites = this.macrosByName.get(name) ?? [];
    const local = sites.filter((site) => site.document === document);
    return combined((local.length > 0 ? local : sites).map((site) => this.presenceOfMacro(site.document, site.macro, depth + 1)));
  }

  private presenceOfMacro(document: TemplateDocument, macro: MacroDefinition, depth: number): TokenPresence {
    const known = this.macroPresence.get(macro);
    if (known) return known;
    if (depth > MAX_DEPTH) return 'unknown';
    // A macro that calls itself renders a token only if some other part of it does.
    this.macroPresence.set(macro, 'absent');
    const presence = this.presenceAtDepth(document, macro.bodyStart, macro.bodyEnd, depth);
    this.macroPresence.set(macro, presence);
    return presence;
  }

  /** `<input type="hidden" name="csrfmiddlewaretoken">`; a visible input named like a token is not one. */
  private isTokenInput(control: FormControl): boolean {
    const type = control.attributes.get('type') ?? '';
    if (control.element !== 'input' || !(type.toLowerCase() === 'hidden' || type.includes('{'))) return false;
    const name = control.attributes.get('name') ?? '';
    return TOKEN_INPUT_NAME.test(name) || this.world.csrfFieldNames.has(name);
  }
}

/** A word of a name that holds the fields of the request's post: `post_data`, `request.POST`, `posted`. */
const POSTED_WORD = /^post(?:ed)?$/i;

/** The first name an expression renders: `{{ field|escape }}` gives `field`. */
const RENDERED_NAME = /^\{\{-?\s*([A-Za-z_]\w*)/;

/**
 * A hidden input named by the key of a loop over the request's posted fields
 * (`{% for field, value in post_data.items %}<input type="hidden" name="{{ field }}" ...>`): it
 * re-posts each field, the token among them, so the token may well be there.
 */
function copiesPostedField(document: TemplateDocument, control: FormControl, formStart: number): boolean {
  if (control.element !== 'input' || (control.attributes.get('type') ?? '').trim().toLowerCase() !== 'hidden') return false;
  const rendered = RENDERED_NAME.exec(control.attributes.get('name') ?? '')?.[1];
  return rendered !== undefined && openLoops(document, formStart, control.start).some((loop) => loop.key === rendered && loop.iterable.split(NAME_SEPARATOR).some((word) => POSTED_WORD.test(word)));
}

const NAME_SEPARATOR = /[^A-Za-z0-9]+|_+|(?<=[a-z0-9])(?=[A-Z])/;

/** The `{% for key, value in iterable %}` loops opened between the offsets and not closed before the second one. */
function openLoops(document: TemplateDocument, start: number, end: number): Array<{ key: string; iterable: string }> {
  const loops: Array<{ key: string; iterable: string }> = [];
  for (const tag of itemsBetween(document.source.tags, start, end)) {
    if (tag.kind !== 'statement') continue;
    const name = statementName(tag);
    if (name === 'endfor') loops.pop();
    else if (name === 'for') loops.push(loopOf(statementArguments(tag)));
  }
  return loops;
}

function loopOf(argumentsText: string): { key: string; iterable: string } {
  const words = argumentsText.split(/\s+/);
  const inAt = words.indexOf('in');
  const key = inAt > 0 ? words[0]!.split(',')[0]! : '';
  return { key, iterable: inAt > 0 ? words.slice(inAt + 1).join(' ') : '' };
}

/** Any token wins; else anything unknown leaves the answer unknown. */
function combined(presences: readonly TokenPresence[]): TokenPresence {
  if (presences.includes('present')) return 'present';
  return presences.includes('unknown') ? 'unknown' : 'absent';
}

/** The items of a list sorted by `start` that start in `[start, end)`, found by bisection. */
export function itemsBetween<T extends { start: number }>(items: readonly T[], start: number, end: number): T[] {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (items[middle]!.start < start) low = middle + 1;
    else high = middle;
  }
  const found: T[] = [];
  for (let index = low; index < items.length && items[index]!.start < end; index++) found.push(items[index]!);
  return found;
}

/** The dotted name an expression starts with, and whether its last part is called: `form.csrf_token` in `form.csrf_token|safe`. */
interface RenderedName {
  names: string[];
  called: boolean;
}

const NAME_SEGMENT = /\s*([A-Za-z_]\w*)\s*/y;
const SUBSCRIPT_SEGMENT = /\s*\[\s*(["'])(\w+)\1\s*\]\s*/y;
const ATTRIBUTE_DOT = /\s*\./y;
const SUBSCRIPT_OPEN = /\s*\[/y;

/**
 * Reads the leading `a.b().c` of a template expression, with `a["b"]` as `a.b`. What follows it
 * (filters, `if`, operators) does not change what the chain names. Sticky patterns read it in one
 * pass, whatever its length.
 */
function renderedName(expression: string): RenderedName | undefined {
  const names: string[] = [];
  let called = false;
  let offset = 0;
  for (;;) {
    const segment = matchAt(NAME_SEGMENT, expression, offset) ?? matchAt(SUBSCRIPT_SEGMENT, expression, offset);
    if (!segment) return names.length > 0 ? { names, called } : undefined;
    names.push(segment[segment.length - 1]!);
    offset += segment[0].length;
    called = expression[offset] === '(';
    if (called) offset = closingParenthesis(expression, offset) + 1;
    const dot = matchAt(ATTRIBUTE_DOT, expression, offset);
    if (dot) offset += dot[0].length;
    else if (!matchAt(SUBSCRIPT_OPEN, expression, offset)) return { names, called };
  }
}

function matchAt(pattern: RegExp, text: string, offset: number): RegExpExecArray | null {
  pattern.lastIndex = offset;
  return pattern.exec(text);
}

/** The offset of the `)` that closes the `(` at `from`, skipping strings; the end when there is none. */
function closingParenthesis(text: string, from: number): number {
  let depth = 0;
  for (let index = from; index < text.length; index++) {
    const character = text[index]!;
    if (character === '"' || character === "'") {
      const close = text.indexOf(character, index + 1);
      index = close < 0 ? text.length : close;
    } else if (character === '(') {
      depth++;
    } else if (character === ')' && --depth === 0) {
      return index;
    }
  }
  return text.length;
}

/** `options_form`, `formHtml`, `extra_fields`: a name with a word for markup. */
function holdsMarkup(name: string): boolean {
  return name.split(NAME_WORD_BOUNDARY).some((word) => MARKUP_WORD.test(word));
}

/** Regions sorted and merged where they overlap (nested blocks), so that one search finds an offset's region. */
function mergedRegions(regions: ReadonlyArray<{ start: number; end: number }>): Array<{ start: number; end: number }> {
  const merged: Array<{ start: number; end: number }> = [];
  for (const region of [...regions].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && region.start <= last.end) last.end = Math.max(last.end, region.end);
    else merged.push({ ...region });
  }
  return merged;
}

/** Whether an offset is inside one of disjoint regions sorted by start: a binary search. */
function isInsideSome(regions: ReadonlyArray<{ start: number; end: number }>, offset: number): boolean {
  let low = 0;
  let high = regions.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (regions[middle]!.start <= offset) low = middle + 1;
    else high = middle;
  }
  return low > 0 && offset < regions[low - 1]!.end;
}
