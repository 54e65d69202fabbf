import { type Diagnostic, DiagnosticSeverity, type Range } from 'vscode-languageserver/node.js';
import type { Finding } from '../finding.js';
import { helpUri } from '../report/rule-metadata.js';
import { findRule } from '../rules/index.js';
import type { Severity } from '../rules/rule.js';
import type { FileProblem } from './project-session.js';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  high: DiagnosticSeverity.Error,
  medium: DiagnosticSeverity.Warning,
  low: DiagnosticSeverity.Information,
};

/** What a diagnostic carries back to the server in a code action request. */
export interface DiagnosticData {
  rule: string;
  fingerprint: string;
}

/** A finding as an editor shows it: its range, the rule's code linked to its page, and the message with hint and fix. */
export function diagnosticOf(finding: Finding): Diagnostic {
  const rule = findRule(finding.rule);
  const fix = finding.fix ?? rule?.fix;
  const data: DiagnosticData = { rule: finding.rule, fingerprint: finding.fingerprint };
  return {
    range: rangeOf(finding),
    severity: SEVERITIES[finding.severity],
    code: finding.code,
    ...(rule ? { codeDescription: { href: helpUri(rule) } } : {}),
    source: 'csrflint',
    message: [finding.message, finding.hint ? `Hint: ${finding.hint}` : undefined, fix ? `Fix: ${fix}` : undefined].filter((part) => part !== undefined).join('\n'),
    data,
  };
}

/** A file csrflint could not read all of: findings may be missing from it, so the editor says so where the parser stopped. */
export function problemDiagnosticOf(problem: FileProblem): Diagnostic {
  return { range: rangeOf(problem.range), severity: DiagnosticSeverity.Warning, source: 'csrflint', message: `csrflint could not read all of this file: ${problem.message}` };
}

/** Findings count lines and columns from 1, in UTF-16 code units as LSP does; LSP counts from 0. */
export function rangeOf(finding: Pick<Finding, 'line' | 'column' | 'endLine' | 'endColumn'>): Range {
  return {
    start: { line: finding.line - 1, character: finding.column - 1 },
    end: { line: finding.endLine - 1, character: finding.endColumn - 1 },
  };
}
