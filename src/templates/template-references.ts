import type { Project } from '../project/project.js';
import type { TemplateDocument } from './template-document.js';

/** A template's file name in a template: `{% include "cart.html" %}`, `{% extends "shop/base.html" %}`. */
const TEMPLATE_FILE_NAME = /[\w.-]+\.(?:html?|jinja2?|j2|djhtml|txt)\b/g;

/**
 * Which templates the project names anywhere, read from every string literal of its Python code
 * (`render(...)`, `render_template(...)`, `TemplateResponse(...)`, `template_name = ...`, lists and
 * dicts of names) and every template (`include`, `extends`, `import`), by file name and by stem:
 * `"configs/" + name + ".html"` or a theme folder still names `general` somewhere, but an f-string
 * is not read, so a template no one names may still be rendered. One pass over each.
 */
export class TemplateReferences {
  /** Read on the first question: walking every fact of every module costs more than most scans ever ask. */
  private serverNames: Set<string> | undefined;

  constructor(
    private readonly project: Project,
    private readonly documents: readonly TemplateDocument[],
  ) {}

  /** Whether server code names the template, by its file name or its stem. */
  isNamed(document: TemplateDocument): boolean {
    const fileName = document.file.path.slice(document.file.path.lastIndexOf('/') + 1);
    const stem = fileName.slice(0, fileName.indexOf('.') > 0 ? fileName.indexOf('.') : undefined);
    const names = this.namesInCode();
    return names.has(fileName) || names.has(stem);
  }

  private namesInCode(): Set<string> {
    if (this.serverNames) return this.serverNames;
    const names = new Set<string>();
    for (const module of this.project.modules) collectStrings(module.facts, (value) => this.addNames(names, value));
    for (const document of this.documents) for (const match of document.source.text.matchAll(TEMPLATE_FILE_NAME)) this.addNames(names, match[0]);
    this.serverNames = names;
    return names;
  }

  /** The last path segment of a name, whole and without its extensions; a template's own name in its text counts too, which is harmless. */
  private addNames(into: Set<string>, value: string): void {
    if (value.length > MAX_NAME_LENGTH) return;
    const fileName = value.slice(Math.max(value.lastIndexOf('/'), value.lastIndexOf('\\')) + 1).trim();
    if (fileName === '') return;
    into.add(fileName);
    const dot = fileName.indexOf('.');
    if (dot > 0) into.add(fileName.slice(0, dot));
  }
}

/** Longer strings are text, not template names. */
const MAX_NAME_LENGTH = 300;

/** Every string literal in the facts of a module, wherever it sits (call arguments, assignments, returns, decorators). */
function collectStrings(value: unknown, found: (text: string) => void): void {
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    if ((next as { kind?: unknown }).kind === 'string' && typeof (next as { value?: unknown }).value === 'string') {
      found((next as { value: string }).value);
      continue;
    }
    for (const child of Array.isArray(next) ? next : Object.values(next)) if (typeof child === 'object' && child !== null) pending.push(child);
  }
}
