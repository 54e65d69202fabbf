import path from 'node:path';
import { globMatcher } from '../discover/glob.js';
import type { DirectiveComment } from '../python/facts.js';
import type { Project } from '../project/project.js';
import type { TemplateFile } from '../project/scanned-file.js';
import type { SourceModule } from '../project/source-module.js';
import type { Rule, RuleReport } from '../rules/rule.js';
import type { SourceLinesCache } from '../source-lines.js';
import { covers, parseDirective, templateDirectives, type Suppression } from './directives.js';

/** Why a finding is silenced; suppressed findings stay in the JSON output. */
interface SuppressionReason {
  kind: 'comment' | 'noqa' | 'per-file-ignores' | 'baseline';
  reason?: string;
}

export interface RuleFinding {
  rule: Rule;
  report: RuleReport;
  suppression?: SuppressionReason;
}

/** `per-file-ignores`: globs, relative to the configuration's folder, and the rules they silence. */
export interface PerFileIgnores {
  directory: string;
  patterns: Record<string, string[]>;
}

interface SuppressionOptions {
  perFileIgnores?: PerFileIgnores;
  unusedSuppression?: Rule;
  suppressionWithoutReason?: Rule;
  /** The rules that ran: a suppression naming only other rules is not called unused. */
  activeRules: readonly Rule[];
}

type ScannedFile = SourceModule | TemplateFile;

/**
 * Applies inline suppressions and `per-file-ignores` to the rule findings, and adds the findings
 * about the suppressions themselves (unused, without a reason) when those rules are on.
 */
export async function applySuppressions(project: Project, findings: RuleFinding[], sources: SourceLinesCache, options: SuppressionOptions): Promise<RuleFinding[]> {
  const suppressionsByFile = new Map<ScannedFile, Suppression[]>();
  const suppressionsOf = async (file: ScannedFile) => {
    let suppressions = suppressionsByFile.get(file);
    if (!suppressions) {
      suppressions = await readSuppressions(file, sources);
      suppressionsByFile.set(file, suppressions);
    }
    return suppressions;
  };
  const used = new Set<Suppression>();
  const ignoredByFile = perFileMatcher(options.perFileIgnores);
  for (const finding of findings) {
    const { file, range } = finding.report;
    const suppression = (await suppressionsOf(file)).find((candidate) => covers(candidate, finding.rule, range.line));
    if (suppression) {
      used.add(suppression);
      finding.suppression = { kind: suppression.kind === 'noqa' ? 'noqa' : 'comment', ...(suppression.reason ? { reason: suppression.reason } : {}) };
    } else if (ignoredByFile(file, finding.rule)) {
      finding.suppression = { kind: 'per-file-ignores' };
    }
  }
  if (!options.unusedSuppression && !options.suppressionWithoutReason) return findings;
  const meta: RuleFinding[] = [];
  for (const file of targetFilesWithDirectives(project)) {
    for (const suppression of await suppressionsOf(file)) meta.push(...suppressionFindings(file, suppression, used, options));
  }
  return [...findings, ...meta];
}

function suppressionFindings(file: ScannedFile, suppression: Suppression, used: ReadonlySet<Suppression>, options: SuppressionOptions): RuleFinding[] {
  const range = { line: suppression.line, column: suppression.column, endLine: suppression.line, endColumn: suppression.endColumn };
  const found: RuleFinding[] = [];
  const { unusedSuppression, suppressionWithoutReason } = options;
  if (unusedSuppression && !used.has(suppression) && namesActiveRules(suppression, options.activeRules)) {
    const what = suppression.rules ? suppression.rules.join(', ') : 'every rule';
    found.push({ rule: unusedSuppression, report: { file, range, message: `this ${suppression.kind === 'noqa' ? 'noqa' : 'csrflint: ignore'} comment (${what}) silences no finding` } });
  }
  if (suppressionWithoutReason && suppression.kind === 'csrflint' && !suppression.reason) {
    found.push({ rule: suppressionWithoutReason, report: { file, range, message: 'this csrflint: ignore comment gives no reason: add one after " -- "' } });
  }
  return found;
}

function namesActiveRules(suppression: Suppression, active: readonly Rule[]): boolean {
  if (!suppression.rules) return true;
  return suppression.rules.every((name) => active.some((rule) => rule.id === name.toLowerCase() || rule.code === name.toUpperCase()));
}

async function readSuppressions(file: ScannedFile, sources: SourceLinesCache): Promise<Suppression[]> {
  const directives: DirectiveComment[] = file.kind === 'python' ? file.facts.directives : templateDirectives(file.text);
  if (directives.length === 0) return [];
  const lines = await sources.get(file.absolutePath);
  return directives.flatMap((directive) => parseDirective(directive, lines[directive.line - 1]) ?? []);
}

function* targetFilesWithDirectives(project: Project): Generator<ScannedFile> {
  for (const module of project.modules) if (module.isTarget && module.facts.directives.length > 0) yield module;
  for (const template of project.templates) if (/csrflint/i.test(template.text)) yield template;
}

/** Matches a file against `per-file-ignores` globs, relative to the configuration's folder or by file name. */
function perFileMatcher(ignores: PerFileIgnores | undefined): (file: ScannedFile, rule: Rule) => boolean {
  if (!ignores) return () => false;
  const entries = Object.entries(ignores.patterns).map(([pattern, rules]) => ({ matches: globMatcher(pattern), rules }));
  return (file, rule) => {
    const relative = path.relative(ignores.directory, file.absolutePath).split(path.sep).join('/');
    return entries.some(({ matches, rules }) => (matches(relative) || matches(path.basename(file.absolutePath))) && rules.some((name) => name.toLowerCase() === rule.id || name.toUpperCase() === rule.code));
  };
}
