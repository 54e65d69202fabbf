import type { Definition, Expr } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import { LIBRARY_WRITING_METHODS, onlyReads } from '../../project/read-only-bodies.js';
import type { SourceModule } from '../../project/source-module.js';

/**
 * Pyramid's exceptions that answer with a success or a redirect (`raise HTTPFound(location=...)`
 * after the work is done is Pyramid's way to redirect): a view that builds one may act.
 */
const NON_ERROR_ANSWERS = /^pyramid\.httpexceptions\.(HTTPOk|HTTPCreated|HTTPAccepted|HTTPNonAuthoritativeInformation|HTTPNoContent|HTTPResetContent|HTTPPartialContent|HTTPSuccessful|HTTPRedirection|HTTPMultipleChoices|HTTPMovedPermanently|HTTPFound|HTTPSeeOther|HTTPNotModified|HTTPUseProxy|HTTPTemporaryRedirect|HTTPPermanentRedirect|exception_response)$|^pyramid\.response\./;

export interface ViewFunction {
  module: SourceModule;
  definition: Definition;
}

/**
 * The function an `add_view(...)` registers: its first argument or `view=`, a function of the
 * scan, or the nested function a factory of the scan returns (`view=make_fallback_view(service)`).
 */
export function addedViewFunction(project: Project, module: SourceModule, scope: number, args: ReadonlyArray<{ name?: string; unpack?: string; value: Expr }>): ViewFunction | undefined {
  const argument = args.find((candidate) => candidate.name === 'view') ?? (args[0]?.name === undefined && !args[0]?.unpack ? args[0] : undefined);
  if (!argument) return undefined;
  const { value } = argument;
  const named = value.kind === 'call' ? value.callee : value;
  const name = project.resolve(module, named, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (site?.definition.kind !== 'function') return undefined;
  return value.kind === 'call' ? returnedNestedFunction(site) : site;
}

/** `def factory(...): def _view(request): ...; return _view`: the one nested function every `return` gives. */
function returnedNestedFunction({ module, definition }: ViewFunction): ViewFunction | undefined {
  const returned = module.facts.returns.filter((statement) => statement.scope === definition.bodyScope).map((statement) => statement.value);
  const [first] = returned;
  if (first?.kind !== 'name' || returned.some((value) => value?.kind !== 'name' || value.id !== first.id)) return undefined;
  const nested = module.facts.definitions.find((candidate) => candidate.scope === definition.bodyScope && candidate.kind === 'function' && candidate.name === first.id);
  return nested ? { module, definition: nested } : undefined;
}

/**
 * A view that answers every request with an error: it returns one fixed Pyramid error
 * (\`return HTTPGone()\`), or it never returns (its body ends in a `raise`, no
 * `return` in it), builds no success or redirect answer, and writes nothing outside itself (it binds
 * local names and annotates its request, `request.errors.add(...)`, and calls no writing method on
 * anything else). Kinto's fallback view, which only says why no other view matched (405, 406, 415),
 * is one: a forged request to it changes nothing.
 */
export function answersOnlyWithError(project: Project, view: ViewFunction): boolean {
  return returnsFixedError(project, view) || alwaysRaisesError(project, view);
}

/** \`return HTTPGone()\` (or \`HTTPNotFound("moved")\`), and nothing else: the same error for every request. */
function returnsFixedError(project: Project, { module, definition }: ViewFunction): boolean {
  if (definition.kind !== 'function' || !definition.bodyStatements.every((statement) => statement === 'return_statement' || statement === 'expression_statement')) return false;
  const returns = module.facts.returns.filter((statement) => statement.scope === definition.bodyScope);
  const calls = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope);
  const answer = returns[0]?.value;
  if (returns.length !== 1 || calls.length !== 1 || answer?.kind !== 'call' || calls[0]?.call.id !== answer.id) return false;
  const built = project.resolve(module, answer.callee, definition.bodyScope) ?? '';
  return HTTP_EXCEPTION.test(built) && !NON_ERROR_ANSWERS.test(built) && answer.args.every((argument) => !argument.unpack && isLiteral(argument.value));
}

const HTTP_EXCEPTION = /^pyramid\.httpexceptions\.HTTP\w+$/;

function isLiteral(expr: Expr): boolean {
  return expr.kind === 'string' || expr.kind === 'number' || expr.kind === 'constant';
}

function alwaysRaisesError(project: Project, { module, definition }: ViewFunction): boolean {
  if (definition.kind !== 'function' || definition.bodyStatements.at(-1) !== 'raise_statement') return false;
  const inBody = <T extends { scope: number }>(items: readonly T[]) => items.filter((item) => item.scope === definition.bodyScope);
  if (inBody(module.facts.returns).length > 0 || inBody(module.facts.deletions).length > 0) return false;
  const locals = new Set(inBody(module.facts.assignments).flatMap(({ target }) => namesBound(target)));
  const request = definition.parameters[0]?.name;
  const ownsValue = (expr: Expr) => locals.has(rootName(expr) ?? '') || (request !== undefined && REQUEST_SCRATCH.has(requestPart(expr, request) ?? ''));
  if (!inBody(module.facts.assignments).every(({ target }) => target.kind === 'name' || target.kind === 'tuple' || ownsValue(target))) return false;
  return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).every(({ call, scope }) => {
    const called = project.resolve(module, call.callee, scope) ?? '';
    if (NON_ERROR_ANSWERS.test(called)) return false;
    if (writingFunction(project, called)) return false;
    const { callee } = call;
    return callee.kind !== 'attribute' || !LIBRARY_WRITING_METHODS.has(callee.attribute) || ownsValue(callee.object);
  });
}

function namesBound(target: Expr): string[] {
  if (target.kind === 'name') return [target.id];
  if (target.kind === 'tuple' || target.kind === 'list') return target.items.flatMap(namesBound);
  return [];
}

/** What a view may write to without changing anything past the request: Cornice's error list, the response being built. */
const REQUEST_SCRATCH = new Set(['errors', 'response']);

/** `acceptable` in `acceptable.extend`, `errors` in `errors["x"].status`. */
function rootName(expr: Expr): string | undefined {
  let root = expr;
  while (root.kind === 'attribute' || root.kind === 'subscript') root = root.object;
  return root.kind === 'name' ? root.id : undefined;
}

/** `errors` in `request.errors.add` or `request.errors.status`. */
function requestPart(expr: Expr, request: string): string | undefined {
  let part = expr;
  while (part.kind === 'attribute' || part.kind === 'subscript') {
    if (part.kind === 'attribute' && part.object.kind === 'name' && part.object.id === request) return part.attribute;
    part = part.object;
  }
  return undefined;
}

/** A function of the scan that may write: not shown to only read, as \`content_type_matches(request, types)\` is. */
function writingFunction(project: Project, name: string): boolean {
  const site = name === '' ? undefined : project.findDefinition(name);
  return site?.definition.kind === 'function' && !onlyReads(project, site);
}
