import type { Finding, ScanError } from '../finding.js';
import { RULES } from '../rules/index.js';
import type { Rule } from '../rules/rule.js';
import { VERSION } from '../version.js';
import { type ReportContext, type Reporter, repositoryRelative, shownFindings } from './reporter.js';
import { helpUri, pascalName, plainDoc, ruleOf, SECURITY_SEVERITY } from './rule-metadata.js';
import { renderRuleDoc } from '../rules/doc.js';

const LEVEL = { high: 'error', medium: 'warning', low: 'note' } as const;

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF consumers: every rule with its doc as help,
 * CWE-352 tags and a security severity; results with `/` URIs relative to the repository root, regions in UTF-16 columns, and a partial fingerprint that survives line moves.
 */
export const reportSarif: Reporter = (result, context) => {
  const findings = shownFindings(result, context);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'csrflint',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: 'https://github.com/csrflint/csrflint',
            rules: RULES.map(ruleDescriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((finding) => sarifResult(finding, context)),
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: result.errors.map((error) => scanProblem(error, context)) }],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
};

function ruleDescriptor(rule: Rule) {
  return {
    id: rule.id,
    name: pascalName(rule),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.doc.whatItFinds.replace(/`/g, '').replace(/\s+/g, ' ').trim() },
    help: { text: plainDoc(rule), markdown: renderRuleDoc(rule) },
    helpUri: helpUri(rule),
    defaultConfiguration: { level: LEVEL[rule.severity], enabled: !rule.optIn },
    properties: {
      tags: ['security', 'external/cwe/cwe-352', rule.framework],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: rule.precision ?? 'high',
      problem: { severity: rule.severity === 'high' ? 'error' : rule.severity === 'medium' ? 'warning' : 'recommendation' },
    },
  };
}

function sarifResult(finding: Finding, context: ReportContext) {
  const rule = ruleOf(finding);
  return {
    ruleId: finding.rule,
    ruleIndex: RULES.indexOf(rule),
    level: LEVEL[finding.severity],
    message: { text: finding.hint ? `${finding.message}. Hint: ${finding.hint}` : finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(finding.path, context),
          region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
        },
      },
    ],
    partialFingerprints: { 'csrflint/v1': finding.fingerprint },
    properties: { context: finding.context, code: finding.code, 'security-severity': SECURITY_SEVERITY[finding.severity] },
    ...(finding.suppression ? { suppressions: [{ kind: finding.suppression.kind === 'baseline' ? 'external' : 'inSource', ...(finding.suppression.reason ? { justification: finding.suppression.reason } : {}) }] } : {}),
  };
}

/** A file csrflint could not fully check, as a notification tied to the file. */
function scanProblem(error: ScanError, context: ReportContext) {
  return { level: 'warning', message: { text: `${error.path}: ${error.message}` }, locations: [{ physicalLocation: { artifactLocation: artifactLocation(error.path, context) } }] };
}

/** A relative URI from the repository root; each path segment is percent-encoded (`#`, `?`, spaces). */
function artifactLocation(findingPath: string, context: ReportContext) {
  const uri = repositoryRelative(findingPath, context).split('/').map(encodeURIComponent).join('/');
  return { uri, uriBaseId: '%SRCROOT%' };
}
