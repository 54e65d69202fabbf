import type { CheckResult, Finding } from '../finding.js';
import { RULES } from '../rules/index.js';
import type { Rule, Severity } from '../rules/rule.js';
import { renderRuleDoc } from '../rules/doc.js';
import { escapeHtml } from './escape.js';
import { pageHead } from './html-page.js';
import { inlineHtml, markdownToHtml } from './markdown-html.js';
import { type ReportContext, type Reporter, shownFindings } from './reporter.js';
import { fixOf, ruleOf } from './rule-metadata.js';
import { guardedHiddenLine, plural } from './summary.js';

const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];
const EXCERPT_CONTEXT_LINES = 2;

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0; --mark: #fff8c5; --high: #cf222e; --medium: #9a6700; --low: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #161b22; --line: #3d444d; --mark: #4d3d00; --high: #ff7b72; --medium: #d29922; --low: #58a6ff; } }
body { margin: 0 auto; max-width: 70rem; padding: 1.5rem; font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
h1 { margin-top: 0; } h2 { border-bottom: 1px solid var(--line); padding-bottom: .3rem; margin-top: 2rem; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; overflow-x: auto; }
table { border-collapse: collapse; } th, td { text-align: left; padding: .25rem .8rem .25rem 0; border-bottom: 1px solid var(--line); }
td.count { text-align: right; }
a { color: var(--low); }
.muted { color: var(--muted); }
.badge { display: inline-block; min-width: 4.5em; text-align: center; border-radius: 1em; padding: 0 .5em; font-size: 12px; font-weight: 600; color: #fff; }
.badge.high { background: var(--high); } .badge.medium { background: var(--medium); } .badge.low { background: var(--low); }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px; padding: .2rem 1rem .6rem; margin: 1rem 0; }
.finding.high { border-left-color: var(--high); } .finding.medium { border-left-color: var(--medium); } .finding.low { border-left-color: var(--low); }
.finding h4 { margin: .6rem 0 .2rem; font-size: 15px; }
.excerpt .number { color: var(--muted); user-select: none; }
.excerpt .reported { background: var(--mark); display: inline-block; min-width: 100%; }
.suppressed { opacity: .7; }
details.rule-doc { margin-top: .5rem; } details.rule-doc > summary { cursor: pointer; color: var(--low); }
`;

/**
 * A single page a reviewer opens in a browser: a summary by rule and severity, every finding with
 * its code and the rule's fix, then each reported rule's documentation, once. The page is self-contained and loads
 * nothing; every piece of scanned code and every path is escaped, and the Content-Security-Policy
 * allows only its own style sheet, so hostile code in a scanned project cannot script the page.
 */
export const reportHtml: Reporter = (result, context) => {
  const findings = shownFindings(result, context);
  const title = `csrflint report: ${plural(findings.filter((finding) => !finding.suppressed).length, 'finding')}`;
  return [
    ...pageHead(title, STYLE),
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    scanLine(result, context),
    summarySection(findings),
    findingsSection(findings, context),
    errorsSection(result),
    rulesSection(findings),
    '</body>',
    '</html>',
    '',
  ].join('\n');
};

function scanLine(result: CheckResult, context: ReportContext): string {
  const parts = [
    `csrflint ${escapeHtml(result.version)}`,
    `${plural(result.stats.filesSeen, 'file')} checked in ${(result.stats.durationMs / 1000).toFixed(2)} s`,
    `started ${escapeHtml(context.startedAt.toISOString())}`,
  ];
  if (result.stats.testFindingsHidden > 0) parts.push(`${plural(result.stats.testFindingsHidden, 'finding')} in test code hidden (--include-tests shows them)`);
  if (result.stats.guardedFindingsHidden > 0) parts.push(guardedHiddenLine(result.stats.guardedFindingsHidden));
  const suppressed = result.findings.filter((finding) => finding.suppressed).length;
  if (suppressed > 0 && !context.showSuppressed) parts.push(`${suppressed} suppressed (--show-suppressed shows them)`);
  return `<p class="muted">${parts.join(' · ')}</p>`;
}

function summarySection(findings: readonly Finding[]): string {
  if (findings.length === 0) return '<section id="summary"><h2>Summary</h2>\n<p>No CSRF findings.</p></section>';
  const rows = RULES.map((rule) => ({ rule, count: findings.filter((finding) => finding.rule === rule.id).length }))
    .filter(({ count }) => count > 0)
    .sort((a, b) => SEVERITIES.indexOf(a.rule.severity) - SEVERITIES.indexOf(b.rule.severity) || b.count - a.count)
    .map(({ rule, count }) => `<tr><td>${badge(rule.severity)}</td><td><code>${rule.code}</code></td><td><a href="#rule-${rule.id}">${rule.id}</a></td><td>${escapeHtml(rule.title)}</td><td class="count">${count}</td></tr>`);
  const bySeverity = SEVERITIES.map((severity) => `${findings.filter((finding) => finding.severity === severity).length} ${severity}`).join(', ');
  return [
    '<section id="summary">',
    '<h2>Summary</h2>',
    `<p>${bySeverity}.</p>`,
    '<table>',
    '<thead><tr><th>severity</th><th>code</th><th>rule</th><th>what</th><th>findings</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
    '</section>',
  ].join('\n');
}

function findingsSection(findings: readonly Finding[], context: ReportContext): string {
  if (findings.length === 0) return '';
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) byFile.set(finding.path, [...(byFile.get(finding.path) ?? []), finding]);
  const files = [...byFile].map(([filePath, fileFindings]) => [`<h3><code>${escapeHtml(filePath)}</code></h3>`, ...fileFindings.map((finding) => findingArticle(finding, context))].join('\n'));
  return ['<section id="findings">', '<h2>Findings</h2>', ...files, '</section>'].join('\n');
}

function findingArticle(finding: Finding, context: ReportContext): string {
  const rule = ruleOf(finding);
  const suppression = finding.suppressed
    ? `<p class="muted">Suppressed (${escapeHtml(finding.suppression?.kind ?? 'comment')})${finding.suppression?.reason ? `: ${escapeHtml(finding.suppression.reason)}` : ''}</p>`
    : '';
  return [
    `<article class="finding ${finding.severity}${finding.suppressed ? ' suppressed' : ''}">`,
    `<h4>${badge(finding.severity)} <code>${finding.code}</code> ${inlineHtml(finding.message, { links: false })}</h4>`,
    `<p class="muted"><code>${escapeHtml(finding.path)}:${finding.line}:${finding.column}</code> · ${rule.id} · ${escapeHtml(finding.context)} code</p>`,
    suppression,
    excerpt(finding, context.sourceLines.get(finding.path) ?? []),
    finding.hint ? `<p><strong>Hint:</strong> ${inlineHtml(finding.hint, { links: false })}</p>` : '',
    `<p><strong>Fix:</strong> ${inlineHtml(fixOf(finding))}</p>`,
    // The rule's documentation is printed once, under Rules; each finding links to it.
    `<details class="rule-doc"><summary>About ${rule.code}</summary><p>${inlineHtml(rule.title)}. <a href="#rule-${rule.id}">Why it matters, and when it is fine</a></p></details>`,
    '</article>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

/** The reported lines with a little context; the reported construct's first line is marked. */
function excerpt(finding: Finding, lines: readonly string[]): string {
  if (lines.length < finding.line) return '';
  const first = Math.max(1, finding.line - EXCERPT_CONTEXT_LINES);
  const last = Math.min(lines.length, Math.max(finding.line, Math.min(finding.endLine, finding.line + 4)) + EXCERPT_CONTEXT_LINES);
  const width = String(last).length;
  const rows: string[] = [];
  for (let lineNumber = first; lineNumber <= last; lineNumber++) {
    const number = `<span class="number">${String(lineNumber).padStart(width)} </span>`;
    const text = escapeHtml(lines[lineNumber - 1] ?? '');
    const isReported = lineNumber >= finding.line && lineNumber <= finding.endLine;
    rows.push(isReported ? `<span class="reported">${number}${text}</span>` : `${number}${text}`);
  }
  return `<pre class="excerpt"><code>${rows.join('\n')}</code></pre>`;
}

function errorsSection(result: CheckResult): string {
  if (result.errors.length === 0) return '';
  const items = result.errors.map((error) => `<li><code>${escapeHtml(error.path)}</code>: ${escapeHtml(error.message)}</li>`);
  return ['<section id="errors">', '<h2>Files that could not be fully checked</h2>', `<ul>${items.join('')}</ul>`, '</section>'].join('\n');
}

function rulesSection(findings: readonly Finding[]): string {
  const reported = RULES.filter((rule) => findings.some((finding) => finding.rule === rule.id));
  if (reported.length === 0) return '';
  return ['<section id="rules">', '<h2>Rules</h2>', ...reported.map(ruleDocSection), '</section>'].join('\n');
}

function ruleDocSection(rule: Rule): string {
  const body = renderRuleDoc(rule).replace(/^# .*\n/, '');
  return `<section id="rule-${rule.id}">\n<h3>${badge(rule.severity)} <code>${rule.code}</code> ${rule.id}</h3>\n${markdownToHtml(body)}\n</section>`;
}

function badge(severity: Severity): string {
  return `<span class="badge ${severity}">${severity}</span>`;
}
