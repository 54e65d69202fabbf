import type { Definition } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import { signatureCheck } from '../../project/signatures.js';
import type { SourceModule } from '../../project/source-module.js';
import { actsForNobody, decoratorHeaderTokenRead, headerTokenRead, onlyReturnsEmptyResponse } from '../../project/view-bodies.js';
import type { RuleReport } from '../rule.js';

/** Why an exempted view may not need CSRF protection: what authenticates it, or that it changes nothing. */
export type ExemptionReason = { kind: 'signature'; check: string } | { kind: 'header-token'; header: string } | { kind: 'empty-response' } | { kind: 'no-user' };

interface ExemptHandler {
  module: SourceModule;
  definition: Definition;
}

/**
 * What the functions that handle an exempted view's requests show: a signature check (theirs, a
 * helper's or a decorator's), a credential read from a header (by the view or a decorator of the
 * project's) with no session user, a body that only returns a fixed response, or a function view that
 * reads no user and hands its request to no other code.
 */
export function exemptionReason(project: Project, handlers: readonly ExemptHandler[]): ExemptionReason | undefined {
  for (const { module, definition } of handlers) {
    const check = signatureCheck(project, module, definition);
    if (check) return { kind: 'signature', check };
  }
  for (const { module, definition } of handlers) {
    const header = headerTokenRead(module, definition) ?? decoratorHeaderTokenRead(project, module, definition);
    if (header !== undefined) return { kind: 'header-token', header };
  }
  const [only] = handlers;
  if (handlers.length !== 1 || !only) return undefined;
  if (onlyReturnsEmptyResponse(project, only.module, only.definition)) return { kind: 'empty-response' };
  return actsForNobody(project, only.module, only.definition) ? { kind: 'no-user' } : undefined;
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
    case 'no-user':
      return {
        severity: 'low',
        hint: 'the view reads no user or session from its request and hands the request to no other code: a forged request can do only what anybody can do by calling it directly',
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
