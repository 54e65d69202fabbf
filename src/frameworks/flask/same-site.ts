import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue } from '../../project/values.js';
import type { StrictCookieSetting } from '../../rules/support/unprotected-apps.js';
import { type ConfigWrite, flaskConfigWrites } from './config-writes.js';

const SESSION_SAMESITE = 'SESSION_COOKIE_SAMESITE';
const REMEMBER_SAMESITE = 'REMEMBER_COOKIE_SAMESITE';
const LOGIN_USER = new Set(['flask_login.login_user', 'flask_login.utils.login_user']);

/**
 * The setting that keeps the session cookie of the project's Flask apps off every cross-site
 * request: `SESSION_COOKIE_SAMESITE = "Strict"` set in the app's own context (production, development
 * or test), in the app's module when the project has other apps, and, where
 * Flask-Login remembers users (`login_user(user, remember=...)`), `REMEMBER_COOKIE_SAMESITE =
 * "Strict"` too, since the remember cookie signs the user in again by itself. `Lax` is not enough:
 * it still sends the cookie on a cross-site top-level GET, and older browsers ignore the attribute.
 */
export function strictSameSiteOf(project: Project, app: SourceModule, sharesItsProject = false): StrictCookieSetting | undefined {
  const { projectRoot } = app;
  // A setting made for another context (a DevelopmentConfig) does not reach the app's own; with
  // other apps in the project, which app a setting elsewhere is for is not known: only its own module's count.
  const writes = flaskConfigWrites(project, new Set([SESSION_SAMESITE, REMEMBER_SAMESITE])).filter(
    (write) => write.value.module.projectRoot === projectRoot && write.context === app.context && (!sharesItsProject || write.value.module === app),
  );
  const session = strictWrite(project, writes, SESSION_SAMESITE);
  if (!session) return undefined;
  if (remembersUsers(project, projectRoot) && !strictWrite(project, writes, REMEMBER_SAMESITE)) return undefined;
  return { setting: `${SESSION_SAMESITE} = "Strict"`, path: session.value.module.path, line: session.range.line };
}

/** The first write of `key`, when every write of it says `Strict`. */
function strictWrite(project: Project, writes: readonly ConfigWrite[], key: string): ConfigWrite | undefined {
  const ofKey = writes.filter((write) => write.key === key);
  return ofKey.length > 0 && ofKey.every((write) => stringValue(project, write.value)?.toLowerCase() === 'strict') ? ofKey[0] : undefined;
}

/** `login_user(user, remember=...)` or `login_user(user, True)` in the project: Flask-Login may set its remember cookie. */
function remembersUsers(project: Project, projectRoot: string): boolean {
  return project.modules.some(
    (module) =>
      module.projectRoot === projectRoot &&
      module.facts.calls.some(({ call, scope }) => {
        const remembers = call.args.some((argument) => argument.name === 'remember') || call.args.filter((argument) => argument.name === undefined).length > 1;
        return remembers && LOGIN_USER.has(project.resolve(module, call.callee, scope) ?? '');
      }),
  );
}
