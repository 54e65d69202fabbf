import { stringify } from 'csv-stringify/sync';
import type { InventoryReport } from './index.js';

const COLUMNS = ['framework', 'app', 'path', 'line', 'view', 'route', 'methods', 'credentials', 'csrf', 'protection', 'evidence', 'reason', 'context', 'findings'];

/** One row per endpoint, for a spreadsheet; findings as `rule:fingerprint`, space-separated. */
export function inventoryCsv({ endpoints }: InventoryReport): string {
  const rows = endpoints.map((endpoint) => [
    endpoint.framework,
    endpoint.app,
    endpoint.path,
    endpoint.line,
    endpoint.view,
    endpoint.route ?? '',
    endpoint.methods.join(' '),
    endpoint.credentials,
    endpoint.csrf,
    endpoint.protection ?? '',
    endpoint.evidence ? `${endpoint.evidence.path}:${endpoint.evidence.line}` : '',
    endpoint.reason ?? '',
    endpoint.context,
    endpoint.findings.map((finding) => `${finding.rule}:${finding.fingerprint}`).join(' '),
  ]);
  return stringify(rows, { header: true, columns: COLUMNS, cast: { string: inertInSpreadsheets } });
}

/**
 * The scanned repository writes routes, views and file names: a cell it starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return would run as a formula when the file is opened in a spreadsheet.
 * As OWASP advises for CSV injection, such a cell gets a leading `'`, which spreadsheets show as text.
 */
function inertInSpreadsheets(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
