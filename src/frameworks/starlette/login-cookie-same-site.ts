import type { Application } from '../../project/applications.js';
import { namesCredential } from '../../project/credentials.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue } from '../../project/values.js';
import type { CallExpr } from '../../python/facts.js';
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
      if (!key || !namesCredential(stringValue(project, { module, scope, expr: key.value }))) continue;
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
