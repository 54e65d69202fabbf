import { hookCsrfCheck } from '../../project/csrf-checks.js';
import type { Project } from '../../project/project.js';
import type { Definition } from '../../python/facts.js';
import type { SourceModule } from '../../project/source-module.js';

/**
 * The first `before_request` hook of a project (`@app.before_request`, `app.before_request(hook)`)
 * that checks a CSRF token or where requests come from (see `hookCsrfCheck`): `csrf.protect()`
 * called for every signed-in user's request, as Pandora does with `WTF_CSRF_CHECK_DEFAULT = False`.
 */
export function beforeRequestCsrfCheck(project: Project, projectRoot: string): { module: SourceModule; definition: Definition } | undefined {
  for (const module of project.modules) {
    if (module.projectRoot !== projectRoot) continue;
    for (const definition of module.facts.definitions) {
      const isHook = definition.decorators.some(({ expression }) => expression.kind === 'attribute' && expression.attribute === 'before_request');
      if (isHook && hookCsrfCheck(project, module, definition) !== undefined) return { module, definition };
    }
    for (const { call, scope } of module.facts.calls) {
      const [hook] = call.args;
      if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'before_request' || hook === undefined) continue;
      const name = project.resolve(module, hook.value, scope);
      const site = name === undefined ? undefined : project.findDefinition(name);
      if (site?.definition.kind === 'function' && hookCsrfCheck(project, site.module, site.definition) !== undefined) return site;
    }
  }
  return undefined;
}
