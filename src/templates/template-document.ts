import type { TemplateFile } from '../project/scanned-file.js';
import type { ScanError } from '../finding.js';
import { MAX_MARKUP_DEPTH, readMarkup, type TemplateMarkup } from './forms.js';
import { CHAMELEON_EXTENSION, readChameleonSource } from './chameleon-syntax.js';
import { readTemplateSource, statementArguments, statementName, type TemplateSource } from './template-syntax.js';

/** A Jinja `{% macro name(...) %}...{% endmacro %}`. */
export interface MacroDefinition {
  name: string;
  /** Offsets of the body, between the two tags. */
  bodyStart: number;
  bodyEnd: number;
}

/** A `{% block name %}...{% endblock %}`. */
export interface BlockDefinition {
  name: string;
  bodyStart: number;
  bodyEnd: number;
}

/** A template read once for every question a rule asks of it. */
export interface TemplateDocument {
  file: TemplateFile;
  source: TemplateSource;
  markup: TemplateMarkup;
  macros: MacroDefinition[];
  blocks: BlockDefinition[];
  /** Blocks by the offset their body starts at, which is where their `{% block %}` tag ends. */
  blocksByBodyStart: ReadonlyMap<number, BlockDefinition>;
  /** The first block of each name. */
  blocksByName: ReadonlyMap<string, BlockDefinition>;
  /** The name of the block around each `{{ super() }}` or `{{ block.super }}`, by the expression's offset. */
  superCallBlocks: ReadonlyMap<number, string>;
  /** The template named by `{% extends "base.html" %}`, when it is a literal name. */
  extendsName: string | undefined;
  /** Local names of macros imported with `{% from "forms.html" import field as f %}`, to the macro's own name. */
  importedMacros: ReadonlyMap<string, string>;
  /** Names bound to whole templates with `{% import "lib.html" as lib %}`. */
  importedTemplates: ReadonlySet<string>;
}

/** Each template is read once for all the rules, fixes and notes that ask about it. */
const documentsByFile = new WeakMap<TemplateFile, TemplateDocument>();

export function readTemplateDocument(file: TemplateFile): TemplateDocument {
  let document = documentsByFile.get(file);
  if (!document) {
    document = readDocument(file);
    documentsByFile.set(file, document);
  }
  return document;
}

/**
 * Non-blocking notes on templates whose markup a rule read but not all as written: elements nested
 * past `MAX_MARKUP_DEPTH` (what follows was read as if at the top level).
 */
export function templateReadingNotes(templates: readonly TemplateFile[]): ScanError[] {
  return templates.flatMap((file) => {
    const line = documentsByFile.get(file)?.markup.deepNestingLines[0];
    if (line === undefined) return [];
    return [{ path: file.path, message: `elements nest more than ${MAX_MARKUP_DEPTH.toLocaleString('en-US')} deep at line ${line}: the markup after that was read as if at the top level, so a form open across it was not checked` }];
  });
}

function readDocument(file: TemplateFile): TemplateDocument {
  const source = file.path.endsWith(CHAMELEON_EXTENSION) ? readChameleonSource(file.text) : readTemplateSource(file.text);
  const imports = readImports(source);
  const extendsTag = source.tags.find((tag) => tag.kind === 'statement' && statementName(tag) === 'extends');
  const extendsName = extendsTag && firstStringLiteral(statementArguments(extendsTag));
  const blocks = readBlocks(source);
  return { file, source, markup: readMarkup(source), macros: readMacros(source), ...blocks, extendsName, ...imports };
}

/**
 * The first quoted string of a tag's arguments: `"base.html"` in `{% include "base.html" with x=1 %}`
 * or `{% include ["a.html", "b.html"] %}`; `undefined` when the name is a variable.
 */
export function firstStringLiteral(text: string): string | undefined {
  const start = /^\[?\s*(["'])/.exec(text);
  if (!start) return undefined;
  const close = text.indexOf(start[1]!, start[0].length);
  return close < 0 ? undefined : text.slice(start[0].length, close);
}

type BlockFacts = Pick<TemplateDocument, 'blocks' | 'blocksByBodyStart' | 'blocksByName' | 'superCallBlocks'>;

/** Blocks closed in the same template, nested ones too, and the block each call of the parent's block is in. */
function readBlocks(source: TemplateSource): BlockFacts {
  const blocks: BlockDefinition[] = [];
  const superCallBlocks = new Map<number, string>();
  const open: Array<{ name: string; bodyStart: number }> = [];
  for (const tag of source.tags) {
    if (tag.kind === 'expression' && /\bsuper\b/.test(tag.content) && open.length > 0) superCallBlocks.set(tag.start, open.at(-1)!.name);
    if (tag.kind !== 'statement') continue;
    const name = statementName(tag);
    if (name === 'block') {
      open.push({ name: /^[A-Za-z_]\w*/.exec(statementArguments(tag))?.[0] ?? '', bodyStart: tag.end });
    } else if (name === 'endblock') {
      const block = open.pop();
      if (block) blocks.push({ ...block, bodyEnd: tag.start });
    }
  }
  const blocksByName = new Map<string, BlockDefinition>();
  for (const block of blocks) if (!blocksByName.has(block.name)) blocksByName.set(block.name, block);
  return { blocks, blocksByBodyStart: new Map(blocks.map((block) => [block.bodyStart, block])), blocksByName, superCallBlocks };
}

/** Macros closed in the same template; nested ones are found too. */
function readMacros(source: TemplateSource): MacroDefinition[] {
  const macros: MacroDefinition[] = [];
  const open: Array<{ name: string; bodyStart: number }> = [];
  for (const tag of source.tags) {
    if (tag.kind !== 'statement') continue;
    const name = statementName(tag);
    if (name === 'macro') {
      open.push({ name: /^[A-Za-z_]\w*/.exec(statementArguments(tag))?.[0] ?? '', bodyStart: tag.end });
    } else if (name === 'endmacro') {
      const macro = open.pop();
      if (macro) macros.push({ ...macro, bodyEnd: tag.start });
    }
  }
  return macros;
}

function readImports(source: TemplateSource): Pick<TemplateDocument, 'importedMacros' | 'importedTemplates'> {
  const importedMacros = new Map<string, string>();
  const importedTemplates = new Set<string>();
  for (const tag of source.tags) {
    if (tag.kind !== 'statement') continue;
    const name = statementName(tag);
    const rest = statementArguments(tag);
    if (name === 'from') {
      for (const [local, imported] of fromImportNames(rest)) importedMacros.set(local, imported);
    } else if (name === 'import') {
      const alias = /\bas\s+([A-Za-z_]\w*)/.exec(rest)?.[1];
      if (alias) importedTemplates.add(alias);
    }
  }
  return { importedMacros, importedTemplates };
}

/** `"forms.html" import field, submit as button with context` gives `field → field`, `button → submit`. */
function fromImportNames(rest: string): Array<[string, string]> {
  const keyword = /\bimport\s/.exec(rest);
  if (!keyword) return [];
  const words = rest.slice(keyword.index + keyword[0].length).trim().split(/\s+/);
  if (words.at(-1) === 'context' && ['with', 'without'].includes(words.at(-2) ?? '')) words.length -= 2;
  return words.join(' ').split(',').flatMap((item) => {
    const match = /^\s*([A-Za-z_]\w*)(?:\s+as\s+([A-Za-z_]\w*))?\s*$/.exec(item);
    return match ? [[match[2] ?? match[1]!, match[1]!] as [string, string]] : [];
  });
}
