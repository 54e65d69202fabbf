import type { Definition } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

const ABORTS: ReadonlySet<string> = new Set(['flask.abort', 'quart.abort', 'werkzeug.exceptions.abort']);

/**
 * A view that can only refuse: its body calls nothing but `abort(...)`, assigns nothing and returns
 * nothing (koschei's `edit_collection`: `if not g.user.admin: abort(403)`, then `abort(501)`, a
 * feature not built yet). Whatever a forged request sends, it changes nothing.
 */
export function onlyRefuses(project: Project, module: SourceModule, view: Definition): boolean {
  if (view.kind !== 'function') return false;
  const { symbols, facts } = module;
  const within = (items: ReadonlyArray<{ scope: number }>) => symbols.itemsWithin(items, view.bodyScope).length > 0;
  if (within(facts.returns) || within(facts.assignments) || within(facts.deletions)) return false;
  const calls = symbols.itemsWithin(facts.calls, view.bodyScope);
  return calls.length > 0 && calls.every(({ call, scope }) => ABORTS.has(project.resolve(module, call.callee, scope) ?? ''));
}
