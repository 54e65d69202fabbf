import { escapeHtml } from '../../report/escape.js';
import { pageHead } from '../../report/html-page.js';
import { DOCS_BASE_URL } from '../../report/rule-metadata.js';
import { findRule } from '../../rules/index.js';
import { CSRF_STATES, type Endpoint, type EndpointFinding } from '../endpoint.js';
import type { InventoryReport } from './index.js';
import { byApp, totalsLine, totalsOf } from './totals.js';

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0; --unprotected: #cf222e; --exempt: #9a6700; --writes-on-get: #bc4c00; --protected: #1a7f37; --unknown: #8250df; --safe: #8c959f; --link: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #161b22; --line: #3d444d; --unprotected: #ff7b72; --exempt: #d29922; --writes-on-get: #f0883e; --protected: #3fb950; --unknown: #a371f7; --safe: #6e7681; --link: #58a6ff; } }
body { margin: 0 auto; max-width: 90rem; padding: 1.5rem; font: 14px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
h1 { margin-top: 0; } h2 { border-bottom: 1px solid var(--line); padding-bottom: .3rem; margin-top: 2rem; }
code { font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
a { color: var(--link); }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: .25rem .6rem .25rem 0; border-bottom: 1px solid var(--line); }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; color: var(--fg); cursor: pointer; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; } th[aria-sort="descending"] button::after { content: " \\25BC"; }
.state { display: inline-block; min-width: 6.5em; text-align: center; border-radius: 1em; padding: 0 .5em; font-size: 12px; font-weight: 600; color: #fff; }
.state.unprotected, rect.unprotected, .swatch.unprotected { background: var(--unprotected); fill: var(--unprotected); }
.state.exempt, rect.exempt, .swatch.exempt { background: var(--exempt); fill: var(--exempt); }
.state.writes-on-get, rect.writes-on-get, .swatch.writes-on-get { background: var(--writes-on-get); fill: var(--writes-on-get); }
.state.protected, rect.protected, .swatch.protected { background: var(--protected); fill: var(--protected); }
.state.unknown, rect.unknown, .swatch.unknown { background: var(--unknown); fill: var(--unknown); }
.state.safe, rect.safe, .swatch.safe { background: var(--safe); fill: var(--safe); }
svg text { fill: var(--fg); font-size: 12px; } svg text.count { fill: #fff; font-weight: 600; }
.legend span { margin-right: 1rem; } .swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: .3em; }
.controls { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; margin: 1rem 0; }
.controls input[type="search"] { min-width: 20rem; padding: .2rem .4rem; }
tr.hidden { display: none; }
`;

/** Sorting and filtering; allowed by its hash, like the style sheet: nothing else can run on the page. */
const SCRIPT = `
(() => {
  const table = document.getElementById('endpoints');
  const body = table.tBodies[0];
  const search = document.getElementById('filter');
  const boxes = [...document.querySelectorAll('input[name="state"]')];
  const count = document.getElementById('shown');
  const apply = () => {
    const words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    const states = new Set(boxes.filter((box) => box.checked).map((box) => box.value));
    let shown = 0;
    for (const row of body.rows) {
      const text = row.textContent.toLowerCase();
      const visible = states.has(row.dataset.csrf) && words.every((word) => text.includes(word));
      row.classList.toggle('hidden', !visible);
      if (visible) shown++;
    }
    count.textContent = String(shown);
  };
  search.addEventListener('input', apply);
  for (const box of boxes) box.addEventListener('change', apply);
  for (const [index, header] of [...table.tHead.rows[0].cells].entries()) {
    header.querySelector('button').addEventListener('click', () => {
      const ascending = header.getAttribute('aria-sort') !== 'ascending';
      for (const other of table.tHead.rows[0].cells) other.removeAttribute('aria-sort');
      header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const key = (row) => row.cells[index].dataset.sort ?? row.cells[index].textContent;
      const rows = [...body.rows].sort((a, b) => key(a).localeCompare(key(b), undefined, { numeric: true }) * (ascending ? 1 : -1));
      body.append(...rows);
    });
  }
  apply();
})();
`;

const COLUMNS = ['CSRF', 'app', 'methods', 'route', 'view', 'location', 'credentials', 'protection', 'findings'];

/**
 * One self-contained page: a chart of endpoints by CSRF state per app, then a sortable, filterable
 * table with links to the findings. Scanned text is escaped, and the Content-Security-Policy allows
 * only this page's own style sheet and script (by hash), as the HTML report does.
 */
export function inventoryHtml(report: InventoryReport): string {
  const { endpoints } = report;
  const title = `csrflint endpoints: ${totalsLine(totalsOf(endpoints))}`;
  return [
    ...pageHead(title, STYLE, SCRIPT),
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="muted">csrflint ${escapeHtml(report.version)}</p>`,
    '<h2>By app</h2>',
    chart(endpoints),
    '<h2>Endpoints</h2>',
    controls(endpoints.length),
    endpointTable(endpoints),
    findingsSection(endpoints, report.unroutedFindings),
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const BAR_WIDTH = 480;
const BAR_HEIGHT = 18;
const LABEL_WIDTH = 320;

/** One stacked bar per app: how many of its endpoints are in each state. */
function chart(endpoints: readonly Endpoint[]): string {
  const groups = byApp(endpoints);
  const largest = Math.max(1, ...groups.map((group) => group.endpoints.length));
  const rowHeight = BAR_HEIGHT + 8;
  const bars = groups.map((group, index) => {
    const y = index * rowHeight;
    let x = LABEL_WIDTH;
    const segments = CSRF_STATES.flatMap((state) => {
      const count = group.endpoints.filter((endpoint) => endpoint.csrf === state).length;
      if (count === 0) return [];
      const width = (count / largest) * BAR_WIDTH;
      const segment = `<rect class="${state}" x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}"><title>${escapeHtml(`${group.app}: ${count} ${state}`)}</title></rect><text class="count" x="${(x + 4).toFixed(1)}" y="${y + 13}">${count}</text>`;
      x += width;
      return [segment];
    });
    return `<g data-app="${escapeHtml(group.app)}"><text x="0" y="${y + 13}">${escapeHtml(truncate(`${group.app} (${group.framework})`, 48))}</text>${segments.join('')}</g>`;
  });
  const height = Math.max(rowHeight, groups.length * rowHeight);
  const legend = CSRF_STATES.map((state) => `<span><span class="swatch ${state}"></span>${state}</span>`).join('');
  return `<svg id="chart" role="img" aria-label="Endpoints by CSRF state per app" width="${LABEL_WIDTH + BAR_WIDTH + 10}" height="${height}" viewBox="0 0 ${LABEL_WIDTH + BAR_WIDTH + 10} ${height}">${bars.join('')}</svg>\n<p class="legend">${legend}</p>`;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function controls(total: number): string {
  const boxes = CSRF_STATES.map((state) => `<label><input type="checkbox" name="state" value="${state}" checked> ${state}</label>`).join(' ');
  return `<div class="controls"><input id="filter" type="search" placeholder="Filter: route, view, file, app..." aria-label="Filter endpoints"> ${boxes} <span class="muted"><span id="shown">${total}</span> of ${total} shown</span></div>`;
}

function endpointTable(endpoints: readonly Endpoint[]): string {
  const header = COLUMNS.map((column) => `<th scope="col"><button type="button">${column}</button></th>`).join('');
  const rows = endpoints.map((endpoint) => {
    const rank = CSRF_STATES.indexOf(endpoint.csrf);
    const protection = [endpoint.protection ?? '', endpoint.evidence ? ` (${endpoint.evidence.path}:${endpoint.evidence.line})` : '', endpoint.reason ? `; ${endpoint.reason}` : ''].join('');
    const cells = [
      `<td data-sort="${rank}"><span class="state ${endpoint.csrf}">${endpoint.csrf}</span></td>`,
      `<td>${escapeHtml(endpoint.app)}</td>`,
      `<td>${escapeHtml(endpoint.methods.join(' '))}</td>`,
      `<td><code>${escapeHtml(endpoint.route ?? '')}</code></td>`,
      `<td><code>${escapeHtml(endpoint.view)}</code></td>`,
      `<td data-sort="${escapeHtml(`${endpoint.path}:${String(endpoint.line).padStart(6, '0')}`)}"><code>${escapeHtml(`${endpoint.path}:${endpoint.line}`)}</code></td>`,
      `<td>${escapeHtml(endpoint.credentials)}</td>`,
      `<td>${escapeHtml(protection)}</td>`,
      `<td>${endpoint.findings.map(findingLink).join('<br>')}</td>`,
    ];
    return `<tr data-csrf="${endpoint.csrf}">${cells.join('')}</tr>`;
  });
  return `<table id="endpoints"><thead><tr>${header}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function findingLink(finding: EndpointFinding): string {
  return `<a href="#finding-${escapeHtml(finding.fingerprint)}">${escapeHtml(finding.code)}</a>`;
}

/** Every finding an endpoint names, once, with its place and the rule's documentation. */
function findingsSection(endpoints: readonly Endpoint[], unrouted: readonly EndpointFinding[]): string {
  const findings = new Map<string, EndpointFinding>();
  for (const finding of endpoints.flatMap((endpoint) => endpoint.findings)) findings.set(finding.fingerprint, finding);
  const items = [...findings.values()].map((finding) => findingItem(finding, ''));
  const unroutedItems = unrouted.map((finding) => findingItem(finding, ' (about a view no route of the scanned code reaches)'));
  if (items.length + unroutedItems.length === 0) return '<h2>Findings</h2>\n<p>No finding names these endpoints.</p>';
  return `<h2>Findings</h2>\n<ul id="findings">\n${[...items, ...unroutedItems].join('\n')}\n</ul>`;
}

function findingItem(finding: EndpointFinding, note: string): string {
  const rule = findRule(finding.rule);
  const doc = `<a href="${escapeHtml(`${DOCS_BASE_URL}${finding.rule}.md`)}">${escapeHtml(finding.rule)}</a>`;
  const title = rule ? ` ${escapeHtml(rule.title)}` : '';
  const suppressed = finding.suppressed ? ' <span class="muted">(suppressed)</span>' : '';
  return `<li id="finding-${escapeHtml(finding.fingerprint)}"><code>${escapeHtml(finding.code)}</code> ${doc}:${title} at <code>${escapeHtml(`${finding.path}:${finding.line}`)}</code>${suppressed}${escapeHtml(note)} <span class="muted">fingerprint ${escapeHtml(finding.fingerprint)}</span></li>`;
}
