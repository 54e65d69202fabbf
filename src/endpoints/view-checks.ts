import type { Definition } from '../python/facts.js';
import type { Project } from '../project/project.js';
import type { SourceModule } from '../project/source-module.js';
import { checksCsrfToken } from '../project/csrf-checks.js';
import type { Protection } from './endpoint.js';

/** A view that checks a CSRF token itself (`validate_csrf(...)`, `csrf_protect.validate_csrf(request)`): where it does. */
export function tokenCheckInView(project: Project, module: SourceModule, view: Definition): Protection | undefined {
  const scopes = module.symbols.scopesWithin(view.bodyScope);
  for (const { call, scope } of module.facts.calls) {
    if (!scopes.has(scope)) continue;
    const name = project.resolve(module, call.callee, scope) ?? '';
    if (checksCsrfToken(name)) return { state: 'protected', inView: true, check: `${name.slice(name.lastIndexOf('.') + 1)}() in the view`, evidence: { file: module, line: call.range.line } };
  }
  return undefined;
}
