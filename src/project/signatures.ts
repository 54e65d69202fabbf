import type { CallExpr, Definition, Expr } from '../python/facts.js';
import { describeExpr } from '../python/describe.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { postBackVerification, secretDigestComparison } from './posted-digests.js';
import { serviceMethods } from './service-lookups.js';
import { libraryVerifierCall } from './library-verifiers.js';

/**
 * Calls that authenticate a request by a signature or shared secret rather than a cookie:
 * `hmac.compare_digest`, `verify_signature(...)`, `has_valid_signature(...)`, Stripe's
 * `Webhook.construct_event`, ... (and the payment and webhook libraries' verifiers of `LIBRARY_VERIFIERS`)
 */
const VERIFYING_WORDS = ['compare_digest', 'construct_event', 'verify_webhook', 'verify_request'];
/** A word holding the first part and, after it, the second: `verify_stripe_signature`, `has_valid_signature`. */
const VERIFYING_PAIRS: Array<[string, string]> = [
  ['verify', 'signature'], ['signature', 'verif'], ['signature', 'valid'], ['check', 'signature'], ['valid', 'signature'],
  // A payment SDK's `verify_with_rsa(public_key, message, sign)`, `rsa_verify(...)`.
  ['verify', 'rsa'], ['rsa', 'verif'],
];

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

/** `Signature.verify(...)`, `signer.verify(...)`: a `verify` method of an object named for signing. */
const VERIFY_METHOD = /^verify(_\w+)?$/;
const SIGNING_OBJECT = /sign|hmac|webhook/i;

/** Django's signing, which raises `BadSignature` on a forged value: `signing.loads(...)`, `Signer(...).unsign(...)`. */
const SIGNING_FUNCTIONS = new Set(['django.core.signing.loads']);
/** Computing an HMAC, to compare with `==`: named only when nothing better is found. */
const HMAC_FUNCTIONS = new Set(['hmac.new', 'hmac.digest']);
const SIGNER_CLASSES = new Set(['django.core.signing.Signer', 'django.core.signing.TimestampSigner']);
const UNSIGNING_METHODS = new Set(['unsign', 'unsign_object']);

/** How deep helper functions are followed from the view. */
const HELPER_DEPTH = 2;

/**
 * The first call in a view (or the helpers it calls, its own methods included) that verifies a
 * signature, as written, or a decorator of the view that does; `undefined` if none.
 */
export function signatureCheck(project: Project, module: SourceModule, view: Definition, depth = 0): string | undefined {
  return decoratorCheck(project, module, view, depth) ?? bodyCheck(project, module, view, depth);
}

function bodyCheck(project: Project, module: SourceModule, view: Definition, depth: number): string | undefined {
  let hmacComputed: string | undefined;
  for (const { call, scope } of module.facts.calls) {
    if (scope !== view.bodyScope) continue;
    const name = project.resolve(module, call.callee, scope);
    if (name !== undefined && HMAC_FUNCTIONS.has(name)) hmacComputed ??= name;
    const helper = depth < HELPER_DEPTH ? helperOf(project, module, call.callee, scope) : undefined;
    const found = (helper && signatureCheck(project, helper.module, helper.definition, depth + 1)) || (depth < HELPER_DEPTH && serviceCheck(project, module, call.callee, scope, depth)) || verifyingCall(project, module, call, scope);
    if (found) return found;
  }
  return secretDigestComparison(project, module, view) ?? postBackVerification(project, module, view) ?? hmacComputed;
}

/**
 * `billing.webhook_received(payload, signature)` on a service looked up by interface: a check
 * when every implementation of the method verifies a signature.
 */
function serviceCheck(project: Project, module: SourceModule, callee: Expr, scope: number, depth: number): string | undefined {
  const checks = serviceMethods(project, module, callee, scope).map((method) => signatureCheck(project, method.module, method.definition, depth + 1));
  return checks.length > 0 && checks.every((check) => check !== undefined) ? checks[0] : undefined;
}

/** `@verify_signature` or a project decorator whose wrapper verifies one. */
function decoratorCheck(project: Project, module: SourceModule, view: Definition, depth: number): string | undefined {
  for (const { expression } of view.decorators) {
    const callee = expression.kind === 'call' ? expression.callee : expression;
    const name = project.resolve(module, callee, view.scope);
    if (namesVerification(describeExpr(callee)) || (name !== undefined && namesVerification(name))) return name ?? describeExpr(callee);
    if (depth >= HELPER_DEPTH || name === undefined) continue;
    const decorator = project.findDefinition(name);
    if (decorator?.definition.kind !== 'function') continue;
    const found = nestedCheck(project, decorator.module, decorator.definition, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A check in a function or in the functions nested in it (a decorator's wrapper). */
function nestedCheck(project: Project, module: SourceModule, outer: Definition, depth: number): string | undefined {
  const scopes = module.symbols.scopesWithin(outer.bodyScope);
  const nested = module.facts.definitions.filter((definition) => definition.kind === 'function' && scopes.has(definition.scope));
  return [outer, ...nested].map((definition) => bodyCheck(project, module, definition, depth)).find(Boolean);
}

function verifyingCall(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  const name = project.resolve(module, call.callee, scope);
  const written = call.callee.kind === 'attribute' ? call.callee.attribute : call.callee.kind === 'name' ? call.callee.id : '';
  const shown = shownName(name, call.callee);
  if (isVerifyingName(written) || (name !== undefined && isVerifyingName(name.slice(name.lastIndexOf('.') + 1)))) return shown;
  if (name !== undefined && SIGNING_FUNCTIONS.has(name)) return name;
  const libraryVerifier = libraryVerifierCall(project, module, call, scope);
  if (libraryVerifier !== undefined) return libraryVerifier;
  if (call.callee.kind === 'attribute' && VERIFY_METHOD.test(written) && SIGNING_OBJECT.test(describeExpr(call.callee.object))) return shown;
  const signer = unsigningClass(project, module, call, scope);
  return signer === undefined ? undefined : `${signer}.${written}`;
}

/**
 * The resolved name of a call, or the call as written when the name runs through a function's
 * locals (`Mixin.verify_request.<locals>.core.verify_request`), which no reader can look up.
 */
function shownName(name: string | undefined, callee: Expr): string {
  return name === undefined || name.includes('<locals>') ? describeExpr(callee) : name;
}

function namesVerification(name: string): boolean {
  return isVerifyingName(name.slice(name.lastIndexOf('.') + 1));
}

/** The scanned function a call runs: a function, or a method of the class, its own or inherited (`self._check(request)`). */
function helperOf(project: Project, module: SourceModule, callee: Expr, scope: number): { module: SourceModule; definition: Definition } | undefined {
  const name = project.resolve(module, callee, scope);
  if (name === undefined) return undefined;
  const site = project.findDefinition(name);
  if (site?.definition.kind === 'function') return site;
  if (site || callee.kind !== 'attribute') return undefined;
  const owner = name.slice(0, name.lastIndexOf('.'));
  const method = project.findDefinition(owner)?.definition.kind === 'class' ? project.findMethod(owner, callee.attribute) : undefined;
  return method;
}

/** The signer class of `signer.unsign(...)`, when `signer` is one of Django's signers or a subclass. */
function unsigningClass(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  const { callee } = call;
  if (callee.kind !== 'attribute' || !UNSIGNING_METHODS.has(callee.attribute)) return undefined;
  return project.instanceClasses(module, callee.object, scope).find((className) => project.isSubclassOf(className, SIGNER_CLASSES));
}
