import type { Definition } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { enclosingClass } from './enclosing.js';
import type { RequestHandler } from './view-bodies.js';

/** What tells a POST from a GET: its body, or the method itself. */
const POST_ONLY_PARTS = new Set(['POST', 'body', 'FILES', 'data', 'read', 'readline', 'readlines', 'stream', 'method', 'content_type', 'META']);


/**
 * A view that reads its input from the query string only (`request.GET[...]`), never the body nor
 * the method, and hands the request only to functions of the project that do neither: a forged POST
 * to it does exactly what a forged link to the same URL does, and a GET is never CSRF-checked, so
 * the exemption opens nothing today (a provider's redirect back, as OAuth 1 callbacks are).
 */
export function readsOnlyQuery(project: Project, { module, definition, requestName }: RequestHandler): boolean {
  const name = requestName ?? definition.parameters[0]?.name;
  if (name === undefined) return false;
  const reads = readsWithin(module, definition.bodyScope);
  if (!reads.some((read) => read === `${name}.GET` || read.startsWith(`${name}.GET.`))) return false;
  if (readsPostOnlyPart(reads, name)) return false;
  return handedTo(project, module, definition, name).every((site) => {
    const parameter = site.parameter;
    return parameter === undefined || !readsPostOnlyPart(readsWithin(site.module, site.definition.bodyScope), parameter);
  });
}

function readsPostOnlyPart(reads: readonly string[], name: string): boolean {
  return reads.some((read) => read.startsWith(`${name}.`) && POST_ONLY_PARTS.has(read.slice(name.length + 1).split('.')[0]!));
}

function readsWithin(module: SourceModule, bodyScope: number): string[] {
  const scopes = module.symbols.scopesWithin(bodyScope);
  return module.facts.scopes.filter((scope) => scopes.has(scope.id)).flatMap((scope) => scope.reads);
}

/** The project's functions the view passes its request to, each with the parameter that receives it. */
function handedTo(project: Project, module: SourceModule, view: Definition, requestName: string): Array<{ module: SourceModule; definition: Definition; parameter?: string }> {
  return module.symbols.itemsWithin(module.facts.calls, view.bodyScope).flatMap(({ call, scope }) => {
    const position = call.args.findIndex((argument) => argument.value.kind === 'name' && argument.value.id === requestName);
    if (position < 0) return [];
    const argument = call.args[position]!;
    const callee = project.resolve(module, call.callee, scope);
    const site = callee === undefined ? undefined : project.findDefinition(callee);
    if (site?.definition.kind !== 'function') return [];
    const parameters = site.definition.parameters.filter((parameter) => parameter.unpack === undefined);
    // A method called on its class or an instance gets `self` or `cls` first.
    const bound = enclosingClass(site.module, site.definition) !== undefined && !site.definition.decorators.some(({ expression }) => expression.kind === 'name' && expression.id === 'staticmethod');
    const parameter = argument.name ?? parameters[position + (bound ? 1 : 0)]?.name;
    return [{ ...site, ...(parameter === undefined ? {} : { parameter }) }];
  });
}
