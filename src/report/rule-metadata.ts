import type { Finding } from '../finding.js';
import { renderRuleDoc } from '../rules/doc.js';
import { findRule } from '../rules/index.js';
import type { Rule, Severity } from '../rules/rule.js';

/** Where each rule's page lives, for code scanning tools to link to. */
export const DOCS_BASE_URL = 'https://github.com/csrflint/csrflint/blob/main/docs/rules/';

export function ruleOf(finding: Finding): Rule {
  const rule = findRule(finding.rule);
  if (!rule) throw new Error(`finding of unknown rule ${finding.rule}`);
  return rule;
}

/** The fix printed under a finding: its own, or its rule's. */
export function fixOf(finding: Finding): string {
  return finding.fix ?? ruleOf(finding).fix;
}

export function helpUri(rule: Rule): string {
  return `${DOCS_BASE_URL}${rule.id}.md`;
}

/** GitHub code scanning's scale: critical 9+, high 7 to 8.9, medium 4 to 6.9, low below 4. */
export const SECURITY_SEVERITY: Record<Severity, string> = { high: '8.0', medium: '5.5', low: '3.0' };

/** The rule's doc as plain text: the Markdown without its fences and link syntax. */
export function plainDoc(rule: Rule): string {
  return renderRuleDoc(rule)
    .replace(/^```\w*$/gm, '')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/`/g, '');
}

/** `django-csrf-exempt` → `DjangoCsrfExempt`, the name SARIF tools show beside the id. */
export function pascalName(rule: Rule): string {
  return rule.id.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}
