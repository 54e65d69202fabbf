import type { CallExpr, Definition } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

/**
 * Calls that authenticate a request by a signature or shared secret rather than a cookie:
 * `hmac.compare_digest`, `verify_signature(...)`, Stripe's `Webhook.construct_event`, ...
 */
const VERIFYING_WORDS = ['compare_digest', 'construct_event', 'verify_webhook', 'verify_request'];
/** A word holding the first part and, after it, the second: `verify_stripe_signature`. */
const VERIFYING_PAIRS: Array<[string, string]> = [['verify', 'signature'], ['signature', 'verif'], ['check', 'signature'], ['validate', 'signature']];

/**
 * `verify…signature` and the like, found with two searches per word: as a regex (`verify\w*signature`)
 * it backtracks quadratically on a name made of `verify` repeated.
 */
function isVerifyingName(name: string): boolean {
  const lowered = name.toLowerCase();
  if (VERIFYING_WORDS.some((word) => lowered.includes(word))) return true;
  return lowered.split(/\W+/).some((word) => VERIFYING_PAIRS.some(([first, second]) => {
    const firstAt = word.indexOf(first);
    return firstAt >= 0 && word.lastIndexOf(second) >= firstAt + first.length;
  }));
}

/** Django's signing, which raises `BadSignature` on a forged value: `signing.loads(...)`, `Signer(...).unsign(...)`. */
const SIGNING_FUNCTIONS = new Set(['django.core.signing.loads']);
const SIGNER_CLASSES = new Set(['django.core.signing.Signer', 'django.core.signing.TimestampSigner']);
const UNSIGNING_METHODS = new Set(['unsign', 'unsign_object']);

/** How deep helper functions are followed from the view. */
const HELPER_DEPTH = 2;

/** The first call in a view (or the helpers it calls) that verifies a signature, as written; `undefined` if none. */
export function signatureCheck(project: Project, module: SourceModule, view: Definition, depth = 0): string | undefined {
  for (const { call, scope } of module.facts.calls) {
    if (scope !== view.bodyScope) continue;
    const name = project.resolve(module, call.callee, scope);
    const written = call.callee.kind === 'attribute' ? call.callee.attribute : call.callee.kind === 'name' ? call.callee.id : '';
    if (isVerifyingName(written) || (name !== undefined && isVerifyingName(name.slice(name.lastIndexOf('.') + 1)))) return name ?? written;
    if (name !== undefined && SIGNING_FUNCTIONS.has(name)) return name;
    const signer = unsigningClass(project, module, call, scope);
    if (signer !== undefined) return `${signer}.${written}`;
    if (depth >= HELPER_DEPTH || name === undefined) continue;
    const helper = project.findDefinition(name);
    if (helper?.definition.kind !== 'function') continue;
    const found = signatureCheck(project, helper.module, helper.definition, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The signer class of `signer.unsign(...)`, when `signer` is one of Django's signers or a subclass. */
function unsigningClass(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  const { callee } = call;
  if (callee.kind !== 'attribute' || !UNSIGNING_METHODS.has(callee.attribute)) return undefined;
  return project.instanceClasses(module, callee.object, scope).find((className) => project.isSubclassOf(className, SIGNER_CLASSES));
}
