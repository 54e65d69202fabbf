import type { ScriptFile } from '../project/scanned-file.js';
import type { TemplateElement, TemplateForm } from './forms.js';
import { isBoostedByHtmx } from './htmx-boost.js';
import type { TemplateDocument } from './template-document.js';
import type { TemplateLibrary } from './template-library.js';

/**
 * Code that takes a form's submission over: a jQuery submit handler, a delegated `on('submit')`,
 * `addEventListener('submit', ...)`, the jQuery Form plugin, an `onsubmit` property.
 */
const SUBMIT_TAKEOVER = /\.submit\(\s*(?:function\b|async\b|\(|[A-Za-z_$][\w$]*\s*(?:=>|\)))|\.(?:on|bind|live|one)\(\s*['"]submit\b|\.delegate\(|addEventListener\(\s*['"]submit['"]|\.ajax(?:Form|Submit)\(|\.onsubmit\s*=/g;

/** A click handler on a submit button that cancels the click keeps the browser from submitting the form. */
const CLICK_TAKEOVER = /\.click\(\s*(?:function\b|async\b|\(|[A-Za-z_$][\w$]*\s*=>|(?:this\.)?[A-Za-z_$][\w$]*\s*(?:\)|\.bind\())|\.on\(\s*['"]click\b|addEventListener\(\s*['"]click['"]/g;

/** A handler cancels the browser's submission, or sends the form itself, within this many characters. */
const HANDLER_REACH = 3000;
const SENDS_ITSELF = /preventDefault|return\s+false|\.ajax(?:Form|Submit)?\(|\$\.(?:post|ajax)\(|\bfetch\(|axios|XMLHttpRequest/g;

/** Scripts that mention the token send it: a header set up once (`$.ajaxSetup`, axios defaults, htmx `hx-headers`), or a field added to the body. */
const MENTIONS_TOKEN = /csrf|xsrf/i;

/** `hx-headers='{"X-CSRFToken": "..."}'` on any element of the page: htmx sends the token with every request. */
const HTMX_TOKEN_HEADER = /hx-headers[^>]{0,300}(?:csrf|xsrf)/i;

/** String literals longer than this are text, not selectors. */
const MAX_SELECTOR_LENGTH = 200;

/** Form attributes of libraries that send the form themselves: htmx (`hx-boost` is read with its value, and inherited), Unpoly, Stimulus actions, unobtrusive AJAX. */
const LIBRARY_SUBMIT_ATTRIBUTE = /^(?:data-)?hx-(?:post|put|patch|delete)$|^up-(?:submit|target)$|^data-(?:ajax|remote)$/;

/** Which elements the scripts of one project name, and what they do. */
interface ScriptReferences {
  ids: Set<string>;
  classes: Set<string>;
  names: Set<string>;
  /** \`data-*\` attributes a selector asks for, by name alone (\`form[data-service-id]\`) or as \`name=value\` (\`[data-role="connect"]\`). */
  dataAttributes: Set<string>;
  /** A selector such as `'form'` or `'form[method=post]'` names every form. */
  everyForm: boolean;
  /** Ids and classes of elements whose forms a selector names: `'.config-section > form'`, `'#panel form'`. */
  containerIds: Set<string>;
  containerClasses: Set<string>;
}

interface ProjectScripts {
  /** Named by any script: it may call `form.submit()`, a native submission. */
  referenced: ScriptReferences;
  /** Named by scripts that take a form's submission over. */
  takenOver: ScriptReferences;
  /** Buttons whose clicks a script cancels, named right where the handler is registered. */
  clicksTakenOver: ScriptReferences;
  sendsToken: boolean;
  /** Some script submits a form the browser's way (`form.submit()`, `.trigger('submit')`): naming a form is not enough. */
  submitsNatively: boolean;
}

/** `form.submit()`, `form.requestSubmit()`, `$(form).submit()`, `.trigger('submit')`. */
const NATIVE_SUBMIT = /\.(?:request)?[sS]ubmit\(\s*\)|\.trigger\(\s*['"]submit['"]/;

/** How a form is sent: by the browser, or by a script (`how` says which). */
export type Submission = { by: 'browser' } | { by: 'script'; how: string; sendsToken: boolean } | { by: 'nobody' };

/** A text of script code and the project it belongs to. */
interface ScriptText {
  projectRoot: string;
  text: string;
}

/**
 * What the project's JavaScript does with its forms, read with linear scans of each script file,
 * inline `<script>` and template block named like `js` or `scripts`: no parser, so a script counts
 * as taking over a form when it names the form (by id, class or name, in any string) and registers
 * a submit handler that cancels the browser's submission or sends the form itself.
 */
export class ScriptSubmissions {
  private readonly byRoot = new Map<string, ProjectScripts>();
  private readonly forTemplateRoot = new Map<string, ProjectScripts[]>();
  /** Whether a template sets an htmx `hx-headers` with a token: read once per template, not once per form. */
  private readonly htmxTokenHeaders = new Map<TemplateDocument, boolean>();

  constructor(scripts: readonly ScriptFile[], documents: readonly TemplateDocument[], private readonly library: TemplateLibrary) {
    for (const script of [...scripts, ...documents.map(inlineScripts)]) this.add(script);
  }

  /** How `form` of `document` is sent, from its attributes, its body and the project's scripts. */
  submissionOf(document: TemplateDocument, form: TemplateForm, submitters: readonly TemplateElement[], hasSubmitter: boolean): Submission {
    const library = [...form.attributes.keys()].find((name) => LIBRARY_SUBMIT_ATTRIBUTE.test(name) || (name === 'data-action' && /submit->/.test(form.attributes.get(name)!)));
    const scripts = this.scriptsFor(document.file.projectRoot);
    const sendsToken = scripts.some((project) => project.sendsToken) || this.library.chainOf(document).some((page) => this.setsHtmxTokenHeader(page));
    if (library) return { by: 'script', how: `its \`${library}\` attribute`, sendsToken };
    if (isBoostedByHtmx(this.library, document, form)) return { by: 'script', how: 'htmx (an `hx-boost="true"` around it)', sendsToken };
    if (scripts.some((project) => names(project.takenOver, form) || isInsideContainer(form, project.takenOver))) {
      return { by: 'script', how: 'a submit handler of the project\'s scripts', sendsToken };
    }
    // A click on a button bubbles up to the form, where a handler that cancels it cancels the submission.
    if (scripts.some((project) => names(project.clicksTakenOver, form) || isInsideContainer(form, project.clicksTakenOver))) {
      return { by: 'script', how: 'a click handler on the form', sendsToken };
    }
    if (submitters.length > 0 && submitters.every((submitter) => scripts.some((project) => names(project.clicksTakenOver, submitter)))) {
      return { by: 'script', how: 'a click handler on its buttons', sendsToken };
    }
    if (hasSubmitter || /\.(?:request)?[sS]ubmit\(\s*\)/.test(document.source.text.slice(form.bodyStart, form.bodyEnd))) return { by: 'browser' };
    return scripts.some((project) => project.submitsNatively && names(project.referenced, form)) ? { by: 'browser' } : { by: 'nobody' };
  }

  private setsHtmxTokenHeader(document: TemplateDocument): boolean {
    let sets = this.htmxTokenHeaders.get(document);
    if (sets === undefined) {
      sets = HTMX_TOKEN_HEADER.test(document.source.text);
      this.htmxTokenHeaders.set(document, sets);
    }
    return sets;
  }

  private add({ projectRoot, text }: ScriptText): void {
    const project = this.byRoot.get(projectRoot) ?? { referenced: emptyReferences(), takenOver: emptyReferences(), clicksTakenOver: emptyReferences(), sendsToken: false, submitsNatively: false };
    this.byRoot.set(projectRoot, project);
    project.sendsToken ||= MENTIONS_TOKEN.test(text);
    project.submitsNatively ||= NATIVE_SUBMIT.test(text);
    const found = readReferences(text);
    merge(project.referenced, found);
    const closers = matchingParentheses(text);
    const delegation = new HandlerDelegation(text);
    merge(project.clicksTakenOver, cancelledClicks(text, closers, delegation));
    const taken = takeovers(text, closers, delegation);
    if (!taken.any) return;
    merge(project.takenOver, { ...found, everyForm: taken.everyForm });
  }

  /** The scripts of the template's project, of a project it is in, or of one inside it (a front-end folder). */
  private scriptsFor(templateRoot: string): ProjectScripts[] {
    let scripts = this.forTemplateRoot.get(templateRoot);
    if (!scripts) {
      scripts = [...this.byRoot].filter(([root]) => isWithin(root, templateRoot) || isWithin(templateRoot, root)).map(([, project]) => project);
      this.forTemplateRoot.set(templateRoot, scripts);
    }
    return scripts;
  }
}

/**
 * The submit handlers of a script that cancel the browser's submission or send the form themselves
 * (the call's arguments hold `preventDefault()`, `return false`, an AJAX call), and whether one of
 * them selects every form (`$('form').on('submit', ...)`).
 */
function takeovers(text: string, closers: ReadonlyMap<number, number>, delegation: HandlerDelegation): { any: boolean; everyForm: boolean } {
  const sending = [...text.matchAll(SENDS_ITSELF)].map((match) => match.index);
  const found = { any: false, everyForm: false };
  SUBMIT_TAKEOVER.lastIndex = 0;
  for (let site = SUBMIT_TAKEOVER.exec(text); site; site = SUBMIT_TAKEOVER.exec(text)) {
    const open = site.index + site[0].indexOf('(');
    const close = closers.get(open) ?? Math.min(text.length, open + HANDLER_REACH);
    if (!/ajax(?:Form|Submit)/.test(site[0]) && !someBetween(sending, open, close) && !delegation.reaches(open, close, sending)) continue;
    found.any = true;
    const nearby = readReferences(text.slice(statementStart(text, site.index), Math.min(close, open + NEARBY_SELECTOR_REACH)));
    found.everyForm ||= nearby.everyForm;
  }
  return found;
}

/**
 * A handler that only hands the event on (`.submit(emailUser)`, `.submit((e) => this.save(e))`) is
 * this short; the function it names is looked up in the same script.
 */
const MAX_DELEGATING_HANDLER = 200;
/** How far into a named function's body its cancelling or sending is looked for (no parser: its `}` is not found). */
const DELEGATE_REACH = 1500;

/**
 * Where functions and methods of a script start, by name: `function save(`, `save = function`,
 * `save = (e) =>`, `save: function`, and a method `save(e) {` at the start of a line. One pass.
 */
const FUNCTION_DEFINITION = /\bfunction\s+([A-Za-z_$][\w$]*)|(?<![\w$.])([A-Za-z_$][\w$]*)\s*[:=]\s*(?:async\s+)?(?:function\b|\([^()]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)|^[ \t]*(?:async[ \t]+)?([A-Za-z_$][\w$]*)[ \t]*\([^()\n]*\)[ \t]*\{/gm;

/** What short handlers of one script hand the event to: its functions by name, found once, when a handler first needs them. */
class HandlerDelegation {
  private definitions: Map<string, number[]> | undefined;

  constructor(private readonly text: string) {}

  /** Whether the handler whose arguments span `[open, close]` names a function of the script with one of `marks` (sorted offsets) early in its body. */
  reaches(open: number, close: number, marks: readonly number[]): boolean {
    this.definitions ??= functionDefinitions(this.text);
    const handler = this.text.slice(open, Math.min(close + 1, open + MAX_DELEGATING_HANDLER));
    return delegatedNames(handler).some((name) => (this.definitions!.get(name) ?? []).some((body) => someBetween(marks, body, body + DELEGATE_REACH)));
  }
}

function functionDefinitions(text: string): Map<string, number[]> {
  const definitions = new Map<string, number[]>();
  for (const match of text.matchAll(FUNCTION_DEFINITION)) {
    const name = match[1] ?? match[2] ?? match[3]!;
    const bodies = definitions.get(name);
    if (bodies) bodies.push(match.index + match[0].length);
    else definitions.set(name, [match.index + match[0].length]);
  }
  return definitions;
}

/** The names a short handler passes the event to: `emailUser`, `this.save(e)`, `save(e)`. */
function delegatedNames(handler: string): string[] {
  return [...handler.matchAll(/(?<![\w$])([A-Za-z_$][\w$]*)(?=\s*\(|\s*\)$|\.bind\()/g)].map((match) => match[1]!).filter((name) => !NOT_DELEGATES.has(name));
}

const NOT_DELEGATES = new Set(['function', 'async', 'this', 'e', 'event', 'evt', 'bind']);

/** The elements named just before a click handler that cancels the click. */
function cancelledClicks(text: string, closers: ReadonlyMap<number, number>, delegation: HandlerDelegation): ScriptReferences {
  const cancelling = [...text.matchAll(CANCELS_CLICK)].map((match) => match.index);
  const references = emptyReferences();
  CLICK_TAKEOVER.lastIndex = 0;
  for (let site = CLICK_TAKEOVER.exec(text); site; site = CLICK_TAKEOVER.exec(text)) {
    const open = site.index + site[0].indexOf('(');
    const close = closers.get(open) ?? Math.min(text.length, open + HANDLER_REACH);
    if (!someBetween(cancelling, open, close) && !delegation.reaches(open, close, cancelling)) continue;
    merge(references, readReferences(text.slice(statementStart(text, site.index), site.index)));
    const delegated = delegatedSelector(text, open);
    if (delegated !== undefined) readSelector(delegated, '', references);
  }
  references.everyForm = false;
  return references;
}

const CANCELS_CLICK = /preventDefault|return\s+false/g;

/**
 * `$(document).on('click', '#save', handler)`: jQuery calls the handler for clicks on the elements
 * the second argument selects, so that selector, not the one before `.on`, names the button.
 */
const DELEGATED_SELECTOR = /\(\s*(['"])[\w. -]{1,60}\1\s*,\s*(['"])([^'"\n]{1,200})\2\s*,/y;

function delegatedSelector(text: string, open: number): string | undefined {
  DELEGATED_SELECTOR.lastIndex = open;
  return DELEGATED_SELECTOR.exec(text)?.[3];
}

/** A selector this close to a submit handler is the one it is registered on. */
const NEARBY_SELECTOR_REACH = 200;

/** Where the statement registering a handler starts, within reach: the selector of the statement before it is not its own. */
function statementStart(text: string, site: number): number {
  const from = Math.max(0, site - NEARBY_SELECTOR_REACH);
  const window = text.slice(from, site);
  return from + Math.max(window.lastIndexOf(';'), window.lastIndexOf('}')) + 1;
}

/** Whether a sorted list of offsets holds one in `[start, end)`. */
function someBetween(offsets: readonly number[], start: number, end: number): boolean {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (offsets[middle]! < start) low = middle + 1;
    else high = middle;
  }
  return low < offsets.length && offsets[low]! < end;
}

/** The `)` closing each `(` of a script, found in one pass that skips strings and comments. */
function matchingParentheses(text: string): Map<number, number> {
  const closers = new Map<number, number>();
  const open: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (character === '"' || character === "'" || character === '`') index = closingQuote(text, index);
    else if (character === '/' && text[index + 1] === '/') index = lineEnd(text, index);
    else if (character === '/' && text[index + 1] === '*') index = commentEnd(text, index);
    else if (character === '(') open.push(index);
    else if (character === ')' && open.length > 0) closers.set(open.pop()!, index);
  }
  return closers;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

function commentEnd(text: string, from: number): number {
  const end = text.indexOf('*/', from + 2);
  return end < 0 ? text.length : end + 1;
}

/** The code of a template: its inline scripts and the blocks a base template puts in a `<script>`. */
function inlineScripts(document: TemplateDocument): ScriptText {
  const { text } = document.source;
  const ranges = [...document.markup.scripts, ...document.blocks.filter((block) => /js|script/i.test(block.name)).map((block) => ({ start: block.bodyStart, end: block.bodyEnd }))];
  return { projectRoot: document.file.projectRoot, text: ranges.map(({ start, end }) => text.slice(start, end)).join('\n') };
}

/** Enclosing elements a container selector is looked for among: the near ones it is written for. */
const MAX_CONTAINER_DEPTH = 32;

/** Whether a selector such as `'.config-section > form'` names an element around the form. */
function isInsideContainer(form: TemplateForm, references: ScriptReferences): boolean {
  if (references.containerIds.size === 0 && references.containerClasses.size === 0) return false;
  let element = form.parent;
  for (let depth = 0; element && depth < MAX_CONTAINER_DEPTH; depth++, element = element.parent) {
    if ((element.id !== undefined && references.containerIds.has(element.id)) || element.classes.some((name) => references.containerClasses.has(name))) return true;
  }
  return false;
}

function emptyReferences(): ScriptReferences {
  return { ids: new Set(), classes: new Set(), names: new Set(), dataAttributes: new Set(), everyForm: false, containerIds: new Set(), containerClasses: new Set() };
}

function merge(into: ScriptReferences, from: ScriptReferences): void {
  for (const id of from.ids) into.ids.add(id);
  for (const name of from.classes) into.classes.add(name);
  for (const name of from.names) into.names.add(name);
  for (const attribute of from.dataAttributes) into.dataAttributes.add(attribute);
  for (const id of from.containerIds) into.containerIds.add(id);
  for (const name of from.containerClasses) into.containerClasses.add(name);
  into.everyForm ||= from.everyForm;
}

/** Whether scripts naming these elements name the element (a form, a button). */
function names(references: ScriptReferences, element: TemplateElement): boolean {
  if (references.everyForm) return true;
  const id = element.attributes.get('id');
  const name = element.attributes.get('name');
  if ((id && references.ids.has(id)) || (name && references.names.has(name))) return true;
  if (namesDataAttribute(references, element)) return true;
  return (element.attributes.get('class') ?? '').split(/\s+/).some((name) => name !== '' && references.classes.has(name));
}

/** A \`data-*\` attribute of the element that a selector asks for, by name or with its value. */
function namesDataAttribute(references: ScriptReferences, element: TemplateElement): boolean {
  if (references.dataAttributes.size === 0) return false;
  for (const [attribute, value] of element.attributes) {
    if (!attribute.startsWith('data-')) continue;
    if (references.dataAttributes.has(attribute) || references.dataAttributes.has(`${attribute}=${value.trim()}`)) return true;
  }
  return false;
}

/**
 * The ids, classes and names a script's string literals select: `'#save'`, `'form.ajax'`,
 * `'[name=login]'`, and the plain word given to `getElementById(...)` or `document.forms[...]`.
 */
function readReferences(text: string): ScriptReferences {
  const references = emptyReferences();
  for (let index = 0; index < text.length; index++) {
    const quote = text[index]!;
    if (quote !== '"' && quote !== "'" && quote !== '`') continue;
    const end = closingQuote(text, index);
    if (end - index - 1 <= MAX_SELECTOR_LENGTH) readSelector(text.slice(index + 1, end), text.slice(Math.max(0, index - 20), index), references);
    index = end;
  }
  return references;
}

/** The offset of the quote that closes the string opened at `open`: the end of the line for an unclosed `'` or `"`. */
function closingQuote(text: string, open: number): number {
  const quote = text[open]!;
  for (let index = open + 1; index < text.length; index++) {
    const character = text[index]!;
    if (character === '\\') index++;
    else if (character === quote) return index;
    else if (character === '\n' && quote !== '`') return index;
  }
  return text.length;
}

function readSelector(literal: string, before: string, references: ScriptReferences): void {
  if (/^[\w-]+$/.test(literal)) {
    if (/(?:getElementById|forms\[|\.forms\.namedItem)\(?\s*$/.test(before)) {
      references.ids.add(literal);
      references.names.add(literal);
    }
    if (literal === 'form' && SELECTS_ELEMENTS.test(before)) references.everyForm = true;
    return;
  }
  if (/^\s*form(?:\[[^\]]*\]|:[\w-]+)*\s*(?:,|$)/.test(literal) && SELECTS_ELEMENTS.test(before)) references.everyForm = true;
  const descendantForm = DESCENDANT_FORM.exec(literal);
  if (descendantForm) {
    const containers = literal.slice(0, descendantForm.index);
    for (const match of containers.matchAll(/#([\w-]+)/g)) references.containerIds.add(match[1]!);
    for (const match of containers.matchAll(/\.([A-Za-z_][\w-]*)/g)) references.containerClasses.add(match[1]!);
  }
  for (const match of literal.matchAll(/#([\w-]+)/g)) references.ids.add(match[1]!);
  for (const match of literal.matchAll(/\.([A-Za-z_][\w-]*)/g)) references.classes.add(match[1]!);
  for (const match of literal.matchAll(/\[\s*name\s*=\s*["']?([\w-]+)/g)) references.names.add(match[1]!);
  for (const match of literal.matchAll(DATA_ATTRIBUTE_SELECTOR)) references.dataAttributes.add(match[2] === undefined ? match[1]! : `${match[1]!}=${match[2]}`);
}

/** \`[data-service-id]\`, \`[data-role="connect"]\`: data attributes are written for scripts to find elements by. */
const DATA_ATTRIBUTE_SELECTOR = /\[\s*(data-[\w-]+)\s*(?:=\s*["']?([\w-]+)["']?\s*)?\]/g;

/** ` form`, `> form` after a container in a selector: the forms inside it. */
const DESCENDANT_FORM = /[\s>]form(?![\w-])/;

/** A selector of elements in the page: `$('form')`, `querySelectorAll('form')`, `.on('submit', 'form', ...)`; not `closest('form')`. */
const SELECTS_ELEMENTS = /(?:\$|jQuery|querySelector(?:All)?)\(\s*$|['"]submit['"]\s*,\s*$/;

function isWithin(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(`${outer}/`) || inner.startsWith(`${outer}\\`);
}
