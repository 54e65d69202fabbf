/**
 * OAuth callbacks completed with requests-oauthlib: an `OAuth2Session` made with the `state` the
 * sign-in stored, whose `fetch_token(authorization_response=...)` raises oauthlib's
 * `MismatchingStateError` when the callback's `state` is another. A forged callback cannot know the
 * state this browser's sign-in started with. Django projects often complete the sign-in in an
 * authentication backend the callback reaches through `authenticate(request, sso=True)`
 * (archesproject/arches' `ExternalOauthAuthenticationBackend`).
 */
import type { CallExpr, Definition } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

const OAUTH2_SESSIONS = new Set(['requests_oauthlib.OAuth2Session', 'requests_oauthlib.oauth2_session.OAuth2Session']);
const DJANGO_AUTHENTICATE = 'django.contrib.auth.authenticate';
const DJANGO_AUTH_BACKENDS = new Set(['django.contrib.auth.backends.BaseBackend', 'django.contrib.auth.backends.ModelBackend']);
/** What every Django backend's `authenticate` may take: a backend that names another keyword is the one a call with it reaches. */
const COMMON_CREDENTIALS = new Set(['request', 'username', 'password']);

/** The state-checking completion the view runs, itself or in the Django authentication backend it calls, described for a hint. */
export function oauthStateCheck(project: Project, module: SourceModule, view: Definition): string | undefined {
  if (completesWithState(project, module, view)) return STATE_CHECK;
  for (const { call, scope } of module.symbols.itemsWithin(module.facts.calls, view.bodyScope)) {
    if (project.resolve(module, call.callee, scope) !== DJANGO_AUTHENTICATE) continue;
    const backend = backendsTaking(project, call).find((site) => completesWithState(project, site.module, site.definition));
    if (backend) return `${backend.className}.authenticate: ${STATE_CHECK}`;
  }
  return undefined;
}

const STATE_CHECK = 'OAuth2Session(state=...).fetch_token(authorization_response=...)';

/** `OAuth2Session(..., state=...)` and `.fetch_token(..., authorization_response=...)`, both in the function. */
function completesWithState(project: Project, module: SourceModule, definition: Definition): boolean {
  const calls = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope);
  const sessionWithState = calls.some(({ call, scope }) => hasKeyword(call, 'state') && OAUTH2_SESSIONS.has(project.resolve(module, call.callee, scope) ?? ''));
  const fetchChecked = calls.some(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === 'fetch_token' && hasKeyword(call, 'authorization_response'));
  return sessionWithState && fetchChecked;
}

function hasKeyword(call: CallExpr, name: string): boolean {
  return call.args.some((argument) => argument.name === name);
}

/** The project's authentication backends whose `authenticate` names a keyword the call passes beyond the common credentials. */
function backendsTaking(project: Project, call: CallExpr): Array<{ module: SourceModule; definition: Definition; className: string }> {
  const keywords = call.args.flatMap((argument) => (argument.name !== undefined && !COMMON_CREDENTIALS.has(argument.name) ? [argument.name] : []));
  if (keywords.length === 0) return [];
  return [...project.classFamily(DJANGO_AUTH_BACKENDS)].flatMap((className) => {
    const site = project.findDefinition(`${className}.authenticate`);
    if (site?.definition.kind !== 'function') return [];
    const takes = site.definition.parameters.some((parameter) => keywords.includes(parameter.name));
    return takes ? [{ ...site, className: className.slice(className.lastIndexOf('.') + 1) }] : [];
  });
}
