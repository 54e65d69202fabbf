import type { Definition, Expr } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue } from '../../project/values.js';
import type { RequestHandler } from '../../project/view-bodies.js';

const REDIRECTS = new Set(['django.http.HttpResponseRedirect', 'django.http.response.HttpResponseRedirect', 'django.shortcuts.redirect']);
const REVERSES = new Set(['django.urls.reverse', 'django.urls.base.reverse', 'django.core.urlresolvers.reverse', 'django.shortcuts.resolve_url']);


/**
 * The URL name a handler redirects every request to (`return HttpResponseRedirect(reverse("finish"))`,
 * the response or the URL held in a local name first), when it reads neither the session's user nor
 * the session itself: a provider's cross-site post (a SAML response, Apple's `form_post`) is stored
 * and handed on to the view of that name, which the browser then reaches with a GET.
 */
export function redirectHandOffTarget(project: Project, { module, definition, requestName }: RequestHandler): string | undefined {
  const name = requestName ?? definition.parameters[0]?.name;
  if (name === undefined || readsSessionUser(module, definition, name)) return undefined;
  const returns = module.symbols.itemsWithin(module.facts.returns, definition.bodyScope);
  if (returns.length === 0) return undefined;
  const targets = new Set<string>();
  for (const { value, scope } of returns) {
    const target = value ? redirectTarget(project, module, definition, value, scope) : undefined;
    if (target === undefined) return undefined;
    targets.add(target);
  }
  const [only, ...others] = targets;
  return others.length === 0 ? only : undefined;
}

/** `request.user` or `request.session` read anywhere in the handler: what a forged post would act for. */
function readsSessionUser(module: SourceModule, definition: Definition, requestName: string): boolean {
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  const owners = [requestName, 'self.request'];
  return module.facts.scopes.some((scope) => scopes.has(scope.id) && scope.reads.some((read) => owners.some((owner) => read.startsWith(`${owner}.user`) || read.startsWith(`${owner}.session`))));
}

/** The URL name of `HttpResponseRedirect(reverse("name"))`, through local names bound in the handler. */
function redirectTarget(project: Project, module: SourceModule, definition: Definition, value: Expr, scope: number): string | undefined {
  const response = localValue(module, definition, value);
  if (response.kind !== 'call' || !REDIRECTS.has(project.resolve(module, response.callee, scope) ?? '')) return undefined;
  const [url] = response.args;
  return url && reversedName(project, module, definition, localValue(module, definition, url.value), scope);
}

/** The literal name of the one `reverse("name")` an expression is built from (`f"{reverse('x')}?{query}"`). */
function reversedName(project: Project, module: SourceModule, definition: Definition, url: Expr, scope: number): string | undefined {
  const names = new Set<string>();
  for (const expr of partsThroughLocals(module, definition, url)) {
    if (expr.kind !== 'call' || !REVERSES.has(project.resolve(module, expr.callee, scope) ?? '')) continue;
    const [first] = expr.args;
    const name = first && !first.name ? stringValue(project, { module, scope, expr: first.value }) : undefined;
    if (name === undefined) return undefined;
    names.add(name);
  }
  const [only, ...others] = names;
  return others.length === 0 ? only : undefined;
}

/** The parts of an expression, and of what the handler binds the names in it to (`url = build_absolute_uri(request, reverse("x"))`). */
function partsThroughLocals(module: SourceModule, definition: Definition, expr: Expr): Expr[] {
  return [...walkExpr(expr)].flatMap((part) => {
    const bound = localValue(module, definition, part);
    return bound === part ? [part] : [part, ...walkExpr(bound)];
  });
}

/** What a name is bound to by the handler's one unconditional assignment to it, or the expression itself. */
function localValue(module: SourceModule, definition: Definition, expr: Expr): Expr {
  if (expr.kind !== 'name') return expr;
  const bindings = module.facts.assignments.filter(({ scope, target }) => scope === definition.bodyScope && target.kind === 'name' && target.id === expr.id);
  const [only, ...others] = bindings;
  return only && others.length === 0 && !only.conditional && only.operator === '=' && only.value ? only.value : expr;
}
