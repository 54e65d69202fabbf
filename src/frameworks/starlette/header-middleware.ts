import type { AppMiddleware } from '../../project/middleware.js';
import { requiredCustomHeader } from '../../project/csrf-checks.js';
import type { DefinitionSite, Project } from '../../project/project.js';

/** A middleware of the app that refuses requests without a header of the app's own, and the header. */
export interface HeaderMiddleware {
  middleware: AppMiddleware;
  header: string;
  /** Where the header is read. */
  path: string;
  line: number;
}

/** The methods an ASGI middleware class runs on each request: `__call__`, or `dispatch` of a `BaseHTTPMiddleware`. */
const REQUEST_METHODS = ['__call__', 'dispatch'];

/**
 * The first of the app's middleware, written in the project, that requires a custom header
 * (`SkewProtectionMiddleware` requiring `Marimo-Server-Token` on every POST): a CSRF check, since a
 * cross-site form cannot set a header and a script on another site needs CORS to.
 */
export function headerCheckingMiddleware(project: Project, middleware: readonly AppMiddleware[]): HeaderMiddleware | undefined {
  for (const entry of middleware) {
    for (const site of requestHandlers(project, entry.name)) {
      const required = requiredCustomHeader(project, site.module, site.definition);
      if (required) return { middleware: entry, header: required.header, path: site.module.path, line: required.line };
    }
  }
  return undefined;
}

function requestHandlers(project: Project, name: string): DefinitionSite[] {
  const site = project.findDefinition(name);
  if (site?.definition.kind === 'function') return [site];
  if (site?.definition.kind !== 'class') return [];
  return REQUEST_METHODS.flatMap((method) => project.findMethod(name, method) ?? []);
}
