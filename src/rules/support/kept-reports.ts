import type { Project } from '../../project/project.js';
import type { Reads } from '../../project/resolution-reads.js';
import type { SourceModule } from '../../project/source-module.js';
import type { RuleContext, RuleReport } from '../rule.js';

/** A project's reports of one rule, module by module, with what finding each module's reports read. */
export interface KeptReports {
  /** What the rule found across the whole project first, which every module's share depends on. */
  projectWide: string;
  byModule: Map<SourceModule, { reports: RuleReport[]; reads: Reads }>;
}

/**
 * Runs a rule's work module by module. In a language server, the next project (an edit later)
 * replays the reports of each module whose work read none of the edited modules, and does the
 * work again only for the others. `projectWide` says what the work of every module depends on
 * (names found in the whole project): when it differs, nothing is kept.
 */
export function reportModuleByModule(
  context: RuleContext,
  kept: WeakMap<Project, KeptReports>,
  projectWide: string,
  reportIn: (module: SourceModule, report: (finding: RuleReport) => void) => void,
): void {
  const { project } = context;
  const previous = project.predecessor && kept.get(project.predecessor);
  const usable = previous?.projectWide === projectWide ? previous : undefined;
  const keeping: KeptReports | undefined = project.remembersReads ? { projectWide, byModule: new Map() } : undefined;
  for (const module of project.modules) {
    const known = usable?.byModule.get(module);
    if (known && project.holdsHere(known.reads)) {
      keeping?.byModule.set(module, known);
      for (const report of known.reports) context.report(report);
      continue;
    }
    if (!keeping) {
      reportIn(module, context.report);
      continue;
    }
    const reports: RuleReport[] = [];
    const { reads } = project.trackReads(() => reportIn(module, (report) => reports.push(report)));
    if (reads) keeping.byModule.set(module, { reports, reads: new Set([...reads, module.absolutePath]) });
    for (const report of reports) context.report(report);
  }
  if (keeping) kept.set(project, keeping);
}
