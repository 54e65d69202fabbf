import type { Reference, Rule } from './rule.js';

/** References every CSRF rule shares. */
const COMMON_REFERENCES: readonly Reference[] = [
  { title: 'CWE-352: Cross-Site Request Forgery (CSRF)', url: 'https://cwe.mitre.org/data/definitions/352.html' },
  { title: 'OWASP Top 10 2021: A01 Broken Access Control', url: 'https://owasp.org/Top10/A01_2021-Broken_Access_Control/' },
  { title: 'OWASP Cross-Site Request Forgery Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html' },
];

function ruleReferences(rule: Rule): Reference[] {
  return [...rule.doc.references, ...COMMON_REFERENCES];
}

/** The rule's page in Markdown: `csrflint rule <id>`, `docs/rules/<id>.md` and SARIF help all use it. */
export function renderRuleDoc(rule: Rule): string {
  const { doc } = rule;
  return [
    `# ${rule.id} (${rule.code})`,
    `${rule.title}. Severity: ${rule.severity}. Framework: ${rule.framework}.`,
    `## What it finds\n\n${doc.whatItFinds}`,
    `## Why it matters\n\n${doc.whyItMatters}`,
    `## Example\n\n\`\`\`${exampleLanguage(rule)}\n${doc.example.trimEnd()}\n\`\`\``,
    `## Use instead\n\n\`\`\`${exampleLanguage(rule)}\n${doc.useInstead.trimEnd()}\n\`\`\``,
    `## When it is fine\n\n${doc.whenItIsFine}`,
    `## References\n\n${ruleReferences(rule).map((reference) => `- [${reference.title}](${reference.url})`).join('\n')}`,
  ].join('\n\n') + '\n';
}

/** The file the doc's examples would be, in a project: where the registry test writes them too. */
export function exampleFileOf(rule: Rule): string {
  return rule.doc.exampleFile ?? 'app.py';
}

function exampleLanguage(rule: Rule): string {
  return exampleFileOf(rule).endsWith('.py') ? 'python' : 'html+django';
}
