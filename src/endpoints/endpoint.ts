import type { Definition, SourceRange } from '../python/facts.js';
import type { FindingContext } from '../project/context.js';
import type { ScannedFile } from '../project/scanned-file.js';
import type { SourceModule } from '../project/source-module.js';

/** How a browser is authenticated to an endpoint: what a forged cross-site request carries along. */
export type Credentials = 'session cookie' | 'other cookie' | 'HTTP Basic' | 'header token only' | 'none' | 'unknown';

/**
 * `protected`: a check runs; `exempt`: the framework's protection exists and is turned off for it;
 * `unprotected`: nothing checks it; `unknown`: what stands in place of the check cannot be judged by
 * the scan (a middleware from outside it, settings it cannot read), named by the evidence;
 * `writes-on-get`: it accepts only GET, HEAD and OPTIONS but writes to the database, and no CSRF
 * protection checks those methods; `safe`: it accepts only GET, HEAD and OPTIONS, and writes nothing the scan sees.
 */
export type CsrfState = 'protected' | 'exempt' | 'unprotected' | 'writes-on-get' | 'unknown' | 'safe';

/** In the order a reviewer reads them: what needs work first, then what needs a look. */
export const CSRF_STATES: readonly CsrfState[] = ['unprotected', 'exempt', 'writes-on-get', 'unknown', 'protected', 'safe'];

/** `ANY` stands for every method: a Django function view without `require_http_methods`, an aiohttp `route("*")`. */
export const ANY_METHOD = 'ANY';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A place in the scanned code that shows why an endpoint is in its state. */
export interface Place {
  file: ScannedFile;
  line: number;
}

/** What the framework model says protects a view: the check that runs, or where it is turned off. */
export interface Protection {
  state: Exclude<CsrfState, 'safe' | 'writes-on-get'>;
  /** `CsrfViewMiddleware`, `CSRFProtect`, `xsrf_cookies`, `@csrf_exempt`... */
  check: string;
  evidence?: Place;
  /** Why an unprotected or exempt endpoint is no finding, when it is none. */
  reason?: string;
  /** The check is the view's own (`@csrf_protect`, a validated form): a finding about its app does not undo it. */
  inView?: boolean;
}

/** The app an endpoint belongs to, and the place its app-wide findings are reported at. */
export interface AppSite {
  name: string;
  framework: string;
  /** Where the app is made (`Flask(...)`, `Application(...)`) or, for Django, the root URL conf. */
  anchor: Place;
  anchorRange?: SourceRange;
}

/** What an app gives each of its endpoints: its name and place, what protects it, how browsers authenticate to it. */
export interface AppContext {
  site: AppSite;
  protection: Protection;
  credentials: Credentials;
}

/** One view routed by the scanned code, as a framework's route model sees it. */
export interface RoutedEndpoint {
  app: AppSite;
  module: SourceModule;
  /** The `def` or `class` of the view. */
  definition: Definition;
  view: string;
  route: string | null;
  /** Upper-case methods, or `ANY`. */
  methods: string[];
  protection: Protection;
  credentials: Credentials;
  /** Places where the view is exempted outside its own definition (`csrf_exempt(view)` in `urls.py`). */
  exemptedAt?: Place[];
  /** Places whose findings are about the view but leave its state to its protection (`NinjaAPI(csrf=False)`, a no-op since Ninja 1.0). */
  relatedAt?: Place[];
}

/** A finding an endpoint is the subject of. */
export interface EndpointFinding {
  rule: string;
  code: string;
  fingerprint: string;
  path: string;
  line: number;
  suppressed: boolean;
}

/** One row of the inventory: what `csrflint endpoints` prints. */
export interface Endpoint {
  framework: string;
  app: string;
  path: string;
  line: number;
  view: string;
  route: string | null;
  methods: string[];
  credentials: Credentials;
  csrf: CsrfState;
  /** The check that runs, or what turns it off. */
  protection: string | null;
  evidence: { path: string; line: number } | null;
  /** Why an unprotected or exempt endpoint has no finding. */
  reason: string | null;
  context: FindingContext;
  findings: EndpointFinding[];
}

export function acceptsOnlySafeMethods(methods: readonly string[]): boolean {
  return methods.length > 0 && methods.every((method) => SAFE_METHODS.has(method));
}

export function sortedMethods(methods: Iterable<string>): string[] {
  const order = ['ANY', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'];
  const unique = [...new Set([...methods].map((method) => method.toUpperCase()))];
  if (unique.includes(ANY_METHOD)) return [ANY_METHOD];
  return unique.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
}
