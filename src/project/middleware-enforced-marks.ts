import type { CallExpr, Definition } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { reachedCalls, requestCredentialCheck } from './request-credential-checks.js';
import { stringValue } from './values.js';
import { ProjectWideMemo } from './project-wide-memo.js';

interface FunctionSite {
  module: SourceModule;
  definition: Definition;
}

/** A middleware's `process_view` that checks a credential for the views carrying a mark, and the check. */
interface MarkEnforcer {
  mark: string;
  middleware: string;
  check: string;
}

const enforcersByProject = new ProjectWideMemo((project: Project, _key: 'all') => findMarkEnforcers(project));

/**
 * A view whose decorator of the project only marks it (`setattr(view, "api_auth_required", True)`)
 * and a middleware's `process_view` that reads that mark from the view it is about to run and then
 * checks a credential the request carries (`check_api_key(request)`): the middleware turns away a
 * forged request before the view runs. The check, with where the middleware reads the mark.
 */
export function middlewareEnforcedCheck(project: Project, view: FunctionSite): string | undefined {
  const marks = marksSetByDecorators(project, view);
  if (marks.size === 0) return undefined;
  const enforcer = enforcersByProject.get(project, 'all').find(({ mark }) => marks.has(mark));
  return enforcer && `${enforcer.check}, run by \`${enforcer.middleware}.process_view\` for views marked \`${enforcer.mark}\``;
}

/** The attribute names the view's project decorators set on a function (`setattr(wrapped, NAME, True)`), a few calls deep. */
function marksSetByDecorators(project: Project, view: FunctionSite): Set<string> {
  const marks = new Set<string>();
  for (const { expression } of view.definition.decorators) {
    const callee = expression.kind === 'call' ? expression.callee : expression;
    const name = project.resolve(view.module, callee, view.definition.scope);
    const decorator = name === undefined ? undefined : project.findDefinition(name);
    if (decorator?.definition.kind !== 'function') continue;
    for (const { site, call, scope } of reachedCalls(project, decorator)) {
      const mark = call && attributeNamed(project, site.module, call, scope, 'builtins.setattr');
      if (mark !== undefined) marks.add(mark);
    }
  }
  return marks;
}

/** The attribute a `setattr(x, NAME, ...)` or `getattr(x, NAME, ...)` call names, the name resolved to its string. */
function attributeNamed(project: Project, module: SourceModule, call: CallExpr, scope: number, builtin: string): string | undefined {
  const attribute = call.args[1];
  if (attribute === undefined || attribute.name !== undefined || project.resolve(module, call.callee, scope) !== builtin) return undefined;
  return stringValue(project, { module, scope, expr: attribute.value });
}

/** Each `process_view` of a project class that reads a mark off the view and checks a credential, once per project. */
function findMarkEnforcers(project: Project): MarkEnforcer[] {
  const found: MarkEnforcer[] = [];
  for (const module of project.modules) {
    for (const definition of module.facts.definitions) {
      if (definition.kind !== 'function' || definition.name !== 'process_view') continue;
      const owner = module.symbols.definitionOfScope(definition.scope);
      if (owner?.kind !== 'class') continue;
      const middleware = module.symbols.definitionName(owner);
      const site = { module, definition };
      // The middleware may read the session user to decide whether to demand the key: that is not acting for it.
      const check = requestCredentialCheck(project, site, middleware, { userReadAllowed: true });
      if (check === undefined) continue;
      for (const { site: reached, call, scope } of reachedCalls(project, site, middleware)) {
        const mark = call && attributeNamed(project, reached.module, call, scope, 'builtins.getattr');
        if (mark !== undefined) found.push({ mark, middleware: owner.name, check });
      }
    }
  }
  return found;
}
