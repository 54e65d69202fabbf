import type { Palette } from '../../report/color.js';
import type { Inventory } from '../inventory.js';
import { inventoryCsv } from './csv.js';
import { inventoryHtml } from './html.js';
import { inventoryJson } from './json.js';
import { inventoryMarkdown } from './markdown.js';
import { inventoryTable } from './table.js';

export const ENDPOINT_FORMATS = ['table', 'json', 'markdown', 'csv', 'html'] as const;
export type EndpointFormat = (typeof ENDPOINT_FORMATS)[number];

/** The inventory as a reporter sees it: the endpoints to show, and the csrflint version that made it. */
export interface InventoryReport extends Inventory {
  version: string;
}

const RENDERERS: Record<EndpointFormat, (report: InventoryReport, palette: Palette) => string> = {
  table: inventoryTable,
  json: inventoryJson,
  markdown: inventoryMarkdown,
  csv: inventoryCsv,
  html: inventoryHtml,
};

export function renderInventory(format: EndpointFormat, report: InventoryReport, palette: Palette): string {
  return RENDERERS[format](report, palette);
}
