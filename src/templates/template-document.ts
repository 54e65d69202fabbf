import type { TemplateFile } from '../project/scanned-file.js';
import { readMarkup, type TemplateMarkup } from './forms.js';
import { readTemplateSource, statementArguments, statementName, type TemplateSource } from './template-syntax.js';

/** A Jinja `{% macro name(...) %}...{% endmacro %}`. */
export interface MacroDefinition {
  name: string;
  /** Offsets of the body, between the two tags. */
  bodyStart: number;
  bodyEnd: number;
}

/** A template read once for every question a rule asks of it. */
export interface TemplateDocument {
  file: TemplateFile;
  source: TemplateSource;
  markup: TemplateMarkup;
  macros: MacroDefinition[];
  /** Local names of macros imported with `{% from "forms.html" import field as f %}`, to the macro's own name. */
  importedMacros: ReadonlyMap<string, string>;
  /** Names bound to whole templates with `{% import "lib.html" as lib %}`. */
  importedTemplates: ReadonlySet<string>;
}

export function readTemplateDocument(file: TemplateFile): TemplateDocument {
  const source = readTemplateSource(file.text);
  const imports = readImports(source);
  return { file, source, markup: readMarkup(source), macros: readMacros(source), ...imports };
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
  const list = /\bimport\s+([\s\S]+?)(?:\s+with(?:out)?\s+context)?$/.exec(rest)?.[1] ?? '';
  return list.split(',').flatMap((item) => {
    const match = /^\s*([A-Za-z_]\w*)(?:\s+as\s+([A-Za-z_]\w*))?\s*$/.exec(item);
    return match ? [[match[2] ?? match[1]!, match[1]!] as [string, string]] : [];
  });
}
