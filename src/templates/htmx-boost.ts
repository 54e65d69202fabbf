import type { TemplateForm } from './forms.js';
import { InnermostRegions } from './innermost-region.js';
import type { BlockDefinition, TemplateDocument } from './template-document.js';
import type { TemplateLibrary } from './template-library.js';

/** Blocks placed by the blocks of parent templates: deeper chains are not followed (and cycles end). */
const MAX_PLACEMENT_DEPTH = 16;

/** The `hx-boost` elements and the blocks of a template, indexed once for all its forms. */
interface BoostRegions {
  boosts: InnermostRegions<{ boosted: boolean }>;
  blocks: InnermostRegions<BlockDefinition>;
}

const regionsByDocument = new WeakMap<TemplateDocument, BoostRegions>();

/**
 * Whether htmx sends the form: the innermost element around it (itself included) with `hx-boost`
 * says so; when none does in its own template and the form is in a `{% block %}`, the element
 * around the block's place decides: in the farthest template up the `{% extends %}` chain that
 * defines the block (a nearer one only overrides it), then around the block that one is in.
 */
export function isBoostedByHtmx(library: TemplateLibrary, document: TemplateDocument, form: TemplateForm): boolean {
  return boostAt(library, document, form.start, regionsOf(document).blocks.at(form.start), 0) === true;
}

/** The boost at `offset` of `document`, whose innermost block there (when the boost is not its own) is `block`. */
function boostAt(library: TemplateLibrary, document: TemplateDocument, offset: number, block: BlockDefinition | undefined, depth: number): boolean | undefined {
  const own = regionsOf(document).boosts.at(offset)?.boosted;
  if (own !== undefined || depth >= MAX_PLACEMENT_DEPTH || !block) return own;
  const placing = library.chainOf(document).slice(1).reverse().find((ancestor) => ancestor.blocksByName.has(block.name));
  if (!placing) return undefined;
  const definition = placing.blocksByName.get(block.name)!;
  return boostAt(library, placing, definition.bodyStart, regionsOf(placing).blocks.around(definition), depth + 1);
}

function regionsOf(document: TemplateDocument): BoostRegions {
  let regions = regionsByDocument.get(document);
  if (!regions) {
    regions = {
      boosts: new InnermostRegions(document.markup.boosts, (boost) => boost.start, (boost) => boost.end),
      // A block's body includes its end: the offset of its `{% endblock %}`.
      blocks: new InnermostRegions(document.blocks, (block) => block.bodyStart, (block) => block.bodyEnd + 1),
    };
    regionsByDocument.set(document, regions);
  }
  return regions;
}
