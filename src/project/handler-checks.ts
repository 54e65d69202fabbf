import { checksCsrf } from './applications.js';
import type { Project } from './project.js';

const CSRF_WORDS = /csrf|xsrf/i;

const cache = new WeakMap<Project, Map<string, string[]>>();

/**
 * The project's own request-handler base classes that check CSRF on the way to every view: a class
 * with a method named for CSRF that rejects a mismatch (`_check_csrf`: compares the form's or the
 * header's token with the session's and raises), called by another of its methods (`process()`,
 * which every request goes through). Indico's `RH` is one: each of its views is a subclass.
 */
export function csrfCheckingHandlerClasses(project: Project, projectRoot: string): string[] {
  let byRoot = cache.get(project);
  if (!byRoot) {
    byRoot = new Map();
    cache.set(project, byRoot);
  }
  const known = byRoot.get(projectRoot);
  if (known) return known;
  const found: string[] = [];
  for (const module of project.modules) {
    if (module.projectRoot !== projectRoot || module.context === 'test') continue;
    for (const owner of module.facts.definitions) {
      if (owner.kind !== 'class') continue;
      const methods = module.facts.definitions.filter((definition) => definition.kind === 'function' && definition.scope === owner.bodyScope);
      const checks = methods.filter((method) => CSRF_WORDS.test(method.name) && checksCsrf(project, module, method)).map((method) => method.name);
      if (checks.length === 0) continue;
      const calledFromClass = module.facts.calls.some(({ call, scope }) => {
        const caller = module.symbols.definitionOfScope(scope);
        const { callee } = call;
        return caller !== undefined && methods.includes(caller) && callee.kind === 'attribute' && callee.object.kind === 'name' && callee.object.id === 'self' && checks.includes(callee.attribute);
      });
      if (calledFromClass) found.push(module.symbols.definitionName(owner));
    }
  }
  byRoot.set(projectRoot, found);
  return found;
}
