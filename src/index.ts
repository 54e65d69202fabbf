/** csrflint as a library: `check()` runs a scan and returns the result the JSON output prints. */
export { check, type CheckOptions } from './engine.js';
export type { CheckResult, Finding, ScanError, ScanStats } from './finding.js';
export type { FindingContext } from './project/context.js';
export { renderRuleDoc } from './rules/doc.js';
export { findRule, RULES } from './rules/index.js';
export type { Rule, RuleDoc, Severity } from './rules/rule.js';
export { VERSION } from './version.js';
export { ConfigError, findConfig, loadConfigFile, type FileConfig, type LoadedConfig } from './config/config.js';
export { optionsFromConfig } from './config/options.js';
export { BaselineError, readBaseline, writeBaseline, type Baseline } from './suppress/baseline.js';
export { REPORTERS, type OutputFormat } from './report/index.js';
export type { ReportContext, Reporter } from './report/reporter.js';
export { applyEdits, fixesFor, type Fix, type FixableFinding, type TextEdit } from './fixes/index.js';
export { FileOutcomeMemo } from './analysis/outcome-memo.js';
