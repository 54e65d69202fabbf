import type { SourceRange } from '../../python/facts.js';
import { MODULE_SCOPE } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { mappingEntries, stringValue, truthiness, type ValueSite } from '../../project/values.js';
import { authenticationClassOf, authenticationLists } from './authentication-lists.js';
import type { SameSiteSetting } from '../../rules/support/unprotected-apps.js';

/** The libraries whose DRF authentication reads a JWT from the cookie `JWT_AUTH_COOKIE` names. */
interface JwtCookieLibrary {
  library: string;
  /** The settings mapping the key lives in; `undefined` for a top-level setting. */
  mapping: string | undefined;
  /** Its authentication class, which reads the cookie when no `Authorization` header comes. */
  authentication: string;
  /** Settings of the same mapping that make the class check CSRF on a cookie-authenticated request. */
  csrfSwitches: readonly string[];
}

const COOKIE_KEY = 'JWT_AUTH_COOKIE';
/** dj-rest-auth's and drf-jwt's SameSite settings of that cookie; their defaults are not credited. */
const SAME_SITE_KEYS = new Set(['JWT_AUTH_SAMESITE', 'JWT_AUTH_COOKIE_SAMESITE']);
const DJ_REST_AUTH_CSRF = ['JWT_AUTH_COOKIE_USE_CSRF', 'JWT_AUTH_COOKIE_ENFORCE_CSRF_ON_UNAUTHENTICATED'];

const LIBRARIES: readonly JwtCookieLibrary[] = [
  // djangorestframework-jwt and its drf-jwt fork: the cookie is read, CSRF never checked.
  { library: 'djangorestframework-jwt', mapping: 'JWT_AUTH', authentication: 'rest_framework_jwt.authentication.JSONWebTokenAuthentication', csrfSwitches: [] },
  // dj-rest-auth 3 (`REST_AUTH`), and before it top-level settings; it checks CSRF only when told to.
  { library: 'dj-rest-auth', mapping: 'REST_AUTH', authentication: 'dj_rest_auth.jwt_auth.JWTCookieAuthentication', csrfSwitches: DJ_REST_AUTH_CSRF },
  { library: 'dj-rest-auth', mapping: undefined, authentication: 'dj_rest_auth.jwt_auth.JWTCookieAuthentication', csrfSwitches: DJ_REST_AUTH_CSRF },
];

/** A `JWT_AUTH_COOKIE` setting that makes a DRF authentication class in use take the JWT from a cookie with no CSRF check. */
export interface JwtCookieSetting {
  library: string;
  cookie: string;
  /** Where the setting is written. */
  module: SourceModule;
  range: SourceRange;
  authentication: string;
  /** `JWT_AUTH_SAMESITE = "Strict"` or `"Lax"`, written out in the same settings. */
  sameSite?: SameSiteSetting;
  /** Where the class is listed (`DEFAULT_AUTHENTICATION_CLASSES`, a view's `authentication_classes`). */
  listedAt: { module: SourceModule; range: SourceRange; name: string };
}

/**
 * The project's `JWT_AUTH_COOKIE` settings (`JWT_AUTH = {"JWT_AUTH_COOKIE": "jwt"}`, dj-rest-auth's
 * `REST_AUTH = {...}` or the top-level setting) whose library's cookie-reading class is listed in
 * an authentication list of the same project root, and no setting of the library turns its CSRF
 * check on. The JWT is then an ambient credential: the browser adds the cookie to a forged request,
 * and DRF views are exempt from `CsrfViewMiddleware`.
 */
export function jwtCookieSettings(project: Project): JwtCookieSetting[] {
  const found: JwtCookieSetting[] = [];
  for (const module of project.modules) {
    if (module.context !== 'production') continue;
    for (const library of LIBRARIES) {
      const setting = cookieSetting(project, module, library);
      if (!setting) continue;
      const listedAt = listing(project, module.projectRoot, library.authentication);
      if (listedAt) found.push({ library: library.library, authentication: library.authentication, module, listedAt, ...setting });
    }
  }
  return found;
}

function cookieSetting(project: Project, module: SourceModule, library: JwtCookieLibrary): { cookie: string; range: SourceRange; sameSite?: SameSiteSetting } | undefined {
  const settings = settingsOf(project, module, library.mapping);
  const cookie = settings.find(({ key }) => key === COOKIE_KEY);
  if (!cookie) return undefined;
  const name = stringValue(project, cookie.value);
  if (!name) return undefined;
  const checksCsrf = settings.some(({ key, value }) => library.csrfSwitches.includes(key) && truthiness(project, value) !== 'falsy');
  if (checksCsrf) return undefined;
  const sameSite = settings.flatMap(({ key, value, range }): SameSiteSetting[] => {
    const level = SAME_SITE_KEYS.has(key) ? stringValue(project, value)?.toLowerCase() : undefined;
    return level === 'strict' || level === 'lax' ? [{ setting: key, path: module.path, line: range.line, level }] : [];
  })[0];
  return { cookie: name, range: cookie.range, ...(sameSite ? { sameSite } : {}) };
}

/** The module's top-level settings, or the entries of one settings mapping (`JWT_AUTH = {...}`). */
function settingsOf(project: Project, module: SourceModule, mapping: string | undefined): Array<{ key: string; value: ValueSite; range: SourceRange }> {
  const settings: Array<{ key: string; value: ValueSite; range: SourceRange }> = [];
  for (const { target, value, scope, range } of module.facts.assignments) {
    if (scope !== MODULE_SCOPE || target.kind !== 'name' || !value) continue;
    const site = { module, scope, expr: value };
    if (mapping === undefined) settings.push({ key: target.id, value: site, range });
    else if (target.id === mapping) settings.push(...(mappingEntries(project, site) ?? []));
  }
  return settings;
}

function listing(project: Project, projectRoot: string, authentication: string): JwtCookieSetting['listedAt'] | undefined {
  for (const list of authenticationLists(project)) {
    if (list.module.projectRoot !== projectRoot) continue;
    const listed = list.items.some((item) => {
      const className = authenticationClassOf(project, item);
      return className !== undefined && project.isSubclassOf(className, new Set([authentication]));
    });
    if (listed) return { module: list.module, range: list.range, name: list.name };
  }
  return undefined;
}
