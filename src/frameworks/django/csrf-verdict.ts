import { type AppCredentials, type CredentialEvidence, credentialsFromEvidence } from '../../project/credentials.js';
import { DjangoSettings, type MiddlewareSetting } from './settings.js';
import { DJANGO } from '../../project/known-names.js';
import type { Project } from '../../project/project.js';

/** Middleware that logs a browser in through the session cookie. */
const SESSION_LOGIN_MIDDLEWARE = new Set(['django.contrib.sessions.middleware.SessionMiddleware', 'django.contrib.auth.middleware.AuthenticationMiddleware']);
/** Middleware that trusts the web server's login: usually HTTP Basic or Kerberos, which the browser repeats by itself. */
const REMOTE_USER_MIDDLEWARE = new Set(['django.contrib.auth.middleware.RemoteUserMiddleware', 'django.contrib.auth.middleware.PersistentRemoteUserMiddleware']);

/** Whether a Django project checks CSRF tokens, and what a forged request carries to it. */
export interface DjangoCsrfVerdict {
  /** The settings modules judged: the production ones, or the others when the project has no production settings. */
  settings: MiddlewareSetting[];
  /** A settings module whose (fully read) middleware list lacks `CsrfViewMiddleware`. */
  lacking: MiddlewareSetting | undefined;
  /**
   * A settings module whose list may or may not hold `CsrfViewMiddleware` (it is in one branch of
   * an `if`, or in a slice the scan cannot bound): protection cannot be told, and the rule is silent.
   */
  uncertain: MiddlewareSetting | undefined;
  /** In place of `CsrfViewMiddleware`, a class of that name outside the scan: protection cannot be told. */
  lookalike: { setting: MiddlewareSetting; entry: string } | undefined;
  credentials: AppCredentials;
}

const verdicts = new WeakMap<Project, Map<string, DjangoCsrfVerdict>>();

/**
 * The Django verdict for a project root: `CsrfViewMiddleware` in every judged settings module
 * enforces CSRF; missing from one leaves the project unprotected. Its credentials come from the
 * same middleware lists, in the terms of the ambient-credential model: a session (or
 * `AuthenticationMiddleware`) is a session cookie, `RemoteUserMiddleware` a server login the
 * browser repeats; anything else may authenticate in a way the scan cannot see.
 */
export function djangoCsrfVerdict(project: Project, projectRoot: string): DjangoCsrfVerdict {
  project.noteEveryModuleRead();
  let byRoot = verdicts.get(project);
  if (!byRoot) verdicts.set(project, (byRoot = new Map()));
  const known = byRoot.get(projectRoot);
  if (known) return known;
  const reader = new DjangoSettings(project);
  const candidates = project.modules.filter((module) => module.projectRoot === projectRoot).flatMap((module) => {
    const setting = reader.middleware(module);
    return setting?.list && (setting.list.entries.length > 0 || setting.list.possible.length > 0) ? [setting] : [];
  });
  const production = candidates.filter((setting) => setting.module.context === 'production');
  const settings = production.length > 0 ? production : candidates;
  const notSurelyCsrf = settings.filter((setting) => !setting.list!.open && !reader.containsCsrfMiddleware(setting.module, setting.list!.entries));
  const mayHoldCsrf = (setting: MiddlewareSetting) => reader.containsCsrfMiddleware(setting.module, setting.list!.possible);
  const uncertain = notSurelyCsrf.find(mayHoldCsrf);
  const withoutCsrf = notSurelyCsrf.filter((setting) => !mayHoldCsrf(setting));
  const lookalikes = withoutCsrf.flatMap((setting) => {
    const entry = reader.unscannedCsrfLookalike(setting.module, setting.list!.entries);
    return entry ? [{ setting, entry }] : [];
  });
  const lacking = withoutCsrf.find((setting) => !lookalikes.some((lookalike) => lookalike.setting === setting));
  const verdict = { settings, lacking, uncertain, lookalike: lookalikes[0], credentials: credentialsFromEvidence(settings.flatMap(middlewareEvidence)) };
  byRoot.set(projectRoot, verdict);
  return verdict;
}

function middlewareEvidence(setting: MiddlewareSetting): CredentialEvidence[] {
  const entries = setting.list?.entries ?? [];
  const at = { path: setting.module.path, line: setting.list?.blame?.range.line ?? 1 };
  const evidence: CredentialEvidence[] = entries.flatMap((entry): CredentialEvidence[] => {
    if (SESSION_LOGIN_MIDDLEWARE.has(entry)) return [{ kind: 'session-cookie', what: `\`${entry.slice(entry.lastIndexOf('.') + 1)}\` in \`${setting.name}\``, ...at }];
    if (REMOTE_USER_MIDDLEWARE.has(entry)) return [{ kind: 'http-basic', what: `\`${entry.slice(entry.lastIndexOf('.') + 1)}\` in \`${setting.name}\``, ...at }];
    return [];
  });
  const ownMiddleware = entries.some((entry) => !entry.startsWith('django.') && entry !== DJANGO.csrfMiddlewareClass);
  if (evidence.length === 0 && (ownMiddleware || setting.list?.open)) evidence.push({ kind: 'unseen-login', what: `middleware in \`${setting.name}\` that may authenticate`, ...at });
  return evidence;
}
