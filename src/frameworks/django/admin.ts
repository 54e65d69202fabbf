import type { Expr } from '../../python/facts.js';
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
