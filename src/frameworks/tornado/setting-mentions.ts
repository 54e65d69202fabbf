import type { CallExpr, Expr } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';

/** The settings come through a name the scan cannot read: `**kwargs`, `**options`. */
export function unpacksSettings(call: CallExpr): boolean {
  return call.args.some((argument) => argument.unpack === '**' && argument.value.kind === 'name');
}

const settingMentions = new WeakMap<Project, Map<string, Set<string>>>();

/**
 * Whether any code of a project names a setting: as a keyword (`xsrf_cookies=True`), a string
 * (`{"xsrf_cookies": True}`, `settings["xsrf_cookies"]`), or a module-level name a settings module
 * defines (`xsrf_cookies = True`).
 */
export function mentionsSetting(project: Project, projectRoot: string, setting: string): boolean {
  project.noteEveryModuleRead();
  let byRoot = settingMentions.get(project);
  if (!byRoot) {
    byRoot = new Map();
    settingMentions.set(project, byRoot);
  }
  const key = `${projectRoot}\0${setting}`;
  let mentioned = byRoot.get(key);
  if (!mentioned) {
    mentioned = new Set(project.modules.filter((module) => module.projectRoot === projectRoot && moduleMentions(module, setting)).map((module) => module.path));
    byRoot.set(key, mentioned);
  }
  return mentioned.size > 0;
}

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
