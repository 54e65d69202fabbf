import type { Finding } from '../finding.js';
import { RULES } from '../rules/index.js';
import { type Reporter, repositoryRelative, shownFindings } from './reporter.js';

const IMPACT = { high: 'HIGH', medium: 'MEDIUM', low: 'LOW' } as const;

/**
 * SonarQube's generic external issues format (10.3+): the rules, then the issues. Sonar counts
 * columns from 0 where csrflint counts from 1.
 */
export const reportSonarqube: Reporter = (result, context) => {
  const findings = shownFindings(result, context);
  const used = new Set(findings.map((finding) => finding.rule));
  const report = {
    rules: RULES.filter((rule) => used.has(rule.id)).map((rule) => ({
      id: rule.id,
      name: rule.title,
      description: `${rule.doc.whatItFinds}\n\nFix: ${rule.fix}`,
      engineId: 'csrflint',
      cleanCodeAttribute: 'TRUSTWORTHY',
      impacts: [{ softwareQuality: 'SECURITY', severity: IMPACT[rule.severity] }],
    })),
    issues: findings.map((finding) => issue(finding, repositoryRelative(finding.path, context))),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
};

function issue(finding: Finding, filePath: string) {
  return {
    ruleId: finding.rule,
    effortMinutes: 15,
    primaryLocation: {
      message: finding.hint ? `${finding.message} (${finding.hint})` : finding.message,
      filePath,
      textRange: { startLine: finding.line, endLine: finding.endLine, startColumn: finding.column - 1, endColumn: Math.max(0, finding.endColumn - 1) },
    },
  };
}
