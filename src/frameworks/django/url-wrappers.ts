import type { Argument, Definition, Expr } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';

/** Django's URL pattern functions. */
const URL_FUNCTIONS: ReadonlySet<string> = new Set(['django.urls.path', 'django.urls.re_path', 'django.urls.conf.path', 'django.urls.conf.re_path', 'django.conf.urls.url']);

/** Django's URL pattern classes, under their names since Django 2 and before it. */
const URL_PATTERN_CLASSES: ReadonlySet<string> = new Set(['django.urls.URLPattern', 'django.urls.resolvers.URLPattern', 'django.core.urlresolvers.RegexURLPattern']);

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
  if (!positional) return makesOwnPattern(project, module, definition) ? { rewritesRoute: false } : undefined;
  for (const { scope, value } of module.facts.returns) {
    if (scope !== definition.bodyScope || value?.kind !== 'call') continue;
    if (!URL_FUNCTIONS.has(project.resolve(module, value.callee, scope) ?? '')) continue;
    const handed = value.args.find((argument) => argument.unpack === '*');
    if (!handed) continue;
    return { rewritesRoute: handed.value.kind !== 'name' || handed.value.id !== positional.name };
  }
  return undefined;
}

/**
 * \`def admin_url(regex, view, kwargs=None, name=None, ...): return AdminRegexURLPattern(regex, view, ...)\`
 * (shuup's): a function that hands its first two parameters, unchanged and in order, to a class of
 * the project built on Django's URL pattern. Its callers write the pattern and the view first, as
 * they would for \`re_path\`.
 */
function makesOwnPattern(project: Project, module: SourceModule, definition: Definition): boolean {
  const [pattern, view] = definition.parameters.filter((parameter) => parameter.unpack === undefined);
  if (!pattern || !view) return false;
  return module.facts.returns.some(({ scope, value }) => {
    if (scope !== definition.bodyScope || value?.kind !== 'call') return false;
    const [first, second] = value.args;
    if (!passes(first, pattern.name) || !passes(second, view.name)) return false;
    const made = project.resolve(module, value.callee, scope);
    return made !== undefined && project.findDefinition(made)?.definition.kind === 'class' && project.isSubclassOf(made, URL_PATTERN_CLASSES);
  });
}

function passes(argument: Argument | undefined, parameter: string): boolean {
  return argument !== undefined && argument.name === undefined && argument.unpack === undefined && argument.value.kind === 'name' && argument.value.id === parameter;
}
