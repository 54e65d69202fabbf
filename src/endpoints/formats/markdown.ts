import type { CsrfState, Endpoint } from '../endpoint.js';
import type { InventoryReport } from './index.js';
import { byApp, findingsText, location, protectionText, totalsLine, totalsOf } from './totals.js';
import { escapeTerminal } from '../../report/escape.js';

/** For a pull-request comment or an audit report: one table per app, unprotected, exempt and unknown first. */
export function inventoryMarkdown({ endpoints, unroutedFindings }: InventoryReport): string {
  const lines = ['# CSRF endpoint inventory', '', `${totalsLine(totalsOf(endpoints))}.`];
  for (const group of byApp(endpoints)) {
    lines.push('', `## ${cell(group.app)} (${group.framework})`, '', '| CSRF | methods | route | view | location | credentials | protection | findings |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const endpoint of group.endpoints) lines.push(row(endpoint));
  }
  if (unroutedFindings.length > 0) {
    lines.push('', '## Findings about views no route reaches', '');
    for (const finding of unroutedFindings) lines.push(`- ${finding.code} \`${finding.rule}\` at ${cell(`${finding.path}:${finding.line}`)}`);
  }
  return `${lines.join('\n')}\n`;
}

const NEEDS_A_LOOK = new Set<CsrfState>(['unprotected', 'exempt', 'writes-on-get', 'unknown']);

function row(endpoint: Endpoint): string {
  const state = NEEDS_A_LOOK.has(endpoint.csrf) ? `**${endpoint.csrf}**` : endpoint.csrf;
  const cells = [state, endpoint.methods.join(' '), code(endpoint.route ?? ''), code(endpoint.view), cell(location(endpoint)), endpoint.credentials, cell(protectionText(endpoint) + (endpoint.reason ? `; ${endpoint.reason}` : '')), cell(findingsText(endpoint))];
  return `| ${cells.join(' | ')} |`;
}

/**
 * Text in a table cell: no pipe, newline or markup can break out of it, and controls and bidi
 * overrides show as `check` shows them (`\x1B`, `\u202E`, `\x0A`).
 */
function cell(text: string): string {
  return escapeTerminal(text).replace(/[\\`*_[\]<>|]/g, (character) => `\\${character}`).replace(/\s+/g, ' ');
}

function code(text: string): string {
  if (text === '') return '';
  const clean = escapeTerminal(text).replace(/\s+/g, ' ').replace(/\|/g, '\\|');
  const fence = clean.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${clean}${fence.length > 1 ? ' ' : ''}${fence}`;
}
