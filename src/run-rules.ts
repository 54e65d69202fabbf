import type { Project } from './project/project.js';
import type { Rule, RuleSettings } from './rules/rule.js';
import type { RuleFinding } from './suppress/apply.js';

/** Runs each rule that can find something in the project, collecting what it reports. */
export function runRules(project: Project, rules: readonly Rule[], settings: RuleSettings): RuleFinding[] {
  const found: RuleFinding[] = [];
  for (const rule of rules) {
    if (!canFindIn(rule, project)) continue;
    rule.check({ project, settings, report: (report) => found.push({ rule, report }) });
  }
  return found;
}

/** A rule about libraries the project cannot refer to (a Pyramid rule in a Django project) has nothing to find there. */
export function canFindIn(rule: Rule, project: Project): boolean {
  return rule.packages === undefined || rule.packages.some((name) => project.mayReferTo(name));
}
