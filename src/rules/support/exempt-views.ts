import type { Definition } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import { signatureCheck } from '../../project/signatures.js';
import type { SourceModule } from '../../project/source-module.js';
import { actsForNobody } from '../../project/acts-for-nobody.js';
import { decoratorHeaderTokenRead, headerTokenRead, onlyReturnsEmptyResponse } from '../../project/view-bodies.js';
import type { RuleReport } from '../rule.js';

/** Why an exempted view may not need CSRF protection: what authenticates it, or that it changes nothing. */
export type ExemptionReason =
  | { kind: 'signature'; check: string }
  | { kind: 'header-token'; header: string }
  | { kind: 'url-secret'; variable: string }
  | { kind: 'oauth-callback'; completer: string }
  | { kind: 'read-only-graphql'; view: string }
  | { kind: 'empty-response' }
  | { kind: 'no-user'; handedTo: string[] };

interface ExemptHandler {
  module: SourceModule;
  definition: Definition;
  /** The parameter the framework passes the request in, when the rule knows it; otherwise the framework's convention. */
  requestName?: string;
}

/**
 * What the functions that handle an exempted view's requests show: a signature check (theirs, a
 * helper's or a decorator's), a credential read from a header (by the view or a decorator of the
 * project's) with no session user, a body that only returns a fixed response, or a view whose every
 * handler reads no user and hands its request only to code that does the same (see `actsForNobody`).
 */
export function exemptionReason(project: Project, handlers: readonly ExemptHandler[]): ExemptionReason | undefined {
  for (const { module, definition } of handlers) {
    const check = signatureCheck(project, module, definition);
    if (check) return { kind: 'signature', check };
  }
  for (const { module, definition, requestName } of handlers) {
    const header = headerTokenRead(module, definition, requestName) ?? decoratorHeaderTokenRead(project, module, definition, requestName);
    if (header !== undefined) return { kind: 'header-token', header };
  }
  for (const { module, definition } of handlers) {
    const completer = oauthCompleterCalled(project, module, definition);
    if (completer !== undefined) return { kind: 'oauth-callback', completer };
  }
  const [only] = handlers;
  if (!only) return undefined;
  if (handlers.length === 1 && onlyReturnsEmptyResponse(project, only.module, only.definition)) return { kind: 'empty-response' };
  // A class-based view acts for nobody only if each of its handlers does, and one of them reads the request's input.
  const handedTo = new Set<string>();
  let readsInput = false;
  for (const { module, definition, requestName } of handlers) {
    const verdict = actsForNobody(project, module, definition, requestName);
    if (!verdict) return undefined;
    for (const name of verdict.handedTo) handedTo.add(name);
    readsInput ||= verdict.readsInput;
  }
  return readsInput ? { kind: 'no-user', handedTo: [...handedTo].sort() } : undefined;
}

/**
 * Library functions that finish an OAuth or OpenID sign-in and reject a callback whose `state` is
 * not the one the sign-in started with: the check that stops a forged callback.
 */
const OAUTH_COMPLETERS = new Set(['social_core.actions.do_complete', 'social_django.views.complete']);

/** The OAuth completer the view's body calls (`do_complete(request.backend, ...)`), if any. */
function oauthCompleterCalled(project: Project, module: SourceModule, view: Definition): string | undefined {
  for (const { call, scope } of module.symbols.itemsWithin(module.facts.calls, view.bodyScope)) {
    const name = project.resolve(module, call.callee, scope);
    if (name !== undefined && OAUTH_COMPLETERS.has(name)) return name;
  }
  return undefined;
}

/** The severity, hint and fix of an exemption the view may well need: each says what to keep and what to record. */
export function exemptionDetails(ruleId: string, reason: ExemptionReason): Pick<RuleReport, 'severity' | 'hint' | 'fix'> {
  const record = `record why where it is (\`# csrflint: ignore[${ruleId}] -- <reason>\`)`;
  switch (reason.kind) {
    case 'signature':
      return {
        severity: 'low',
        hint: `the view verifies a signature (\`${reason.check}\`): if that, and not a cookie, authenticates the request (a webhook, a signed link), the exemption is what it needs`,
        fix: `Keep the exemption if the signature check authenticates every request and ${record}; otherwise remove it and send the CSRF token.`,
      };
    case 'header-token':
      return {
        severity: 'low',
        hint: `the view reads a credential from the \`${reason.header}\` header and no session user: a cross-site request cannot send that header, so if it authenticates every request the exemption is harmless`,
        fix: `Keep the exemption if the \`${reason.header}\` header, not a cookie, authenticates every request and ${record}; otherwise remove it and send the CSRF token.`,
      };
    case 'url-secret':
      return {
        severity: 'low',
        hint: `every URL of the view holds a secret (\`<${reason.variable}>\`): a cross-site page cannot forge a request to a URL it does not know, so if that secret authenticates every request the exemption is harmless`,
        fix: `Keep the exemption if the \`${reason.variable}\` in the URL, not a cookie, authenticates every request and ${record}; otherwise remove it and send the CSRF token.`,
      };
    case 'oauth-callback':
      return {
        severity: 'low',
        hint: `the view completes an OAuth sign-in (\`${reason.completer}\`), which rejects a callback whose \`state\` is not the one the sign-in started with; providers that answer with a cross-site POST (Apple's \`form_post\`) need the exemption`,
        fix: `Keep the exemption if the OAuth provider posts to this view and ${record}; otherwise remove it.`,
      };
    case 'read-only-graphql':
      return {
        severity: 'low',
        hint: `\`${reason.view}\` answers the project's GraphQL schemas, none of which defines a mutation: a query changes nothing, and a cross-site page cannot read its answer`,
        fix: `Keep the exemption while the schema has no mutation and ${record}; remove it before adding one.`,
      };
    case 'no-user':
      return {
        severity: 'low',
        hint: `${noUserSubject(reason.handedTo)}: a forged request can do only what anybody can do by calling it directly`,
        fix: `Keep the exemption if the view is meant for clients without a session (a ping URL, a bot's webhook) and ${record}; remove it before the view starts acting for the signed-in user.`,
      };
    case 'empty-response':
      return {
        severity: 'low',
        hint: 'the view only returns an empty response: a forged request can change nothing through it today',
        fix: 'Remove the exemption unless a client without a CSRF token calls the view; either way, remove it before the view starts changing state.',
      };
  }
}

const LISTED_FUNCTIONS = 3;

/** What an acting-for-nobody view was seen to do: alone, or with the project's functions it hands its request to. */
function noUserSubject(handedTo: readonly string[]): string {
  if (handedTo.length === 0) return 'the view reads no user or session from its request and hands the request to no other code';
  const listed = handedTo.slice(0, LISTED_FUNCTIONS).map((name) => `\`${name}\``).join(', ');
  const more = handedTo.length > LISTED_FUNCTIONS ? ` and ${handedTo.length - LISTED_FUNCTIONS} more` : '';
  return `the view reads no user or session from its request, and the project's code it hands the request to (${listed}${more}) reads none either or authenticates by a header token`;
}
