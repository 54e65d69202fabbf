import type { Definition } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

/**
 * Calls that authenticate a request by a signature or shared secret rather than a cookie:
 * `hmac.compare_digest`, `verify_signature(...)`, Stripe's `Webhook.construct_event`, ...
 */
const VERIFYING_CALL = /compare_digest|verify\w*signature|signature\w*verif|(check|validate)\w*signature|construct_event|verify_webhook|verify_request/i;

/** How deep helper functions are followed from the view. */
const HELPER_DEPTH = 2;

/** The first call in a view (or the helpers it calls) that verifies a signature, as written; `undefined` if none. */
export function signatureCheck(project: Project, module: SourceModule, view: Definition, depth = 0): string | undefined {
  for (const { call, scope } of module.facts.calls) {
    if (scope !== view.bodyScope) continue;
    const name = project.resolve(module, call.callee, scope);
    const written = call.callee.kind === 'attribute' ? call.callee.attribute : call.callee.kind === 'name' ? call.callee.id : '';
    if (VERIFYING_CALL.test(written) || (name !== undefined && VERIFYING_CALL.test(name.slice(name.lastIndexOf('.') + 1)))) return name ?? written;
    if (depth >= HELPER_DEPTH || name === undefined) continue;
    const helper = project.findDefinition(name);
    if (helper?.definition.kind !== 'function') continue;
    const found = signatureCheck(project, helper.module, helper.definition, depth + 1);
    if (found) return found;
  }
  return undefined;
}
