import { plural } from '../../report/summary.js';
import type { Endpoint } from '../endpoint.js';
import { isUnexplained } from '../inventory.js';

interface Totals {
  endpoints: number;
  stateChanging: number;
  protected: number;
  exempt: number;
  unprotected: number;
  /** Behind a check the scan cannot judge: the evidence names it. */
  unknown: number;
  /** GET-only, but writing to the database: no CSRF protection checks GET. */
  writesOnGet: number;
  safe: number;
  /** Unprotected or exempt production endpoints with neither a finding nor a stated reason. */
  unexplained: number;
}

export function totalsOf(endpoints: readonly Endpoint[]): Totals {
  const count = (state: Endpoint['csrf']) => endpoints.filter((endpoint) => endpoint.csrf === state).length;
  return {
    endpoints: endpoints.length,
    stateChanging: endpoints.length - count('safe'),
    protected: count('protected'),
    exempt: count('exempt'),
    unprotected: count('unprotected'),
    unknown: count('unknown'),
    writesOnGet: count('writes-on-get'),
    safe: count('safe'),
    unexplained: endpoints.filter(isUnexplained).length,
  };
}

/** `12 endpoints, 9 state-changing, 1 exempt, 2 unprotected, 0 unknown`; `1 writing on GET` before the unknown when there is one. */
export function totalsLine(totals: Totals): string {
  const writingOnGet = totals.writesOnGet > 0 ? `${totals.writesOnGet} writing on GET, ` : '';
  return `${plural(totals.endpoints, 'endpoint')}, ${totals.stateChanging} state-changing, ${totals.exempt} exempt, ${totals.unprotected} unprotected, ${writingOnGet}${totals.unknown} unknown`;
}

/** The endpoints grouped by app, in the inventory's order (unprotected, exempt and unknown first within each). */
export function byApp(endpoints: readonly Endpoint[]): Array<{ app: string; framework: string; endpoints: Endpoint[] }> {
  const groups = new Map<string, { app: string; framework: string; endpoints: Endpoint[] }>();
  for (const endpoint of endpoints) {
    const key = `${endpoint.framework}\0${endpoint.app}`;
    const group = groups.get(key) ?? { app: endpoint.app, framework: endpoint.framework, endpoints: [] };
    group.endpoints.push(endpoint);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export function location(endpoint: Endpoint): string {
  return `${endpoint.path}:${endpoint.line}`;
}

/** `CsrfViewMiddleware (shop/settings.py:40)`. */
export function protectionText(endpoint: Endpoint): string {
  const evidence = endpoint.evidence ? ` (${endpoint.evidence.path}:${endpoint.evidence.line})` : '';
  return `${endpoint.protection ?? ''}${evidence}`;
}

export function findingsText(endpoint: Endpoint): string {
  return endpoint.findings.map((finding) => `${finding.code} ${finding.rule}${finding.suppressed ? ' (suppressed)' : ''}`).join('; ');
}
