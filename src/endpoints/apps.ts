import type { Application } from '../project/applications.js';
import { type AppCredentials, ambientCredentialsOf, type AppSite as CreatedApp, type CredentialEvidence, describeCredentials, isCsrfTarget } from '../project/credentials.js';
import type { Project } from '../project/project.js';
import type { AppSite, Credentials, Protection } from './endpoint.js';

/** An app by the name that holds it (`blog.app`, `blog.create_app()`), else by where it is made. */
export function appSite(app: Application, framework: string): AppSite {
  const name = app.slot?.replace('.<locals>', '') ?? `${app.className.slice(app.className.lastIndexOf('.') + 1)}() at ${app.module.path}:${app.call.range.line}`;
  return { name, framework, anchor: { file: app.module, line: app.call.range.line }, anchorRange: app.call.range };
}

const AMBIENT_COLUMN = { 'session-cookie': 'session cookie', 'other-cookie': 'other cookie', 'http-basic': 'HTTP Basic' } as const;

/** What authenticates a browser to the app, from the ambient-credential model, and what that means for its findings. */
interface AppAuthentication {
  credentials: Credentials;
  /** Set when nothing a forged request carries authenticates anybody: why an unprotected endpoint is no finding. */
  noTargetReason?: string;
}

export function appAuthentication(project: Project, app: CreatedApp, extra: readonly CredentialEvidence[] = []): AppAuthentication {
  const model = ambientCredentialsOf(project, app, extra);
  const credentials = credentialsColumn(model);
  return isCsrfTarget(model) ? { credentials } : { credentials, noTargetReason: `no ambient credential: ${describeCredentials(model)}` };
}

export function credentialsColumn(model: AppCredentials): Credentials {
  const [first] = model.ambient;
  if (first) return AMBIENT_COLUMN[first];
  if (model.verdict === 'header-token-only') return 'header token only';
  return model.verdict === 'none' ? 'none' : 'unknown';
}

/** An unprotected app's protection, with the reason the rules stay silent when nobody can be acted for. */
export function withTargetReason(protection: Protection, authentication: AppAuthentication): Protection {
  if (protection.state === 'protected' || protection.reason || !authentication.noTargetReason) return protection;
  return { ...protection, reason: authentication.noTargetReason };
}
