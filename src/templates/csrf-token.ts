import type { FormControl } from './forms.js';
import type { MacroDefinition, TemplateDocument } from './template-document.js';
import { statementArguments, statementName, type TemplateTag } from './template-syntax.js';

/** Whether some template text renders a CSRF token: `unknown` when it renders markup from elsewhere. */
export type TokenPresence = 'present' | 'unknown' | 'absent';

/** Names of what renders the token in every framework: `csrf_token`, `csrf_input`, `csrf_tag()`, `render_csrf(form)`, Tornado's `xsrf_form_html()`. */
const TOKEN_NAME = /csrf|xsrf/i;

/** Hidden inputs frameworks and hand-written forms use for the token. */
const TOKEN_INPUT_NAME = /csrf|xsrf|authenticity_token/i;

/**
 * Statements that render markup from elsewhere, which may well hold the token: an include, a block
 * a child template fills, a `{% call %}` whose caller fills the macro, a crispy or form-rendering tag.
 */
const OPAQUE_STATEMENTS = new Set(['include', 'block', 'crispy', 'render_form', 'call', 'form']);

/** Calls that render markup from elsewhere: the body of a `{% call %}`, a parent block, form macros of Flask-Bootstrap and Flask-WTF. */
const OPAQUE_CALLS = new Set(['caller', 'super']);
const OPAQUE_CALL_SUFFIXES = ['quick_form', 'render_form', 'render_field_with_errors'];

/** Tornado writes output with statements: `{% module xsrf_form_html() %}`, `{% raw xsrf_form_html() %}`. */
const OUTPUT_STATEMENTS = new Set(['module', 'raw']);

/** Macros calling macros: deeper chains are not followed. */
const MAX_MACRO_DEPTH = 8;

/**
 * Finds CSRF tokens in the templates of a project, following calls to the project's own Jinja
 * macros: `{{ renderform_inner(form) }}` renders the token when the macro's body does.
 */
export class CsrfTokenFinder {
  private readonly macrosByName = new Map<string, Array<{ document: TemplateDocument; macro: MacroDefinition }>>();
  private readonly macroPresence = new Map<MacroDefinition, TokenPresence>();

  /** `csrfFieldNames`: names WTForms forms of the project give their token field besides `csrf_token`. */
  constructor(
    documents: readonly TemplateDocument[],
    private readonly csrfFieldNames: ReadonlySet<string>,
  ) {
    for (const document of documents) {
      for (const macro of document.macros) {
        const sites = this.macrosByName.get(macro.name) ?? [];
        sites.push({ document, macro });
        this.macrosByName.set(macro.name, sites);
      }
    }
  }

  /** Whether `document`'s text between the offsets renders a token: a token tag or call, or a hidden token input. */
  presenceIn(document: TemplateDocument, start: number, end: number): TokenPresence {
    return this.presenceAtDepth(document, start, end, 0);
  }

  private presenceAtDepth(document: TemplateDocument, start: number, end: number, depth: number): TokenPresence {
    const inside = (item: { start: number }) => item.start >= start && item.start < end;
    const presences = document.source.tags.filter(inside).map((tag) => this.tagPresence(document, tag, depth));
    if (presences.includes('present') || document.markup.controls.filter(inside).some((control) => this.isTokenInput(control))) return 'present';
    return presences.includes('unknown') ? 'unknown' : 'absent';
  }

  private tagPresence(document: TemplateDocument, tag: TemplateTag, depth: number): TokenPresence {
    if (tag.kind === 'expression') return this.expressionPresence(document, tag.content, depth);
    const name = statementName(tag);
    if (TOKEN_NAME.test(name)) return 'present';
    if (OPAQUE_STATEMENTS.has(name)) return 'unknown';
    if (OUTPUT_STATEMENTS.has(name)) return this.expressionPresence(document, statementArguments(tag), depth);
    return 'absent';
  }

  /**
   * What an expression renders, from the name it ends with: `form.csrf_token` and `csrf_tag()` render
   * a token, `form.csrf_token.errors` does not; `form.nonce()` does when `nonce` is the form's CSRF field.
   */
  private expressionPresence(document: TemplateDocument, expression: string, depth: number): TokenPresence {
    const rendered = renderedName(expression);
    if (!rendered) return 'absent';
    const last = rendered.names[rendered.names.length - 1]!;
    if (rendered.called && (OPAQUE_CALLS.has(last) || OPAQUE_CALL_SUFFIXES.some((suffix) => last.endsWith(suffix)))) return 'unknown';
    if (TOKEN_NAME.test(last) || (rendered.called && last === 'hidden_tag')) return 'present';
    if (rendered.names.length > 1 && this.csrfFieldNames.has(last)) return 'present';
    const macro = rendered.called ? calledMacroName(document, rendered.names) : undefined;
    return macro === undefined ? 'absent' : this.macroCallPresence(document, macro, depth);
  }

  /** The macro defined in the calling template wins; otherwise any macro of that name in the project may be the one. */
  private macroCallPresence(document: TemplateDocument, name: string, depth: number): TokenPresence {
    const sites = this.macrosByName.get(name) ?? [];
    const local = sites.filter((site) => site.document === document);
    const presences = (local.length > 0 ? local : sites).map((site) => this.presenceOfMacro(site.document, site.macro, depth + 1));
    if (presences.includes('present')) return 'present';
    return presences.includes('unknown') ? 'unknown' : 'absent';
  }

  private presenceOfMacro(document: TemplateDocument, macro: MacroDefinition, depth: number): TokenPresence {
    const known = this.macroPresence.get(macro);
    if (known) return known;
    if (depth > MAX_MACRO_DEPTH) return 'unknown';
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
    return TOKEN_INPUT_NAME.test(name) || this.csrfFieldNames.has(name);
  }
}

/** The macro a call names: `field(...)` or its import alias, `lib.field(...)` through `{% import ... as lib %}`. */
function calledMacroName(document: TemplateDocument, names: readonly string[]): string | undefined {
  if (names.length === 1) return document.importedMacros.get(names[0]!) ?? names[0];
  if (names.length === 2 && document.importedTemplates.has(names[0]!)) return names[1];
  return undefined;
}

/** The dotted name an expression starts with, and whether its last part is called: `form.csrf_token` in `form.csrf_token|safe`. */
interface RenderedName {
  names: string[];
  called: boolean;
}

/**
 * Reads the leading `a.b().c` of a template expression, with `a["b"]` as `a.b`. What follows it
 * (filters, `if`, operators) does not change what the chain names.
 */
function renderedName(expression: string): RenderedName | undefined {
  const names: string[] = [];
  let called = false;
  let rest = expression;
  for (;;) {
    const segment = /^\s*([A-Za-z_]\w*)\s*/.exec(rest) ?? /^\s*\[\s*(["'])(\w+)\1\s*\]\s*/.exec(rest);
    if (!segment) return names.length > 0 ? { names, called } : undefined;
    names.push(segment[segment.length - 1]!);
    rest = rest.slice(segment[0].length);
    called = rest.startsWith('(');
    if (called) rest = rest.slice(closingParenthesis(rest) + 1);
    if (/^\s*\./.test(rest)) rest = rest.replace(/^\s*\./, '');
    else if (!/^\s*\[/.test(rest)) return { names, called };
  }
}

/** The offset of the `)` that closes the `(` at offset 0, skipping strings; the end when there is none. */
function closingParenthesis(text: string): number {
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
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
