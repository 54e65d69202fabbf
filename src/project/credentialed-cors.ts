import { describeExpr } from '../python/describe.js';
import type { Assignment, CallExpr, Expr } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { truthiness } from './values.js';

/**
 * Where a project lets scripts on other origins send requests with the browser's cookies: a CORS
 * setting that allows credentials. With it, a body type or method a form cannot send (JSON,
 * `DELETE`) no longer keeps a cross-site request out, since the server answers its preflight.
 */
export interface CredentialedCors {
  /** The setting or call as written, e.g. `CORS_ALLOW_CREDENTIALS = True`. */
  setting: string;
  path: string;
  line: number;
}

/** django-cors-headers: credentials are sent only with this on. */
const DJANGO_CREDENTIALS = 'CORS_ALLOW_CREDENTIALS';
/** django-cors-headers settings that name the origins allowed, old spellings included. */
const DJANGO_ORIGINS = ['CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL', 'CORS_ALLOWED_ORIGINS', 'CORS_ORIGIN_WHITELIST', 'CORS_ALLOWED_ORIGIN_REGEXES', 'CORS_ORIGIN_REGEX_WHITELIST'];
/** flask_cors's configuration key for `supports_credentials`. */
const FLASK_CREDENTIALS = 'CORS_SUPPORTS_CREDENTIALS';
/** Extensions and decorators that answer CORS preflights, by the keyword that lets credentials through. */
const CORS_FACTORIES = new Map([
  ['flask_cors.CORS', 'supports_credentials'],
  ['flask_cors.cross_origin', 'supports_credentials'],
  ['quart_cors.cors', 'allow_credentials'],
  ['quart_cors.route_cors', 'allow_credentials'],
]);
/** Starlette's middleware, also re-exported by FastAPI, added with `allow_credentials=True`. */
const CORS_MIDDLEWARE = new Set(['starlette.middleware.cors.CORSMiddleware', 'fastapi.middleware.cors.CORSMiddleware']);

/** Words a file must hold to configure credentialed CORS: the rules that ask read those files too. */
export const CREDENTIALED_CORS_KEYWORDS = [DJANGO_CREDENTIALS, FLASK_CREDENTIALS, 'supports_credentials', 'allow_credentials'];

const found = new WeakMap<Project, Map<string, CredentialedCors>>();

/**
 * The first CORS setting that allows credentials from other origins in the project root `module`
 * belongs to (a scan of several projects keeps each one's settings to itself), if any.
 */
export function credentialedCors(project: Project, module: SourceModule): CredentialedCors | undefined {
  // Any module may hold the setting: an answer kept across an edit must be asked again after every edit.
  project.noteEveryModuleRead();
  let byRoot = found.get(project);
  if (!byRoot) {
    byRoot = credentialedCorsByRoot(project);
    found.set(project, byRoot);
  }
  return byRoot.get(module.projectRoot);
}

function credentialedCorsByRoot(project: Project): Map<string, CredentialedCors> {
  const byRoot = new Map<string, CredentialedCors>();
  for (const module of project.modules) {
    if (byRoot.has(module.projectRoot)) continue;
    const setting = djangoCredentialedCors(project, module) ?? flaskCredentialsSetting(project, module) ?? credentialedCorsCall(project, module);
    if (setting) byRoot.set(module.projectRoot, setting);
  }
  return byRoot;
}

/** `CORS_ALLOW_CREDENTIALS = True` with some origin allowed (`CORS_ALLOWED_ORIGINS = [...]`, `CORS_ALLOW_ALL_ORIGINS = True`) in the same module. */
function djangoCredentialedCors(project: Project, module: SourceModule): CredentialedCors | undefined {
  const credentials = settingAssignment(project, module, DJANGO_CREDENTIALS);
  if (!credentials) return undefined;
  const origins = DJANGO_ORIGINS.map((name) => settingAssignment(project, module, name)).find((assignment) => assignment !== undefined);
  if (!origins) return undefined;
  return { setting: `${DJANGO_CREDENTIALS} = ${describeExpr(credentials.value!)}`, path: module.path, line: credentials.range.line };
}

/** `CORS_SUPPORTS_CREDENTIALS = True`, as a setting or `app.config["CORS_SUPPORTS_CREDENTIALS"] = True`. */
function flaskCredentialsSetting(project: Project, module: SourceModule): CredentialedCors | undefined {
  const assignment = settingAssignment(project, module, FLASK_CREDENTIALS);
  return assignment ? { setting: `${FLASK_CREDENTIALS} = ${describeExpr(assignment.value!)}`, path: module.path, line: assignment.range.line } : undefined;
}

/** An assignment of a name or config key whose value may be true: a value that cannot be read counts. */
function settingAssignment(project: Project, module: SourceModule, name: string): Assignment | undefined {
  return module.facts.assignments.find(({ target, value, scope }) => {
    if (!value || !namesSetting(target, name)) return false;
    return truthiness(project, { module, scope, expr: value }) !== 'falsy';
  });
}

function namesSetting(target: Expr, name: string): boolean {
  if (target.kind === 'name') return target.id === name;
  return target.kind === 'subscript' && target.index.kind === 'string' && target.index.value === name;
}

/** `CORS(app, supports_credentials=True)`, `app.add_middleware(CORSMiddleware, allow_credentials=True)`. */
function credentialedCorsCall(project: Project, module: SourceModule): CredentialedCors | undefined {
  for (const { call, scope } of module.facts.calls) {
    const keyword = credentialsKeyword(project, module, call, scope);
    const argument = keyword === undefined ? undefined : call.args.find((candidate) => candidate.name === keyword);
    if (!argument || truthiness(project, { module, scope, expr: argument.value }) === 'falsy') continue;
    return { setting: `${describeExpr(call.callee)}(..., ${keyword}=${describeExpr(argument.value)})`, path: module.path, line: call.range.line };
  }
  return undefined;
}

/** The keyword that lets credentials through, when the call sets up CORS. */
function credentialsKeyword(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  if (!call.args.some(({ name }) => name === 'supports_credentials' || name === 'allow_credentials')) return undefined;
  const factory = CORS_FACTORIES.get(project.resolve(module, call.callee, scope) ?? '');
  if (factory) return factory;
  const middleware = call.args.some(({ name, value }) => name === undefined && CORS_MIDDLEWARE.has(project.resolve(module, value, scope) ?? ''));
  return middleware ? 'allow_credentials' : undefined;
}
