import type { ImportStatement } from '../python/facts.js';
import type { Project } from '../project/project.js';
import { related } from './form-target.js';
import type { TemplateDocument } from './template-document.js';

/**
 * Libraries that render their own templates by a name under a folder of their own, which a
 * template of the project with the same name overrides: Django's admin (`admin/change_form.html`
 * from `templates/admin/...`), Flask-Admin (`admin/model/edit.html`, whatever its `template_mode`),
 * SQLAdmin (`sqladmin/details.html`, from the folder handed to `Admin(..., templates_dir=...)`).
 */
const LIBRARY_TEMPLATE_FOLDERS: ReadonlyArray<{ folder: string; library: string; modules: readonly string[]; ships?: (name: string) => boolean }> = [
  { folder: 'admin', library: "Django's admin", modules: ['django.contrib.admin'], ships: djangoAdminShips },
  { folder: 'admin', library: 'Flask-Admin', modules: ['flask_admin'] },
  { folder: 'sqladmin', library: 'SQLAdmin', modules: ['sqladmin'] },
];

/** The library folder a template sits in, right under a `templates` folder, and its name there: `app/templates/admin/auth/user/change_form.html`. */
const LIBRARY_FOLDER_OF_PATH = /(?:^|\/)templates\/([\w-]+)\/(.+)$/;

/**
 * The templates Django's admin renders from \`admin/\`, by their name there; those it looks up per app
 * and model first (\`admin/<app>/<model>/change_form.html\`, \`admin/<app>/change_list.html\`) by file name.
 */
const DJANGO_ADMIN_TEMPLATES = new Set([
  'actions.html', 'app_index.html', 'app_list.html', 'base.html', 'base_site.html', 'change_form.html', 'change_form_object_tools.html',
  'change_list.html', 'change_list_object_tools.html', 'change_list_results.html', 'color_theme_toggle.html', 'date_hierarchy.html',
  'delete_confirmation.html', 'delete_selected_confirmation.html', 'filter.html', 'index.html', 'invalid_setup.html', 'login.html',
  'nav_sidebar.html', 'object_history.html', 'pagination.html', 'popup_response.html', 'prepopulated_fields_js.html', 'search_form.html',
  'submit_line.html', 'auth/user/add_form.html', 'auth/user/change_password.html', 'edit_inline/stacked.html', 'edit_inline/tabular.html',
  'includes/fieldset.html', 'includes/object_delete_summary.html', 'widgets/clearable_file_input.html', 'widgets/foreign_key_raw_id.html',
  'widgets/many_to_many_raw_id.html', 'widgets/radio.html', 'widgets/related_widget_wrapper.html', 'widgets/split_datetime.html', 'widgets/url.html',
]);
const DJANGO_ADMIN_PER_MODEL_TEMPLATES = new Set([
  'app_index.html', 'change_form.html', 'change_list.html', 'delete_confirmation.html', 'delete_selected_confirmation.html', 'object_history.html', 'popup_response.html',
  'change_list_results.html', 'date_hierarchy.html', 'pagination.html', 'prepopulated_fields_js.html', 'search_form.html', 'submit_line.html', 'actions.html',
  'change_form_object_tools.html', 'change_list_object_tools.html',
]);
/** At most \`<app>/<model>/\` before a per-model template's file name. */
const MAX_PER_MODEL_FOLDERS = 2;

/** Whether Django's admin renders a template of this name under \`admin/\`: a project's own \`admin/connected_services/form.html\` it does not. */
function djangoAdminShips(name: string): boolean {
  if (DJANGO_ADMIN_TEMPLATES.has(name)) return true;
  const folders = name.split('/');
  const fileName = folders.pop()!;
  return DJANGO_ADMIN_PER_MODEL_TEMPLATES.has(fileName) && folders.length <= MAX_PER_MODEL_FOLDERS;
}

/** How a library renders a template of the scan: as the project's override of one of its own, or as its own (the scan is the library). */
export interface LibraryRendering {
  library: string;
  ownTemplate: boolean;
}

/** Which library renders a template of the project in place of its own: one per scan, its imports read on the first question. */
export class LibraryOverrides {
  private importedBy: Map<string, string[]> | undefined;

  constructor(private readonly project: Project) {}

  /**
   * The library that renders `document`: its own template, in the library's package of the scan
   * (`sqladmin/templates/sqladmin/login.html` beside `sqladmin/application.py`), or an override of
   * one, when the template's project imports it.
   */
  libraryRendering(document: TemplateDocument): LibraryRendering | undefined {
    const [, folder, name] = LIBRARY_FOLDER_OF_PATH.exec(document.file.path) ?? [];
    if (folder === undefined || name === undefined) return undefined;
    const own = LIBRARY_TEMPLATE_FOLDERS.find((entry) => entry.folder === folder && this.isLibraryPackage(entry.modules, document));
    if (own) return { library: own.library, ownTemplate: true };
    const importedBy = this.importingRoots();
    const overridden = LIBRARY_TEMPLATE_FOLDERS.find((entry) => entry.folder === folder && (entry.ships?.(name) ?? true) && (importedBy.get(entry.library) ?? []).some((root) => related(root, document.file.projectRoot)));
    return overridden && { library: overridden.library, ownTemplate: false };
  }

  /** The template lies in the `templates` folder of the library's own package, and that package is a module of the scan. */
  private isLibraryPackage(modules: readonly string[], document: TemplateDocument): boolean {
    return modules.some((name) => {
      const packageFolder = `${name.replace(/\./g, '/')}/templates/`;
      const at = document.file.path.indexOf(packageFolder);
      if (at < 0 || (at > 0 && document.file.path[at - 1] !== '/')) return false;
      return this.project.modules.some((module) => module.name === name && related(module.projectRoot, document.file.projectRoot));
    });
  }

  /** The project roots whose Python code imports each library. */
  private importingRoots(): Map<string, string[]> {
    if (this.importedBy) return this.importedBy;
    this.importedBy = new Map();
    for (const module of this.project.modules) {
      for (const { library, modules } of LIBRARY_TEMPLATE_FOLDERS) {
        if (!module.facts.imports.some((statement) => modules.some((name) => imports(statement, name)))) continue;
        const roots = this.importedBy.get(library) ?? [];
        roots.push(module.projectRoot);
        this.importedBy.set(library, roots);
      }
    }
    return this.importedBy;
  }
}

/** `import sqladmin`, `from sqladmin import Admin`, `from django.contrib import admin`, `from django.contrib.admin import ModelAdmin`. */
function imports(statement: ImportStatement, name: string): boolean {
  if (statement.level > 0) return false;
  if (statement.module === name || statement.module.startsWith(`${name}.`)) return true;
  return statement.kind === 'from' && statement.names.some((imported) => `${statement.module}.${imported.importedName}` === name);
}
