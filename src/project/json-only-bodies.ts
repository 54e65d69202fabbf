/**
 * Flask's `request.get_json()` (and `request.json`) refuses a body not sent as `application/json`
 * unless told to `force` it. An HTML form on another site can send only form and text content
 * types, and a script on it can send JSON only after a CORS preflight the app must answer: a view
 * whose only input is such a body cannot be posted to by a forged cross-site form.
 */
import type { Definition } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { truthiness } from './values.js';

const GLOBAL_REQUESTS: ReadonlySet<string> = new Set(['flask.request', 'flask.globals.request', 'quart.request', 'quart.globals.request']);

/** Request input a forged form can carry, or a body read without its content type checked. */
const FORM_INPUT = new Set(['form', 'data', 'values', 'files', 'args', 'get_data', 'stream', 'input_stream']);

/** The view reads a JSON body that must be sent as JSON, and no other input a cross-site form can carry. */
export function readsOnlyJsonBody(project: Project, module: SourceModule, view: Definition): boolean {
  const scopes = module.symbols.scopesWithin(view.bodyScope);
  const requestNames = new Set<string>();
  for (const scope of scopes) {
    for (const read of module.facts.scopes[scope]?.reads ?? []) {
      const [name, attribute] = read.split('.');
      if (name !== undefined && attribute !== undefined && isGlobalRequest(project, module, name, scope) && (FORM_INPUT.has(attribute) || attribute === 'get_json' || attribute === 'json')) requestNames.add(`${name}\0${attribute}`);
    }
  }
  const attributes = [...requestNames].map((entry) => entry.split('\0')[1]!);
  if (attributes.some((attribute) => FORM_INPUT.has(attribute))) return false;
  const jsonCalls = module.facts.calls.filter(({ call, scope }) => scopes.has(scope) && call.callee.kind === 'attribute' && call.callee.attribute === 'get_json' && call.callee.object.kind === 'name' && isGlobalRequest(project, module, call.callee.object.id, scope));
  // `get_json(force=True)`, `get_json(True)` and `silent=True` take or skip a body of any content type; `cache=` changes nothing.
  const checksContentType = jsonCalls.every(({ call, scope }) =>
    call.args.every((argument) => argument.name === 'cache' || (!argument.unpack && truthiness(project, { module, scope, expr: argument.value }) === 'falsy')),
  );
  return attributes.length > 0 && checksContentType;
}

function isGlobalRequest(project: Project, module: SourceModule, name: string, scope: number): boolean {
  return GLOBAL_REQUESTS.has(project.resolve(module, { kind: 'name', id: name }, scope) ?? '');
}
