import type { CallExpr } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

/**
 * A library call that verifies a payment gateway's or a webhook sender's signature on the request
 * it is given, answering false or raising for a forged one. Their names say nothing of signatures
 * (`validate_processor_response`, `parse`), so they are known by name.
 */
interface LibraryVerifier {
  library: string;
  /** The function, or the class and its method (`stripe.Webhook.construct_event`). */
  name: string;
  /** Called on an instance of the class (`RequestValidator(token).validate(...)`), not on the class. */
  onInstance?: true;
}

export const LIBRARY_VERIFIERS: readonly LibraryVerifier[] = [
  // CyberSource's signed receipt fields, checked with the gateway's secret key.
  { library: 'mitol-payment-gateway', name: 'mitol.payment_gateway.api.PaymentGateway.validate_processor_response' },
  { library: 'stripe', name: 'stripe.Webhook.construct_event' },
  { library: 'stripe', name: 'stripe.WebhookSignature.verify_header' },
  { library: 'braintree', name: 'braintree.WebhookNotification.parse' },
  { library: 'Adyen', name: 'Adyen.util.is_valid_hmac_notification' },
  { library: 'paypalrestsdk', name: 'paypalrestsdk.WebhookEvent.verify' },
  { library: 'gocardless-pro', name: 'gocardless_pro.webhooks.parse' },
  { library: 'twilio', name: 'twilio.request_validator.RequestValidator.validate', onInstance: true },
  { library: 'slack-sdk', name: 'slack_sdk.signature.SignatureVerifier.is_valid_request', onInstance: true },
  { library: 'slack-sdk', name: 'slack_sdk.signature.SignatureVerifier.is_valid', onInstance: true },
  { library: 'svix', name: 'svix.webhooks.Webhook.verify', onInstance: true },
];

/** The verifier of `LIBRARY_VERIFIERS` a call runs, by its qualified name. */
export function libraryVerifierCall(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  const name = project.resolve(module, call.callee, scope);
  if (name !== undefined && LIBRARY_VERIFIERS.some((verifier) => !verifier.onInstance && verifier.name === name)) return name;
  if (call.callee.kind !== 'attribute') return undefined;
  const method = call.callee.attribute;
  const candidates = LIBRARY_VERIFIERS.filter((verifier) => verifier.onInstance && verifier.name.endsWith(`.${method}`));
  if (candidates.length === 0) return undefined;
  const classes = project.instanceClasses(module, call.callee.object, scope);
  return candidates.find((verifier) => classes.includes(verifier.name.slice(0, -method.length - 1)))?.name;
}
