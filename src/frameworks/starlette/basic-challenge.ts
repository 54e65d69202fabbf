import type { CallExpr, Expr } from '../../python/facts.js';
import type { Application } from '../../project/applications.js';
import { modulesImportedBy } from '../../project/credentials.js';
import { enclosing } from '../../project/enclosing.js';
import { appMiddlewares } from '../../project/middleware.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { dereference, stringValue, truthiness } from '../../project/values.js';
import { TOKEN_NAME } from '../../project/views.js';

const HTTP_BASIC = new Set(['fastapi.security.HTTPBasic', 'fastapi.security.http.HTTPBasic']);
const DEPENDENCY_MARKERS = new Set(['fastapi.Depends', 'fastapi.Security', 'fastapi.params.Depends', 'fastapi.params.Security', 'fastapi.param_functions.Depends', 'fastapi.param_functions.Security']);
const BASIC_SCHEME = /^basic\b/i;

/** Where a project asks the browser for an HTTP Basic password, which the browser then caches and sends by itself. */
export interface BasicChallenge {
  module: SourceModule;
  line: number;
  /** What asks, for a hint. */
  what: string;
}

/**
 * The first place in an app's own code that answers 401 with `WWW-Authenticate: Basic`: a header
 * mapping written out (`HTTPException(401, headers={"WWW-Authenticate": "Basic"})`, a middleware's
 * `Response`), or a dependency on FastAPI's `HTTPBasic()` left to raise its own error. The app's own
 * code is the module that creates it, the scanned modules it imports, and those that define its
 * middleware: a challenge elsewhere in the project guards another app (a dev preview server, an
 * example beside the real server), not this one. A challenge in a view named for a token
 * (`def token_login(creds = Depends(HTTPBasic()))`) is left out: it trades a password for a header
 * token, and the script that calls it caches nothing.
 */
export function basicChallenge(project: Project, app: Application): BasicChallenge | undefined {
  for (const module of appOwnModules(project, app)) {
    for (const { call, scope } of module.facts.calls) {
      const written = call.args.some((argument) => (argument.value.kind === 'dict' || argument.name === 'headers') && isBasicChallengeHeader(project, { module, scope, expr: argument.value }));
      const found = written ? { module, line: call.range.line, what: '`WWW-Authenticate: Basic` in a response' } : challengingDependency(project, module, call, scope);
      if (found && !isTokenView(module, call)) return found;
    }
  }
  return undefined;
}

/** The app's module, the scanned modules it imports, and the modules of its middleware classes. */
function appOwnModules(project: Project, app: Application): Set<SourceModule> {
  const middlewareModules = appMiddlewares(project, app).flatMap((entry) => project.findDefinition(entry.name)?.module ?? []);
  return new Set([app.module, ...modulesImportedBy(project, app.module), ...middlewareModules]);
}

/** `{"WWW-Authenticate": "Basic realm=..."}`, directly or through a name. */
function isBasicChallengeHeader(project: Project, site: { module: SourceModule; scope: number; expr: Expr }): boolean {
  const value = dereference(project, site);
  if (value.expr.kind !== 'dict') return false;
  return value.expr.entries.some(({ key, value: entry }) => {
    const header = key && stringValue(project, { ...value, expr: key });
    const scheme = header?.toLowerCase() === 'www-authenticate' ? stringValue(project, { ...value, expr: entry }) : undefined;
    return scheme !== undefined && BASIC_SCHEME.test(scheme);
  });
}

/** `Depends(security)` where `security = HTTPBasic()` raises its own 401 (`auto_error` left on). */
function challengingDependency(project: Project, module: SourceModule, call: CallExpr, scope: number): BasicChallenge | undefined {
  if (!DEPENDENCY_MARKERS.has(project.resolve(module, call.callee, scope) ?? '')) return undefined;
  const [dependency] = call.args;
  if (!dependency || dependency.name || dependency.unpack) return undefined;
  const created = dependency.value.kind === 'call' ? [{ module, scope, expr: dependency.value }] : project.assignmentsOf(module, dependency.value, scope).flatMap(({ module: owner, assignment }) => (assignment.operator === '=' && assignment.value ? [{ module: owner, scope: assignment.scope, expr: assignment.value }] : []));
  for (const site of created) {
    if (site.expr.kind !== 'call' || !HTTP_BASIC.has(project.resolve(site.module, site.expr.callee, site.scope) ?? '')) continue;
    const autoError = site.expr.args.find((argument) => argument.name === 'auto_error');
    if (autoError && truthiness(project, { ...site, expr: autoError.value }) !== 'truthy') continue;
    return { module: site.module, line: site.expr.range.line, what: '`HTTPBasic()` depended on' };
  }
  return undefined;
}

/** A call in a function named for a token, its signature included (`def token_login(creds = Depends(security))`). */
function isTokenView(module: SourceModule, call: CallExpr): boolean {
  const functions = enclosing(module.facts.definitions, call.range).filter((definition) => definition.kind === 'function');
  const innermost = functions[functions.length - 1];
  return innermost !== undefined && TOKEN_NAME.test(innermost.name);
}
