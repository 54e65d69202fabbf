import type { Finding } from '../finding.js';
import { contextOfFinding, type FindingContext } from '../project/context.js';
import type { Project } from '../project/project.js';
import type { SourceModule } from '../project/source-module.js';
import type { Definition } from '../python/facts.js';
import { describeExpr } from '../python/describe.js';
import { firstStoreWrite, type StoreWrite } from '../project/store-writes.js';
import { djangoEndpoints } from '../frameworks/django/endpoints.js';
import { acceptsOnlySafeMethods, CSRF_STATES, type Endpoint, type EndpointFinding, type Place, type RoutedEndpoint } from './endpoint.js';
import { flaskEndpoints } from '../frameworks/flask/endpoints.js';
import { litestarEndpoints } from '../frameworks/litestar/endpoints.js';
import { pyramidEndpoints } from '../frameworks/pyramid/endpoints.js';
import { aiohttpEndpoints } from '../frameworks/aiohttp/endpoints.js';
import { starletteEndpoints } from '../frameworks/starlette/endpoints.js';
import { tornadoEndpoints } from '../frameworks/tornado/endpoints.js';

/** Each framework's route model: how its routes are registered and what protects them. */
const ROUTE_MODELS: ReadonlyArray<(project: Project) => RoutedEndpoint[]> = [djangoEndpoints, flaskEndpoints, pyramidEndpoints, tornadoEndpoints, starletteEndpoints, litestarEndpoints, aiohttpEndpoints];

/** Rules whose findings turn protection off for the view they sit on (or in). */
const EXEMPTING_RULES = new Set([
  'django-csrf-exempt',
  'django-csrf-checks-bypassed',
  'flask-csrf-exempt',
  'litestar-csrf-exempt',
  'aiohttp-csrf-exempt',
  'pyramid-csrf-disabled',
  'tornado-xsrf-disabled',
  'ninja-csrf-disabled',
]);

export interface Inventory {
  endpoints: Endpoint[];
  /** Findings about a view (an exemption) that no listed endpoint routes to: the view is not routed in the scanned code. */
  unroutedFindings: EndpointFinding[];
}

/**
 * The endpoints of every framework, each with the findings about it. A finding that exempts the
 * view makes it `exempt`; one at its app's creation or its settings makes it `unprotected`: the
 * inventory says what the findings say, and the route model fills in the rest.
 */
export function buildInventory(project: Project, findings: readonly Finding[], guardedHidden: readonly Finding[] = []): Inventory {
  const routed = ROUTE_MODELS.flatMap((model) => model(project));
  const endpoints = routed.map((endpoint) => inventoryRow(project, endpoint, findings, guardedHidden));
  const linked = new Set(endpoints.flatMap((endpoint) => endpoint.findings.map((finding) => finding.fingerprint)));
  const unroutedFindings = findings
    .filter((finding) => EXEMPTING_RULES.has(finding.rule) && finding.context === 'production' && !linked.has(finding.fingerprint))
    .map(endpointFinding);
  return { endpoints: uniqueEndpoints(endpoints).sort(compareEndpoints), unroutedFindings };
}

function inventoryRow(project: Project, endpoint: RoutedEndpoint, findings: readonly Finding[], guardedHidden: readonly Finding[]): Endpoint {
  const { module, definition, protection, app } = endpoint;
  const firstLine = Math.min(definition.range.line, ...definition.decorators.map((decorator) => decorator.range.line));
  const onView = (finding: Finding) => finding.path === module.path && EXEMPTING_RULES.has(finding.rule) && ((finding.line >= firstLine && finding.line <= definition.range.endLine) || isOnOwnerClass(module, definition, finding.line));
  const atPlace = (place: Place | undefined) => (finding: Finding) => place !== undefined && finding.path === place.file.path && finding.line === place.line;
  const isExemption = (finding: Finding) => onView(finding) || (EXEMPTING_RULES.has(finding.rule) && (endpoint.exemptedAt ?? []).some((place) => atPlace(place)(finding)));
  const exemptions = findings.filter(isExemption);
  // A guarded exemption left out of the findings still exempts the view: the row names it and says why it has no finding.
  const guardedExemption = guardedHidden.find(isExemption);
  const related = findings.filter((finding) => !exemptions.includes(finding) && (endpoint.relatedAt ?? []).some((place) => atPlace(place)(finding)));
  const appFindings = findings.filter((finding) => !exemptions.includes(finding) && !related.includes(finding) && (atPlace(app.anchor)(finding) || atPlace(protection.evidence)(finding)));
  const ownFindings = [...exemptions, ...appFindings, ...related];
  const exemption = exemptions[0] ?? guardedExemption;
  const exemptionCounts = exemption !== undefined && !protection.check.startsWith('DRF');
  let state = protection.state;
  let check = protection.check;
  let evidence = protection.evidence ? { path: protection.evidence.file.path, line: protection.evidence.line } : null;
  if (exemptionCounts) {
    state = 'exempt';
    check = exemption.message.match(/`([^`]+)`/)?.[1] ?? exemption.rule;
    evidence = { path: exemption.path, line: exemption.line };
  } else if (appFindings.length > 0 && state === 'protected' && !protection.inView) {
    state = 'unprotected';
  }
  const writeOnGet = writeOnSafeMethod(project, endpoint);
  if (writeOnGet) {
    check = 'none on GET: CSRF tokens are checked on unsafe methods only';
    evidence = { path: writeOnGet.module.path, line: writeOnGet.call.range.line };
  }
  const csrf = writeOnGet ? 'writes-on-get' : acceptsOnlySafeMethods(endpoint.methods) ? 'safe' : state;
  const needsReason = (csrf === 'unprotected' || csrf === 'exempt') && ownFindings.length === 0;
  const reason = writeOnGet ? writesOnGetReason(writeOnGet) : needsReason ? (guardedReason(exemption) ?? protection.reason ?? null) : null;
  return {
    framework: app.framework,
    app: app.name,
    path: module.path,
    line: definition.range.line,
    view: endpoint.view,
    route: endpoint.route,
    methods: endpoint.methods,
    credentials: endpoint.credentials,
    csrf,
    protection: check,
    evidence,
    reason,
    context: worstContext(contextOfFinding(project, module, definition.range), app.anchor.file.context),
    findings: ownFindings.map(endpointFinding),
  };
}

/** The sure database write of a view that accepts only safe methods: in its function, or in a class view's `get`. */
function writeOnSafeMethod(project: Project, endpoint: RoutedEndpoint): StoreWrite | undefined {
  const { module, definition } = endpoint;
  // A view the scanned code routes but does not define (Django's auth views) has no body here.
  if (!acceptsOnlySafeMethods(endpoint.methods) || definition.bodyScope === definition.scope) return undefined;
  if (definition.kind === 'function') return firstStoreWrite(project, module, definition);
  const handler = project.findMethod(module.symbols.definitionName(definition), 'get');
  return handler && firstStoreWrite(project, handler.module, handler.definition);
}

function writesOnGetReason(write: StoreWrite): string {
  return `writes on GET (\`${describeExpr(write.call.callee)}()\` at ${write.module.path}:${write.call.range.line}): a link or an image on any site runs it with the user's cookies, and no CSRF protection checks GET`;
}

/**
 * A finding on the class a method-view belongs to, outside every method of it: `opt = {"exclude_from_csrf": True}`
 * of a Litestar controller, a decorator on a `MethodView`, exempts each of its views.
 */
function isOnOwnerClass(module: SourceModule, view: Definition, line: number): boolean {
  const owner = module.symbols.definitionOfScope(view.scope);
  if (owner?.kind !== 'class') return false;
  const start = Math.min(owner.range.line, ...owner.decorators.map((decorator) => decorator.range.line));
  if (line < start || line > owner.range.endLine) return false;
  // A line in another method, or in a sibling class (a CRUDL's other view), is not on the class itself.
  return !module.facts.definitions.some((member) => member.scope === owner.bodyScope && line >= Math.min(member.range.line, ...member.decorators.map((decorator) => decorator.range.line)) && line <= member.range.endLine);
}

/** Why an exempt endpoint has no finding when its exemption is judged guarded: the kind of check (the finding's hint, shown on request, explains it). */
function guardedReason(exemption: Finding | undefined): string | undefined {
  if (exemption?.guard === undefined) return undefined;
  return `exemption judged guarded (${exemption.guard}): --report-guarded-exemptions reports it`;
}

function endpointFinding(finding: Finding): EndpointFinding {
  const { rule, code, fingerprint, path, line, suppressed } = finding;
  return { rule, code, fingerprint, path, line, suppressed };
}

const CONTEXT_ORDER: readonly FindingContext[] = ['test', 'development', 'production'];

/** An endpoint of a test app is test code, whatever file its view is in. */
function worstContext(first: FindingContext, second: FindingContext): FindingContext {
  return CONTEXT_ORDER.indexOf(first) <= CONTEXT_ORDER.indexOf(second) ? first : second;
}

function uniqueEndpoints(endpoints: Endpoint[]): Endpoint[] {
  const seen = new Set<string>();
  return endpoints.filter((endpoint) => {
    const key = `${endpoint.app}\0${endpoint.path}\0${endpoint.line}\0${endpoint.route ?? ''}\0${endpoint.methods.join(',')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** By app, unprotected and exempt first, then by file and line. */
function compareEndpoints(a: Endpoint, b: Endpoint): number {
  return (
    a.framework.localeCompare(b.framework) ||
    a.app.localeCompare(b.app) ||
    CSRF_STATES.indexOf(a.csrf) - CSRF_STATES.indexOf(b.csrf) ||
    a.path.localeCompare(b.path) ||
    a.line - b.line ||
    (a.route ?? '').localeCompare(b.route ?? '')
  );
}

/** Unprotected or exempt, in production code, with neither a finding nor a stated reason: where inventory and findings disagree. */
export function isUnexplained(endpoint: Endpoint): boolean {
  return (endpoint.csrf === 'unprotected' || endpoint.csrf === 'exempt') && endpoint.context === 'production' && endpoint.findings.length === 0 && endpoint.reason === null;
}
