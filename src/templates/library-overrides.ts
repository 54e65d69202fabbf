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
const LIBRARY_TEMPLATE_FOLDERS: ReadonlyArray<{ folder: string; library: string; modules: readonly string[] }> = [
  { folder: 'admin', library: "Django's admin", modules: ['django.contrib.admin'] },
  { folder: 'admin', library: 'Flask-Admin', modules: ['flask_admin'] },
  { folder: 'sqladmin', library: 'SQLAdmin', modules: ['sqladmin'] },
];

/** The library folder a template sits in, right under a `templates` folder: `app/templates/admin/auth/user/change_form.html`. */
const LIBRARY_FOLDER_OF_PATH = /(?:^|\/)templates\/([\w-]+)\//;

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
    const folder = LIBRARY_FOLDER_OF_PATH.exec(document.file.path)?.[1];
    if (folder === undefined) return undefined;
    const own = LIBRARY_TEMPLATE_FOLDERS.find((entry) => entry.folder === folder && this.isLibraryPackage(entry.modules, document));
    if (own) return { library: own.library, ownTemplate: true };
    const importedBy = this.importingRoots();
    const overridden = LIBRARY_TEMPLATE_FOLDERS.find((entry) => entry.folder === folder && (importedBy.get(entry.library) ?? []).some((root) => related(root, document.file.projectRoot)));
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
