import type { Argument, CallExpr } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { stringValue, truthiness } from './values.js';

export const PYRAMID = {
  configurator: 'pyramid.config.Configurator',
  viewDecorators: new Set(['pyramid.view.view_config', 'pyramid.view.view_defaults']),
} as const;

/** A call of the scanned code with where it sits. */
export interface CallSiteIn {
  module: SourceModule;
  scope: number;
  call: CallExpr;
}

export function keywordArgument(call: CallExpr, name: string): Argument | undefined {
  return call.args.find((argument) => argument.name === name);
}

/** Calls of a method by name (`config.set_default_csrf_options(...)`), by project root. */
export function methodCalls(project: Project, method: string): CallSiteIn[] {
  return project.modules.flatMap((module) =>
    module.facts.calls.filter(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === method).map(({ call, scope }) => ({ module, scope, call })),
  );
}

/**
 * How `set_default_csrf_options(...)` sets the default check: `on` (its own default is
 * `require_csrf=True`), `off` (`require_csrf=False`, or neither a token nor a header to read).
 */
export function defaultCsrfSetting(project: Project, { module, scope, call }: CallSiteIn): 'on' | 'off' | 'unknown' {
  const required = keywordArgument(call, 'require_csrf') ?? call.args.find((argument) => argument.name === undefined && !argument.unpack);
  if (required) {
    const value = truthiness(project, { module, scope, expr: required.value });
    if (value !== 'truthy') return value === 'falsy' ? 'off' : 'unknown';
  }
  const token = keywordArgument(call, 'token');
  const header = keywordArgument(call, 'header');
  const isNone = (argument: Argument | undefined) => argument !== undefined && argument.value.kind === 'constant' && argument.value.value === null;
  return isNone(token) && isNone(header) ? 'off' : 'on';
}

/**
 * Whether a project keeps sessions: `Configurator(session_factory=...)`, `set_session_factory(...)`,
 * or an included session package (`config.include("pyramid_beaker")`).
 */
export function setsUpSessions(project: Project, modules: readonly SourceModule[]): boolean {
  return modules.some((module) =>
    module.facts.calls.some(({ call, scope }) => {
      const { callee } = call;
      if (keywordArgument(call, 'session_factory') && project.resolve(module, callee, scope) === PYRAMID.configurator) return true;
      if (callee.kind !== 'attribute') return false;
      if (callee.attribute === 'set_session_factory') return true;
      const [included] = call.args;
      const name = callee.attribute === 'include' && included ? stringValue(project, { module, scope, expr: included.value }) : undefined;
      return name !== undefined && /session|beaker/i.test(name);
    }),
  );
}
