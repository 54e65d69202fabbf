import type { InventoryReport } from './index.js';
import { totalsOf } from './totals.js';

/** The inventory for tools: see `schemas/csrflint-endpoints.schema.json`. */
export function inventoryJson(report: InventoryReport): string {
  const { version, endpoints, unroutedFindings } = report;
  return `${JSON.stringify({ version, totals: totalsOf(endpoints), endpoints, unroutedFindings }, null, 2)}\n`;
}
