import { createHash } from 'node:crypto';
import type { Finding } from '../finding.js';
import { VERSION } from '../version.js';
import { type Reporter, repositoryRelative, shownFindings } from './reporter.js';
import { fixOf, helpUri, ruleOf } from './rule-metadata.js';

const SEVERITY = { high: 'High', medium: 'Medium', low: 'Low' } as const;
const ANALYZER = { id: 'csrflint', name: 'csrflint', version: VERSION, vendor: { name: 'csrflint' }, url: 'https://github.com/csrflint/csrflint' };

/** A GitLab SAST report (schema 15.x): the Security tab and merge request widget read it. */
export const reportGitlabSast: Reporter = (result, context) => {
  const ended = new Date(context.startedAt.getTime() + result.stats.durationMs);
  const report = {
    version: '15.0.7',
    scan: {
      analyzer: ANALYZER,
      scanner: ANALYZER,
      type: 'sast',
      start_time: gitlabTime(context.startedAt),
      end_time: gitlabTime(ended),
      status: 'success',
    },
    vulnerabilities: shownFindings(result, context).map((finding) => vulnerability(finding, repositoryRelative(finding.path, context))),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
};

function vulnerability(finding: Finding, file: string) {
  const rule = ruleOf(finding);
  return {
    id: uuidFrom(`${finding.rule}\0${file}\0${finding.fingerprint}`),
    category: 'sast',
    name: rule.title,
    message: finding.message,
    description: finding.hint ? `${finding.message}.\n\nHint: ${finding.hint}.` : `${finding.message}.`,
    solution: fixOf(finding),
    severity: SEVERITY[finding.severity],
    scanner: { id: ANALYZER.id, name: ANALYZER.name },
    location: { file, start_line: finding.line, end_line: finding.endLine },
    identifiers: [
      { type: 'csrflint_rule', name: `${finding.code} ${finding.rule}`, value: finding.rule, url: helpUri(rule) },
      { type: 'cwe', name: 'CWE-352', value: '352', url: 'https://cwe.mitre.org/data/definitions/352.html' },
    ],
  };
}

/** GitLab wants `2024-01-31T12:00:00`: no fractions, no time zone. */
function gitlabTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** A stable UUID-shaped id from the finding's identity, so GitLab tracks it across pipelines. */
function uuidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
