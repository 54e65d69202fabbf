import type { Project } from './project.js';

/**
 * A value found once per project and key by looking at every module of the project (an index of
 * classes, the settings any code names). Asking for it notes that every module was read, each time:
 * a language server keeps a module's work across an edit only when nothing it read changed, and a
 * value built for another module's work read them all too.
 */
export class ProjectWideMemo<Key, Value> {
  private readonly byProject = new WeakMap<Project, Map<Key, Value>>();

  constructor(private readonly find: (project: Project, key: Key) => Value) {}

  get(project: Project, key: Key): Value {
    project.noteEveryModuleRead();
    let known = this.byProject.get(project);
    if (!known) {
      known = new Map();
      this.byProject.set(project, known);
    }
    if (known.has(key)) return known.get(key) as Value;
    const value = this.find(project, key);
    known.set(key, value);
    return value;
  }
}
