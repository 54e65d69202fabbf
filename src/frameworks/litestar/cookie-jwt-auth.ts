import type { Expr } from '../../python/facts.js';
import type { Application } from '../../project/applications.js';
import type { CredentialEvidence } from '../../project/credentials.js';
import type { Project } from '../../project/project.js';
import { dereference, stringValue, type ValueSite } from '../../project/values.js';
import type { SameSiteSetting } from '../../rules/support/unprotected-apps.js';

/**
 * Litestar's JWT backends that keep the token in a cookie: `login()` sets it (HttpOnly) and their
 * middleware reads it back from the cookie on every request. `JWTAuth` only reads a header.
 */
const COOKIE_JWT_AUTHS: ReadonlySet<string> = new Set(
  ['JWTCookieAuth', 'OAuth2PasswordBearerAuth'].flatMap((name) => [
    `litestar.security.jwt.${name}`,
    `litestar.security.jwt.auth.${name}`,
    `litestar.contrib.jwt.${name}`,
    `litestar.contrib.jwt.jwt_auth.${name}`,
    `starlite.contrib.jwt.${name}`,
    `starlite.contrib.jwt.jwt_auth.${name}`,
  ]),
);

/** Where these backends put their cookie attributes, and Litestar's default for `samesite`. */
const SAME_SITE_KEYWORD = 'samesite';
const DEFAULT_SAME_SITE = 'lax';

export interface CookieJwtAuth {
  /** The backend's class as written, for a hint: `OAuth2PasswordBearerAuth`. */
  className: string;
  /** Where the backend is built. */
  built: ValueSite;
  /** The cookie's SameSite level, Litestar's default (Lax) when not given; `undefined` for `samesite="none"` or a value the scan cannot read. */
  sameSite: SameSiteSetting | undefined;
  /** `samesite=` is written at the backend. */
  sameSiteWritten: boolean;
}

/**
 * A cookie-keeping JWT backend the app installs: `on_app_init=[auth.on_app_init]`,
 * `middleware=[auth.middleware]`, or a plugin of the project (`plugins=[AppCore()]`) whose code hands
 * such a backend on (`auth.on_app_init(app_config)`, or `auth` passed to a helper that does).
 */
export function appCookieJwtAuth(project: Project, app: Application): CookieJwtAuth | undefined {
  for (const argument of app.call.args) {
    if (argument.value.kind !== 'list' && argument.value.kind !== 'tuple') continue;
    for (const item of argument.value.items) {
      const site = { module: app.module, scope: app.scope, expr: item };
      const found = argument.name === 'plugins' ? pluginCookieJwtAuth(project, site) : installedBackend(project, site);
      if (found) return found;
    }
  }
  return undefined;
}

/** `auth.on_app_init` or `auth.middleware` with `auth` a cookie-keeping JWT backend. */
function installedBackend(project: Project, { module, scope, expr }: ValueSite): CookieJwtAuth | undefined {
  if (expr.kind !== 'attribute' || (expr.attribute !== 'on_app_init' && expr.attribute !== 'middleware')) return undefined;
  return cookieJwtBackend(project, { module, scope, expr: expr.object });
}

/** A plugin class of the project whose methods use a cookie-keeping JWT backend: as a call's object or as an argument. */
function pluginCookieJwtAuth(project: Project, plugin: ValueSite): CookieJwtAuth | undefined {
  for (const className of project.instanceClasses(plugin.module, plugin.expr, plugin.scope)) {
    const site = project.findDefinition(className);
    if (site?.definition.kind !== 'class') continue;
    const { module, definition } = site;
    for (const { call, scope } of module.symbols.itemsWithin(module.facts.calls, definition.bodyScope)) {
      const used: Expr[] = [...(call.callee.kind === 'attribute' ? [call.callee.object] : []), ...call.args.map((argument) => argument.value)];
      for (const expr of used) {
        const found = expr.kind === 'name' ? cookieJwtBackend(project, { module, scope, expr }) : undefined;
        if (found) return found;
      }
    }
  }
  return undefined;
}

function cookieJwtBackend(project: Project, site: ValueSite): CookieJwtAuth | undefined {
  const [className] = project.instanceClasses(site.module, site.expr, site.scope).filter((name) => project.isSubclassOf(name, COOKIE_JWT_AUTHS));
  if (className === undefined) return undefined;
  const built = dereference(project, site);
  const sameSiteWritten = built.expr.kind === 'call' && built.expr.args.some((argument) => argument.name === SAME_SITE_KEYWORD);
  return { className: className.split('.').pop()!, built, sameSite: cookieSameSite(project, built, className), sameSiteWritten };
}

/** `samesite="strict"` or `"lax"` given to the backend, or Litestar's default, Lax. */
function cookieSameSite(project: Project, built: ValueSite, className: string): SameSiteSetting | undefined {
  const name = className.split('.').pop()!;
  const where = { path: built.module.path, line: built.expr.kind === 'call' ? built.expr.range.line : 0 };
  const argument = built.expr.kind === 'call' ? built.expr.args.find((candidate) => candidate.name === SAME_SITE_KEYWORD) : undefined;
  if (!argument) return { setting: `${name}(...)`, level: DEFAULT_SAME_SITE, ...where };
  const level = stringValue(project, { ...built, expr: argument.value })?.toLowerCase();
  return level === 'strict' || level === 'lax' ? { setting: `${name}(samesite="${level}")`, level, ...where } : undefined;
}

/** The backend as evidence for the credential model: a cookie the browser sends back by itself. */
export function jwtCookieEvidence({ className, built }: CookieJwtAuth): CredentialEvidence {
  return { kind: 'other-cookie', what: `\`${className}\` keeps the JWT in a cookie the browser sends back`, path: built.module.path, line: built.expr.kind === 'call' ? built.expr.range.line : 0 };
}
