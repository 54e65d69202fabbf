import type { TemplateForm } from './forms.js';
import type { BlockDefinition, TemplateDocument } from './template-document.js';
import type { TemplateLibrary } from './template-library.js';

/** Blocks placed by the blocks of parent templates: deeper chains are not followed (and cycles end). */
const MAX_PLACEMENT_DEPTH = 16;

/**
 * Whether htmx sends the form: the innermost element around it (itself included) with `hx-boost`
 * says so; when none does in its own template and the form is in a `{% block %}`, the element
 * around the block's place decides: in the farthest template up the `{% extends %}` chain that
 * defines the block (a nearer one only overrides it), then around the block that one is in.
 */
export function isBoostedByHtmx(library: TemplateLibrary, document: TemplateDocument, form: TemplateForm): boolean {
  return boostAt(library, document, form.start, undefined, 0) === true;
}

/** The boost at `offset` of `document`, which is the place of `placed` when a child's block is looked for. */
function boostAt(library: TemplateLibrary, document: TemplateDocument, offset: number, placed: BlockDefinition | undefined, depth: number): boolean | undefined {
  const own = innermostBoost(document, offset);
  if (own !== undefined || depth >= MAX_PLACEMENT_DEPTH) return own;
  const block = innermostBlock(document.blocks.filter((candidate) => candidate !== placed), offset);
  if (!block) return undefined;
  const placing = library.chainOf(document).slice(1).reverse().find((ancestor) => ancestor.blocksByName.has(block.name));
  if (!placing) return undefined;
  const definition = placing.blocksByName.get(block.name)!;
  return boostAt(library, placing, definition.bodyStart, definition, depth + 1);
}

function innermostBoost(document: TemplateDocument, offset: number): boolean | undefined {
  let innermost: { start: number; boosted: boolean } | undefined;
  for (const boost of document.markup.boosts) {
    if (boost.start <= offset && offset < boost.end && (!innermost || boost.start > innermost.start)) innermost = boost;
  }
  return innermost?.boosted;
}

function innermostBlock(blocks: readonly BlockDefinition[], offset: number): BlockDefinition | undefined {
  let innermost: BlockDefinition | undefined;
  for (const block of blocks) {
    if (block.bodyStart <= offset && offset <= block.bodyEnd && (!innermost || block.bodyStart > innermost.bodyStart)) innermost = block;
  }
  return innermost;
}
