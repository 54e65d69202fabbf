import type { Finding } from '../finding.js';
import { type Reporter, shownFindings } from './reporter.js';
import { escapeHtml } from './escape.js';

/** JUnit XML, one failing test case per finding, for CI systems that show test results. */
export const reportJunit: Reporter = (result, context) => {
  const findings = shownFindings(result, context);
  const failures = findings.filter((finding) => !finding.suppressed).length;
  const seconds = (result.stats.durationMs / 1000).toFixed(3);
  const cases = findings.map(testCase).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="csrflint" tests="${findings.length}" failures="${failures}" time="${seconds}">\n  <testsuite name="csrflint" tests="${findings.length}" failures="${failures}" errors="0" skipped="${findings.length - failures}" time="${seconds}">\n${cases}  </testsuite>\n</testsuites>\n`;
};

function testCase(finding: Finding): string {
  const name = escapeHtml(`${finding.code} ${finding.rule} at ${finding.path}:${finding.line}:${finding.column}`);
  const details = escapeHtml([finding.message, finding.hint ? `Hint: ${finding.hint}` : '', `Context: ${finding.context}`].filter(Boolean).join('\n'));
  const outcome = finding.suppressed
    ? `<skipped message="suppressed${finding.suppression?.reason ? `: ${escapeHtml(finding.suppression.reason)}` : ''}"/>`
    : `<failure message="${escapeHtml(finding.message)}" type="${finding.rule}">${details}</failure>`;
  return `    <testcase classname="${escapeHtml(finding.path)}" name="${name}" file="${escapeHtml(finding.path)}" line="${finding.line}">${outcome}</testcase>\n`;
}
