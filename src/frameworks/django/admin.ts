import type { Expr } from '../../python/facts.js';
import type { Place } from '../../endpoints/endpoint.js';
import { DJANGO } from '../../project/known-names.js';
import type { DefinitionSite, Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';

const ADMIN_SITE_CLASSES: ReadonlySet<string> = new Set(['django.contrib.admin.AdminSite', 'django.contrib.admin.sites.AdminSite']);
/** The default site every `admin.site.register(...)` and `@admin.register(...)` adds to. */
const DEFAULT_ADMIN_SITES: ReadonlySet<string> = new Set(['django.contrib.admin.site', 'django.contrib.admin.sites.site']);

/** A Django admin site whose `.urls` a URL conf routes: the default one, or an instance of an `AdminSite` class. */
export interface DjangoAdminSite {
  /** How the URL conf names the site: `admin.site`, `linkding_admin_site`. */
  name: string;
  /** The project's own `AdminSite` subclass the site is an instance of, when it is one. */
  ownClass?: DefinitionSite;
}

/**
 * The admin site `object` is, when it is one. Django's `AdminSite.admin_view` wraps every admin view
 * in `csrf_protect`, so the site checks CSRF whatever the middleware says; its model admins are
 * pages of the site, not views routed on their own.
 */
export function djangoAdminSite(project: Project, module: SourceModule, object: Expr, scope: number, name: string): DjangoAdminSite | undefined {
  const resolved = project.resolve(module, object, scope);
  if (resolved !== undefined && DEFAULT_ADMIN_SITES.has(resolved)) return { name };
  const className = project.instanceClasses(module, object, scope).find((candidate) => project.isSubclassOf(candidate, ADMIN_SITE_CLASSES));
  if (className === undefined) return undefined;
  const own = project.findDefinition(className);
  return own?.definition.kind === 'class' ? { name, ownClass: own } : { name };
}

/**
 * What the project's own `admin_view` override does with the `csrf_protect` Django's puts on every
 * admin view: keeps it (calls the base's `admin_view`), exempts the views (`csrf_exempt(...)`), or
 * drops it, leaving the views to the middleware. `undefined` when the site does not override it.
 */
export type AdminViewOverride = { kind: 'keeps' } | { kind: 'exempts' | 'drops'; at: Place };

export function adminViewOverride(project: Project, site: DjangoAdminSite): AdminViewOverride | undefined {
  if (!site.ownClass) return undefined;
  const override = project.findMethod(site.ownClass.module.symbols.definitionName(site.ownClass.definition), 'admin_view');
  if (!override) return undefined;
  const { module, definition } = override;
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  let exemptAt: number | undefined;
  for (const { call, scope } of module.facts.calls) {
    if (!scopes.has(scope)) continue;
    if (callsBaseAdminView(call.callee)) return { kind: 'keeps' };
    if (exemptAt === undefined && project.resolve(module, call.callee, scope) === DJANGO.csrfExempt) exemptAt = call.range.line;
  }
  return { kind: exemptAt === undefined ? 'drops' : 'exempts', at: { file: module, line: exemptAt ?? definition.range.line } };
}

/** `super().admin_view(...)`, `AdminSite.admin_view(self, ...)`. */
function callsBaseAdminView(callee: Expr): boolean {
  if (callee.kind !== 'attribute' || callee.attribute !== 'admin_view') return false;
  const owner = callee.object;
  return (owner.kind === 'call' && owner.callee.kind === 'name' && owner.callee.id === 'super') || (owner.kind === 'name' && owner.id !== 'self');
}
