import type { TemplateDocument } from './template-document.js';

/** Templates extending templates: deeper chains are not followed (and cycles end). */
const MAX_EXTENDS_DEPTH = 16;

/**
 * The templates of a scan by the names code and other templates give them: `shop/cart.html` is
 * `app/templates/shop/cart.html`. A name several projects use is the one nearest the template
 * that asks: same project, then the longest shared path.
 */
export class TemplateLibrary {
  private readonly byBaseName = new Map<string, TemplateDocument[]>();
  private readonly parents = new Map<TemplateDocument, TemplateDocument | undefined>();
  private children: Map<TemplateDocument, TemplateDocument[]> | undefined;

  constructor(readonly documents: readonly TemplateDocument[]) {
    for (const document of documents) {
      const baseName = document.file.path.slice(document.file.path.lastIndexOf('/') + 1);
      const sameName = this.byBaseName.get(baseName) ?? [];
      sameName.push(document);
      this.byBaseName.set(baseName, sameName);
    }
  }

  /** The template a name refers to from `near`: its path ends with the name; never `excluded`. */
  resolve(name: string, near: TemplateDocument, excluded?: TemplateDocument): TemplateDocument | undefined {
    const trimmed = name.replace(/^\.?\//, '');
    const baseName = trimmed.slice(trimmed.lastIndexOf('/') + 1);
    const candidates = (this.byBaseName.get(baseName) ?? []).filter((document) => document !== excluded && (document.file.path === trimmed || document.file.path.endsWith(`/${trimmed}`)));
    const sameProject = candidates.filter((document) => document.file.projectRoot === near.file.projectRoot);
    const pool = sameProject.length > 0 ? sameProject : candidates;
    let best: TemplateDocument | undefined;
    for (const candidate of pool) if (!best || sharedPrefixLength(candidate.file.path, near.file.path) > sharedPrefixLength(best.file.path, near.file.path)) best = candidate;
    return best;
  }

  /** The template `document` extends, when its name is literal and found. */
  parentOf(document: TemplateDocument): TemplateDocument | undefined {
    if (!this.parents.has(document)) {
      // `admin/base.html` extending `base.html` (or overriding the `admin/base.html` of a library) extends another template than itself.
      const parent = document.extendsName === undefined ? undefined : this.resolve(document.extendsName, document, document);
      this.parents.set(document, parent);
    }
    return this.parents.get(document);
  }

  /** `document` and the templates it extends, nearest first. */
  chainOf(document: TemplateDocument): TemplateDocument[] {
    const chain = [document];
    for (let parent = this.parentOf(document); parent && !chain.includes(parent) && chain.length < MAX_EXTENDS_DEPTH; parent = this.parentOf(parent)) chain.push(parent);
    return chain;
  }

  /** The templates that extend `document`, directly or through others. */
  descendantsOf(document: TemplateDocument): TemplateDocument[] {
    const children = this.childIndex();
    const found: TemplateDocument[] = [];
    const seen = new Set([document]);
    let generation = [document];
    for (let depth = 0; depth < MAX_EXTENDS_DEPTH && generation.length > 0; depth++) {
      generation = generation.flatMap((parent) => children.get(parent) ?? []).filter((child) => !seen.has(child));
      for (const child of generation) seen.add(child);
      found.push(...generation);
    }
    return found;
  }

  private childIndex(): Map<TemplateDocument, TemplateDocument[]> {
    if (this.children) return this.children;
    this.children = new Map();
    for (const document of this.documents) {
      const parent = this.parentOf(document);
      if (!parent) continue;
      const siblings = this.children.get(parent) ?? [];
      siblings.push(document);
      this.children.set(parent, siblings);
    }
    return this.children;
  }
}

function sharedPrefixLength(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
}
