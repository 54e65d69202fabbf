import { describeExpr } from '../../python/describe.js';
import type { CallExpr, Definition, Expr } from '../../python/facts.js';
import { MODULE_SCOPE } from '../../python/facts.js';
import type { Place } from '../../endpoints/endpoint.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { dereference, mappingEntries, type ValueSite } from '../../project/values.js';
import { authenticationClassOf, BASIC_AUTHENTICATION } from './authentication-lists.js';

/** What a DRF authentication class takes from a request: DRF checks CSRF in `SessionAuthentication` alone. */
export type DrfCredential = 'session' | 'basic' | 'header-token' | 'unknown';

const SESSION_AUTHENTICATION = 'rest_framework.authentication.SessionAuthentication';

/** Library classes that read a token from a header only (`Authorization: Token ...`, `Bearer ...`). */
const HEADER_TOKEN_CLASSES = new Set([
  'rest_framework.authentication.TokenAuthentication',
  'rest_framework_simplejwt.authentication.JWTAuthentication',
  'rest_framework_simplejwt.authentication.JWTStatelessUserAuthentication',
  'rest_framework_simplejwt.authentication.JWTTokenUserAuthentication',
  'rest_framework_jwt.authentication.JSONWebTokenAuthentication',
  'knox.auth.TokenAuthentication',
  'oauth2_provider.contrib.rest_framework.OAuth2Authentication',
  'oauth2_provider.contrib.rest_framework.authentication.OAuth2Authentication',
]);

/** Subclasses of a header-token class that read a cookie as well (dj-rest-auth's JWT cookie): judged by nothing csrflint knows. */
const COOKIE_TOKEN_CLASSES = new Set(['dj_rest_auth.jwt_auth.JWTCookieAuthentication']);

/** DRF's own default, when neither the settings nor the view names the classes. */
export const DRF_DEFAULT_AUTHENTICATION = [SESSION_AUTHENTICATION, BASIC_AUTHENTICATION];

/** The authentication classes a view or the settings list, and where. */
export interface AuthenticationClasses {
  /** Qualified class names; `?` for an item the scan cannot read. */
  classes: string[];
  /** Each item the scan cannot read, as the code writes it. */
  unread?: string[];
  at: Place | undefined;
}

/** DRF's settings object: `api_settings.DEFAULT_AUTHENTICATION_CLASSES` is the project's setting, else DRF's default. */
const API_SETTINGS_AUTHENTICATION = 'rest_framework.settings.api_settings.DEFAULT_AUTHENTICATION_CLASSES';

export function drfCredentialOf(project: Project, className: string): DrfCredential {
  if (className === '?' || project.isSubclassOf(className, COOKIE_TOKEN_CLASSES)) return 'unknown';
  if (project.isSubclassOf(className, new Set([SESSION_AUTHENTICATION]))) return 'session';
  if (project.isSubclassOf(className, new Set([BASIC_AUTHENTICATION]))) return 'basic';
  return project.isSubclassOf(className, HEADER_TOKEN_CLASSES) ? 'header-token' : 'unknown';
}

/** `authentication_classes = [...]` of a view class or a scanned base; `undefined` when not set. */
export function viewClassAuthentication(project: Project, className: string): AuthenticationClasses | undefined {
  let found: AuthenticationClasses | undefined;
  project.inheritsFrom(className, (name) => {
    const [assigned] = project.assignmentsTo(`${name}.authentication_classes`);
    if (!assigned?.assignment.value) return false;
    found = authenticationList(project, { module: assigned.module, scope: assigned.assignment.scope, expr: assigned.assignment.value }, assigned.assignment.range.line);
    return true;
  });
  return found;
}

/** `@authentication_classes([...])` on a function view. */
export function decoratorAuthentication(project: Project, module: SourceModule, view: Definition): AuthenticationClasses | undefined {
  for (const { expression, range } of view.decorators) {
    if (expression.kind !== 'call' || project.resolve(module, expression.callee, view.scope) !== 'rest_framework.decorators.authentication_classes') continue;
    const [classes] = expression.args;
    return classes ? authenticationList(project, { module, scope: view.scope, expr: classes.value }, range.line) : undefined;
  }
  return undefined;
}

/** \`authentication_classes=[...]\` given to a call (\`@action(...)\`, \`as_view(...)\`); \`undefined\` when not given. */
export function keywordAuthentication(project: Project, module: SourceModule, scope: number, call: CallExpr): AuthenticationClasses | undefined {
  const argument = call.args.find((candidate) => candidate.name === 'authentication_classes');
  return argument ? authenticationList(project, { module, scope, expr: argument.value }, argument.range.line) : undefined;
}

/**
 * `REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": [...]}` in a settings module of the project
 * root, or in a settings class (django-configurations), production settings first; `undefined` when
 * none sets it (DRF's default applies).
 */
export function settingsAuthentication(project: Project, projectRoot: string): AuthenticationClasses | undefined {
  const modules = project.modules.filter((module) => module.projectRoot === projectRoot);
  const ordered = [...modules.filter((module) => module.context === 'production'), ...modules.filter((module) => module.context !== 'production')];
  for (const module of ordered) {
    for (const { target, value, scope } of module.facts.assignments) {
      if (!isSettingsScope(module, scope) || target.kind !== 'name' || target.id !== 'REST_FRAMEWORK' || !value) continue;
      const entry = mappingEntries(project, { module, scope, expr: value })?.find(({ key }) => key === 'DEFAULT_AUTHENTICATION_CLASSES');
      if (entry) return authenticationList(project, entry.value, entry.range.line, { inSettings: true });
    }
  }
  return undefined;
}

function authenticationList(project: Project, site: ValueSite, line: number, { inSettings = false } = {}): AuthenticationClasses {
  const unread: string[] = [];
  const classes = listedClasses(project, site, inSettings, unread, 0);
  return { classes, at: { file: site.module, line }, ...(unread.length > 0 ? { unread } : {}) };
}

/** A list is a few concatenations deep at most. */
const MAX_LIST_DEPTH = 4;

/**
 * The classes a list names: written out (with \`*starred\` parts), concatenated with \`+\`, held in a
 * name, or DRF's \`api_settings.DEFAULT_AUTHENTICATION_CLASSES\` (what the project's settings say, else
 * DRF's default; unread in the settings themselves). Each part the scan cannot read is \`?\`, its
 * text noted in \`unread\`.
 */
function listedClasses(project: Project, site: ValueSite, inSettings: boolean, unread: string[], depth: number): string[] {
  const value = dereference(project, site);
  const { expr } = value;
  const parts = (inner: Expr) => listedClasses(project, { ...value, expr: inner }, inSettings, unread, depth + 1);
  if (depth <= MAX_LIST_DEPTH && (expr.kind === 'list' || expr.kind === 'tuple')) {
    return expr.items.flatMap((item) => (item.kind === 'starred' ? parts(item.value) : [authenticationClassOf(project, { ...value, expr: item }) ?? unreadItem(item, unread)]));
  }
  if (depth <= MAX_LIST_DEPTH && expr.kind === 'binary' && expr.operator === '+') return [...parts(expr.left), ...parts(expr.right)];
  if (!inSettings && project.resolve(value.module, expr, value.scope) === API_SETTINGS_AUTHENTICATION) {
    const settings = settingsAuthentication(project, value.module.projectRoot);
    unread.push(...(settings?.unread ?? []));
    return settings?.classes ?? DRF_DEFAULT_AUTHENTICATION;
  }
  return [unreadItem(site.expr, unread)];
}

function unreadItem(expr: Expr, unread: string[]): string {
  unread.push(describeExpr(expr));
  return '?';
}

/** A module's top level, or a class body there. */
function isSettingsScope(module: SourceModule, scope: number): boolean {
  return scope === MODULE_SCOPE || (module.facts.scopes[scope]?.kind === 'class' && module.facts.scopes[scope]?.parent === MODULE_SCOPE);
}
