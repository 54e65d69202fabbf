/**
 * Flask's `request.get_json()` (and `request.json`) refuses a body not sent as `application/json`
 * unless told to `force` it. An HTML form on another site can send only form and text content
 * types, and a script on it can send JSON only after a CORS preflight the app must answer: a view
 * whose only input is such a body cannot be posted to by a forged cross-site form.
 *
 * `get_json(silent=True)` answers such a body with `None` instead of refusing it: the view goes on
 * (`data = request.get_json(silent=True) or {}`) and may act on nothing but the cookie, so it is no
 * guard. One judgement for the routes (`views.ts`) and the exemptions (`flask-csrf-exempt`).
 */
import type { CallExpr, Definition, Expr } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import { reachedCalls } from './request-credential-checks.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { truthiness } from './values.js';

const GLOBAL_REQUESTS: ReadonlySet<string> = new Set(['flask.request', 'flask.globals.request', 'quart.request', 'quart.globals.request']);

/** Request input a forged form can carry, or a body read without its content type checked. */
const FORM_INPUT = new Set(['form', 'data', 'values', 'files', 'args', 'get_data', 'stream', 'input_stream']);

const JSON_INPUT = new Set(['get_json', 'json']);

/** Flask-RESTX's (and Flask-RESTPlus's) \`ns.payload\` of a \`Namespace\` or \`Api\`: \`request.get_json()\`, content type checked. */
const RESTX_PAYLOAD = 'payload';
const RESTX_ROUTERS: ReadonlySet<string> = new Set(['flask_restx.Namespace', 'flask_restx.namespace.Namespace', 'flask_restx.Api', 'flask_restplus.Namespace', 'flask_restplus.namespace.Namespace', 'flask_restplus.Api']);

/**
 * The view reads a JSON body that must be sent as JSON, and no other input a cross-site form can
 * carry. A view that reads no request input itself is judged by the project functions it calls a
 * few calls deep (Pritunl's \`utils.json_filter_str("username")\`, which reads \`flask.request.json[key]\`).
 */
export function readsOnlyJsonBody(project: Project, module: SourceModule, view: Definition): boolean {
  const own = bodyInputs(project, module, view);
  if (own !== 'none') return own === 'json-only';
  const reached = [...reachedCalls(project, { module, definition: view })].filter(({ call, site }) => call === undefined && site.definition !== view);
  const verdicts = reached.map(({ site }) => bodyInputs(project, site.module, site.definition));
  return verdicts.includes('json-only') && verdicts.every((verdict) => verdict !== 'other');
}

/** What a function reads of the request: nothing, only a JSON body that must be sent as JSON, or other input. */
function bodyInputs(project: Project, module: SourceModule, definition: Definition): 'none' | 'json-only' | 'other' {
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  const inputs = requestInputs(project, module, scopes);
  if (inputs.size === 0) return 'none';
  if ([...inputs].some((input) => FORM_INPUT.has(input))) return 'other';
  const jsonCalls = module.facts.calls.filter(({ call, scope }) => scopes.has(scope) && isRequestAttribute(project, module, call.callee, scope, 'get_json'));
  // `get_json(force=True)`, `get_json(True)` and `silent=True` take or skip a body of any content type; `cache=` changes nothing.
  return jsonCalls.every(({ call, scope }) => checksContentType(project, module, call, scope)) ? 'json-only' : 'other';
}

function checksContentType(project: Project, module: SourceModule, call: CallExpr, scope: number): boolean {
  return call.args.every((argument) => argument.name === 'cache' || (!argument.unpack && truthiness(project, { module, scope, expr: argument.value }) === 'falsy'));
}

/**
 * The attributes of Flask's or Quart's `request` the scopes read (`form`, `get_json`): through the
 * imported name (`request.form`, from the scopes' reads) or through the module (`flask.request.form`,
 * in the calls, assignments and returns of the scopes).
 */
function requestInputs(project: Project, module: SourceModule, scopes: ReadonlySet<number>): Set<string> {
  const inputs = new Set<string>();
  for (const scope of scopes) {
    for (const read of module.facts.scopes[scope]?.reads ?? []) {
      const [name, attribute] = read.split('.');
      if (name === undefined || attribute === undefined || !(FORM_INPUT.has(attribute) || JSON_INPUT.has(attribute))) continue;
      if (isGlobalRequest(project, module, { kind: 'name', id: name }, scope)) inputs.add(attribute);
    }
    for (const read of module.facts.scopes[scope]?.reads ?? []) {
      const [name, attribute, ...rest] = read.split('.');
      if (name !== undefined && attribute === RESTX_PAYLOAD && rest.length === 0 && project.isInstanceOf(module, { kind: 'name', id: name }, scope, RESTX_ROUTERS)) inputs.add('json');
    }
  }
  const statements = [
    ...module.facts.calls.map(({ call, scope }) => ({ expr: call as Expr, scope })),
    ...module.facts.assignments.flatMap(({ value, scope }) => (value ? [{ expr: value, scope }] : [])),
    ...module.facts.returns.flatMap(({ value, scope }) => (value ? [{ expr: value, scope }] : [])),
  ];
  for (const { expr, scope } of statements) {
    if (!scopes.has(scope)) continue;
    // Calls inside are facts of their own: each part is walked once.
    for (const part of walkExpr(expr, (inner) => inner === expr || inner.kind !== 'call')) {
      if (part.kind === 'attribute' && part.object.kind === 'attribute' && isModuleRequestInput(project, module, part, scope)) inputs.add(part.attribute);
    }
  }
  return inputs;
}

/** `flask.request.form`: an input read through the module rather than the imported name. */
function isModuleRequestInput(project: Project, module: SourceModule, part: Extract<Expr, { kind: 'attribute' }>, scope: number): boolean {
  return (FORM_INPUT.has(part.attribute) || JSON_INPUT.has(part.attribute)) && isGlobalRequest(project, module, part.object, scope);
}

function isRequestAttribute(project: Project, module: SourceModule, expr: Expr, scope: number, attribute: string): boolean {
  return expr.kind === 'attribute' && expr.attribute === attribute && isGlobalRequest(project, module, expr.object, scope);
}

function isGlobalRequest(project: Project, module: SourceModule, expr: Expr, scope: number): boolean {
  return GLOBAL_REQUESTS.has(project.resolve(module, expr, scope) ?? '');
}
