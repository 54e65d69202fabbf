import type { CallExpr, Expr } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { ProjectWideMemo } from '../../project/project-wide-memo.js';

const SETTING = 'xsrf_cookies';

/**
 * An application whose settings come through a name the scan cannot read (`**settings`), in a
 * project whose code never names `xsrf_cookies`: none of the places the settings come from turns
 * the check on. The rule reports such an app and the endpoint inventory calls it unprotected.
 */
export function xsrfNeverSet(project: Project, projectRoot: string, call: CallExpr): boolean {
  const unpacksSettings = call.args.some((argument) => argument.unpack === '**' && argument.value.kind === 'name');
  return unpacksSettings && !settingNamedByRoot.get(project, projectRoot);
}

/**
 * Whether any code of the project names the setting: as a keyword (`xsrf_cookies=True`), a string
 * (`{"xsrf_cookies": True}`, `settings["xsrf_cookies"]`), or a module-level name a settings module
 * defines (`xsrf_cookies = True`).
 */
const settingNamedByRoot = new ProjectWideMemo((project: Project, projectRoot: string) =>
  project.modules.some((module) => module.projectRoot === projectRoot && moduleMentions(module, SETTING)),
);

/**
 * Every call of a module is in its list of calls, so a walk stops at the calls inside the one it
 * walks: each expression is looked at once, however long a chain of calls grows.
 */
function moduleMentions(module: SourceModule, setting: string): boolean {
  const names = (expr: Expr) => {
    for (const part of walkExpr(expr, (inner) => inner === expr || inner.kind !== 'call')) {
      if ((part.kind === 'string' && part.value === setting) || (part.kind === 'call' && part.args.some((argument) => argument.name === setting))) return true;
    }
    return false;
  };
  if (module.facts.calls.some(({ call }) => names(call))) return true;
  return module.facts.assignments.some(({ target, value }) => (target.kind === 'name' && target.id === setting) || names(target) || (value !== null && names(value)));
}
