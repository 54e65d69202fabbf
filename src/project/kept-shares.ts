import type { Project } from './project.js';
import type { Reads } from './resolution-reads.js';
import type { SourceModule } from './source-module.js';

/** What a project gathered module by module (a rule's reports, the lists of a setting), with what each module's share read. */
export interface KeptShares<T> {
  /** What was found across the whole project first, which every module's share depends on. */
  projectWide: string;
  byModule: Map<SourceModule, { items: T[]; reads: Reads }>;
}

/**
 * Gathers items module by module, in the order of the modules. In a language server, the next
 * project (an edit later) takes the share of each module whose work read none of the edited
 * modules, and does the work again only for the others. `projectWide` says what the work of every
 * module depends on (names found in the whole project): when it differs, nothing is kept. A share
 * that looks at every module (`project.modules`, an index of the whole project) is never kept.
 */
export function gatherModuleByModule<T>(
  project: Project,
  kept: WeakMap<Project, KeptShares<T>>,
  projectWide: string,
  gatherIn: (module: SourceModule, add: (item: T) => void) => void,
): T[] {
  const previous = project.predecessor && kept.get(project.predecessor);
  const usable = previous?.projectWide === projectWide ? previous : undefined;
  const keeping: KeptShares<T> | undefined = project.remembersReads ? { projectWide, byModule: new Map() } : undefined;
  const gathered: T[] = [];
  for (const module of project.modules) {
    const known = usable?.byModule.get(module);
    if (known && project.holdsHere(known.reads)) {
      keeping?.byModule.set(module, known);
      gathered.push(...known.items);
      continue;
    }
    if (!keeping) {
      gatherIn(module, (item) => gathered.push(item));
      continue;
    }
    const items: T[] = [];
    const { reads } = project.trackReads(() => gatherIn(module, (item) => items.push(item)));
    if (reads) keeping.byModule.set(module, { items, reads: new Set([...reads, module.absolutePath]) });
    gathered.push(...items);
  }
  if (keeping) kept.set(project, keeping);
  return gathered;
}
