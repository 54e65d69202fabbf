import type { Project } from '../../project/project.js';
import { gatherModuleByModule, type KeptShares } from '../../project/kept-shares.js';
import type { SourceModule } from '../../project/source-module.js';
import type { RuleContext, RuleReport } from '../rule.js';

/** A project's reports of one rule, module by module. */
export type KeptReports = KeptShares<RuleReport>;

/** Runs a rule's work module by module (`gatherModuleByModule`), reporting what each module's share found. */
export function reportModuleByModule(
  context: RuleContext,
  kept: WeakMap<Project, KeptReports>,
  projectWide: string,
  reportIn: (module: SourceModule, report: (finding: RuleReport) => void) => void,
): void {
  for (const report of gatherModuleByModule(context.project, kept, projectWide, reportIn)) context.report(report);
}
