import type { CallExpr, Expr } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { ProjectWideMemo } from '../../project/project-wide-memo.js';

/** The settings come through a name the scan cannot read: `**kwargs`, `**options`. */
export function unpacksSettings(call: CallExpr): boolean {
  return call.args.some((argument) => argument.unpack === '**' && argument.value.kind === 'name');
}

/**
 * Whether any code of a project names a setting: as a keyword (`xsrf_cookies=True`), a string
 * (`{"xsrf_cookies": True}`, `settings["xsrf_cookies"]`), or a module-level name a settings module
 * defines (`xsrf_cookies = True`).
 */
export function mentionsSetting(project: Project, projectRoot: string, setting: string): boolean {
  return settingMentions.get(project, `${projectRoot}\0${setting}`);
}

const settingMentions = new ProjectWideMemo((project: Project, key: string) => {
  const [projectRoot, setting] = key.split('\0') as [string, string];
  return project.modules.some((module) => module.projectRoot === projectRoot && moduleMentions(module, setting));
});

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
