import type { Expr } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';

/** Django's URL pattern functions. */
const URL_FUNCTIONS: ReadonlySet<string> = new Set(['django.urls.path', 'django.urls.re_path', 'django.urls.conf.path', 'django.urls.conf.re_path', 'django.conf.urls.url']);

/** A call that makes a URL pattern: Django's own function, or a project's wrapper of it; `rewritesRoute` when the wrapper changes what it is handed. */
export interface UrlPatternCall {
  rewritesRoute: boolean;
}

const wrappersByProject = new WeakMap<Project, Map<string, UrlPatternCall | null>>();

/**
 * Whether `callee` makes a URL pattern: `re_path(...)`, or a function of the project that hands its
 * `*args` on to one (`def service_url(*args, **kwargs): ... return re_path(*new_args, **kwargs)`,
 * askbot's, which prefixes the pattern with a setting): its callers write the pattern, the view and
 * the `name=` as they would for `re_path`.
 */
export function urlPatternCall(project: Project, module: SourceModule, callee: Expr, scope: number): UrlPatternCall | undefined {
  const name = project.resolve(module, callee, scope);
  if (name === undefined) return undefined;
  if (URL_FUNCTIONS.has(name)) return { rewritesRoute: false };
  project.noteEveryModuleRead();
  let known = wrappersByProject.get(project);
  if (!known) wrappersByProject.set(project, (known = new Map()));
  if (!known.has(name)) known.set(name, wrapperOf(project, name) ?? null);
  return known.get(name) ?? undefined;
}

function wrapperOf(project: Project, name: string): UrlPatternCall | undefined {
  const site = project.findDefinition(name);
  if (site?.definition.kind !== 'function') return undefined;
  const { module, definition } = site;
  const positional = definition.parameters.find((parameter) => parameter.unpack === '*');
  if (!positional) return undefined;
  for (const { scope, value } of module.facts.returns) {
    if (scope !== definition.bodyScope || value?.kind !== 'call') continue;
    if (!URL_FUNCTIONS.has(project.resolve(module, value.callee, scope) ?? '')) continue;
    const handed = value.args.find((argument) => argument.unpack === '*');
    if (!handed) continue;
    return { rewritesRoute: handed.value.kind !== 'name' || handed.value.id !== positional.name };
  }
  return undefined;
}
