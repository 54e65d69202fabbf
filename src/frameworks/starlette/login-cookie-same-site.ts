import type { Application } from '../../project/applications.js';
import { namesCredential } from '../../project/credentials.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue } from '../../project/values.js';
import { type CallExpr, type Definition, type Expr, MODULE_SCOPE } from '../../python/facts.js';
import type { SameSiteLevel, SameSiteSetting } from '../../rules/support/unprotected-apps.js';

/** Starlette's `Response.set_cookie(..., samesite="lax")`: the attribute a cookie gets when the call leaves it out. */
const STARLETTE_DEFAULT_SAME_SITE: SameSiteLevel = 'lax';

/**
 * The SameSite of the login cookie an app sets itself (`response.set_cookie("access_token", token,
 * httponly=True)`), where every such call of its project can be read: the weakest level they give,
 * `samesite` written out or left to Starlette's default `lax`, which `set_cookie` writes into the
 * cookie whenever the call leaves it out. Unlike a session middleware's option, the call that
 * issues the credential is in the scanned code, with every attribute the cookie gets. `undefined`
 * when no call is found, or one sets `samesite="none"` or a value the scan cannot read.
 */
export function loginCookieSameSite(project: Project, app: Application): SameSiteSetting | undefined {
  const settings: SameSiteSetting[] = [];
  for (const module of project.modules) {
    if (module.projectRoot !== app.module.projectRoot || module.context === 'test' || !importsStarlette(module)) continue;
    for (const { call, scope } of module.facts.calls) {
      if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'set_cookie') continue;
      const key = call.args.find((argument) => argument.name === 'key') ?? call.args.find((argument) => argument.name === undefined && !argument.unpack);
      if (!key) continue;
      const helper = cookieHelper(module, scope, key.value);
      if (helper) {
        const found = helperCallerSettings(project, { module, call, scope, ...helper });
        if (!found) return undefined;
        settings.push(...found);
        continue;
      }
      if (!namesLoginCookie(stringValue(project, { module, scope, expr: key.value }))) continue;
      const setting = sameSiteOfCall(project, module, call, scope);
      if (!setting) return undefined;
      settings.push(setting);
    }
  }
  return settings.find((setting) => setting.level === 'lax') ?? settings[0];
}

function sameSiteOfCall(project: Project, module: SourceModule, call: CallExpr, scope: number): SameSiteSetting | undefined {
  const option = call.args.find((argument) => argument.name === 'samesite');
  const cookie = 'the login cookie';
  if (!option) {
    const note = `which leaves \`samesite\` to Starlette's default, "${STARLETTE_DEFAULT_SAME_SITE}"`;
    return { setting: 'set_cookie(...)', note, path: module.path, line: call.range.line, level: STARLETTE_DEFAULT_SAME_SITE, cookie };
  }
  const level = stringValue(project, { module, scope, expr: option.value })?.toLowerCase();
  if (level !== 'strict' && level !== 'lax') return undefined;
  return { setting: `set_cookie(..., samesite="${level}")`, path: module.path, line: option.range.line, level, cookie };
}

function importsStarlette(module: SourceModule): boolean {
  return module.facts.imports.some((statement) => statement.level === 0 && /^(?:starlette|fastapi)(?:\.|$)/.test(statement.module));
}

/**
 * An OAuth round trip's cookie (\`oauth2_state\`, \`oauth_nonce\`, \`code_verifier\`) holds what the
 * provider's callback must send back, not a login: its SameSite (Lax, so the callback gets it) says
 * nothing of the login cookie's.
 */
const OAUTH_ROUND_TRIP_NAME = /(^|[-_.])(state|nonce|code[-_]?verifier|pkce)$/i;

function namesLoginCookie(name: string | undefined): boolean {
  return namesCredential(name) && !OAUTH_ROUND_TRIP_NAME.test(name);
}

/** A module-level function of the project that sets a cookie named by one of its parameters: \`_set_cookie(*, response, cookie_name, samesite)\`. */
interface CookieHelper {
  definition: Definition;
  keyParameter: string;
}

function cookieHelper(module: SourceModule, scope: number, key: Expr): CookieHelper | undefined {
  if (key.kind !== 'name' || scope === MODULE_SCOPE) return undefined;
  const definition = module.symbols.definitionOfScope(scope);
  if (definition?.kind !== 'function' || definition.scope !== MODULE_SCOPE) return undefined;
  return isParameter(definition, key.id) ? { definition, keyParameter: key.id } : undefined;
}

function isParameter(definition: Definition, name: string): boolean {
  return definition.parameters.some((parameter) => parameter.name === name && !parameter.unpack);
}

/**
 * The SameSite of each login cookie a helper sets for its callers (\`set_access_token_cookie\` calling
 * \`_set_cookie(cookie_name=ACCESS_COOKIE, samesite="strict")\`): the caller names the cookie, and the
 * \`samesite\` the helper passes on, when it is one of its parameters. Callers naming no credential
 * (an OAuth state cookie) do not count. \`undefined\` when a caller's name or level cannot be read.
 */
function helperCallerSettings(project: Project, helper: CookieHelper & { module: SourceModule; call: CallExpr; scope: number }): SameSiteSetting[] | undefined {
  const qualifiedName = `${helper.module.name}.${helper.definition.name}`;
  const option = helper.call.args.find((argument) => argument.name === 'samesite');
  const passedOn = option?.value.kind === 'name' && isParameter(helper.definition, option.value.id) ? option.value.id : undefined;
  const settings: SameSiteSetting[] = [];
  for (const module of project.modules) {
    if (module.projectRoot !== helper.module.projectRoot || module.context === 'test') continue;
    for (const { call, scope } of module.facts.calls) {
      if (project.resolve(module, call.callee, scope) !== qualifiedName) continue;
      const name = argumentFor(helper.definition, call, helper.keyParameter);
      if (!name || !namesLoginCookie(stringValue(project, { module, scope, expr: name }))) continue;
      if (passedOn === undefined) {
        const setting = sameSiteOfCall(project, helper.module, helper.call, helper.scope);
        if (!setting) return undefined;
        settings.push(setting);
        continue;
      }
      const passed = argumentFor(helper.definition, call, passedOn);
      const level = passed ? stringValue(project, { module, scope, expr: passed })?.toLowerCase() : undefined;
      if (level !== 'strict' && level !== 'lax') return undefined;
      const setting = `${helper.definition.name}(..., samesite="${level}")`;
      const note = `which passes it on to \`set_cookie\` (${helper.module.path}:${helper.call.range.line})`;
      settings.push({ setting, note, path: module.path, line: call.range.line, level, cookie: 'the login cookie' });
    }
  }
  return settings;
}

/** The expression a call gives one of a function's parameters, by keyword or by position. */
function argumentFor(definition: Definition, call: CallExpr, parameter: string): Expr | undefined {
  const keyword = call.args.find((argument) => argument.name === parameter);
  if (keyword) return keyword.value;
  if (call.args.some((argument) => argument.unpack !== undefined)) return undefined;
  const index = definition.parameters.findIndex((candidate) => candidate.name === parameter);
  // A parameter after \`*\` or \`*args\` takes no positional argument.
  const keywordOnly = definition.parameters.slice(0, index).some((candidate) => candidate.unpack !== undefined);
  const given = keywordOnly ? undefined : call.args.filter((argument) => argument.name === undefined)[index]?.value;
  return given ?? definition.parameters[index]?.defaultValue;
}
