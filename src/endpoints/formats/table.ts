import type { Palette } from '../../report/color.js';
import { escapeTerminal } from '../../report/escape.js';
import type { Endpoint } from '../endpoint.js';
import type { InventoryReport } from './index.js';
import { byApp, findingsText, location, protectionText, totalsLine, totalsOf } from './totals.js';

const HEADER = ['csrf', 'methods', 'route', 'view', 'location', 'credentials', 'protection', 'findings'];

/** For a terminal: one aligned table per app, unprotected, exempt and unknown first, then the totals. */
export function inventoryTable({ endpoints, unroutedFindings }: InventoryReport, palette: Palette): string {
  const lines: string[] = [];
  for (const group of byApp(endpoints)) {
    lines.push(palette.bold(`${oneLine(group.app)} (${group.framework})`));
    const rows = group.endpoints.map(cells);
    const widths = HEADER.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    const format = (row: string[]) => row.map((text, column) => text.padEnd(widths[column]!)).join('  ').trimEnd();
    lines.push(palette.dim(format(HEADER)));
    group.endpoints.forEach((endpoint, index) => lines.push(colored(endpoint, format(rows[index]!), palette)));
    lines.push('');
  }
  const totals = totalsOf(endpoints);
  lines.push(palette.bold(`${totalsLine(totals)}.`));
  if (totals.unexplained > 0) lines.push(palette.yellow(`${totals.unexplained} unprotected or exempt endpoints in production code have no finding: please report this as a csrflint bug.`));
  for (const finding of unroutedFindings) lines.push(palette.dim(`${oneLine(finding.path)}:${finding.line}: ${finding.code} [${finding.rule}] is about a view no route of the scanned code reaches.`));
  return `${lines.join('\n')}\n`;
}

function cells(endpoint: Endpoint): string[] {
  const protection = protectionText(endpoint) + (endpoint.reason ? `; ${endpoint.reason}` : '');
  return [endpoint.csrf, endpoint.methods.join(','), oneLine(endpoint.route ?? '-'), endpoint.view, location(endpoint), endpoint.credentials, protection, findingsText(endpoint)].map(oneLine);
}

/**
 * Scanned text is printed on one line, escaped as every text report escapes it (controls, line
 * breaks, bidi overrides): `new\x0Aline.py`, never `new line.py`, which names another file.
 */
function oneLine(text: string): string {
  return escapeTerminal(text);
}

function colored(endpoint: Endpoint, line: string, palette: Palette): string {
  if (endpoint.csrf === 'unprotected') return palette.red(line);
  if (endpoint.csrf === 'exempt' || endpoint.csrf === 'writes-on-get') return palette.yellow(line);
  if (endpoint.csrf === 'unknown') return palette.cyan(line);
  return line;
}
