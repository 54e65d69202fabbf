import type { CallExpr } from '../python/facts.js';
import type { DefinitionSite, Project } from './project.js';
import type { SourceModule } from './source-module.js';

/** pluggy's marker: `impl = HookimplMarker("app")`, then `@impl` on each hook implementation. */
const HOOK_IMPLEMENTATION_MARKERS = new Set(['pluggy.HookimplMarker', 'pluggy._hooks.HookimplMarker', 'pluggy.hooks.HookimplMarker']);

const implementationsByProject = new WeakMap<Project, Map<string, DefinitionSite[]>>();

/**
 * The functions a pluggy hook call runs: `pm.hook.load_blueprints(app=app)` calls every function
 * named `load_blueprints` that is marked as a hook implementation (`@impl`, `@impl(tryfirst=True)`),
 * with the call's keywords as arguments. A plugin system is how some apps (flaskbb) register their
 * views, so an app handed to a hook reaches the blueprints the hook registers.
 */
export function hookImplementations(project: Project, module: SourceModule, call: CallExpr, scope: number): DefinitionSite[] {
  const { callee } = call;
  if (callee.kind !== 'attribute' || callee.object.kind !== 'attribute' || callee.object.attribute !== 'hook') return [];
  project.noteEveryModuleRead();
  const candidates = implementationsOf(project).get(callee.attribute);
  if (!candidates) return [];
  const resolved = project.resolve(module, callee, scope);
  return resolved !== undefined && project.findDefinition(resolved) ? [] : candidates;
}

function implementationsOf(project: Project): Map<string, DefinitionSite[]> {
  const known = implementationsByProject.get(project);
  if (known) return known;
  const byName = new Map<string, DefinitionSite[]>();
  for (const module of project.modules) {
    for (const definition of module.facts.definitions) {
      if (definition.kind !== 'function' || definition.decorators.length === 0) continue;
      const marked = definition.decorators.some(({ expression }) => {
        const marker = expression.kind === 'call' ? expression.callee : expression;
        return project.isInstanceOf(module, marker, definition.scope, HOOK_IMPLEMENTATION_MARKERS);
      });
      if (marked) byName.set(definition.name, [...(byName.get(definition.name) ?? []), { module, definition }]);
    }
  }
  implementationsByProject.set(project, byName);
  return byName;
}
