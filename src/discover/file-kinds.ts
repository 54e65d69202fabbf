import path from 'node:path';

export type FileKind = 'python' | 'template' | 'script';

/** `.pt`: Chameleon's page templates, which Pyramid projects render. */
const TEMPLATE_EXTENSIONS = ['.html', '.htm', '.jinja', '.jinja2', '.j2', '.djhtml', '.pt'];

/** The project's own JavaScript and TypeScript (and single-file components), read to see which forms its scripts submit. */
const SCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.tsx', '.vue', '.svelte'];

/** Folders whose HTML files are Django or Jinja templates by convention (Django's app `templates/`, its Jinja2 backend's `jinja2/`). */
export const DEFAULT_TEMPLATE_DIRECTORIES = ['templates', 'jinja2'];

/**
 * What a file is to the scan. Python files anywhere; template files inside a template folder, or
 * named on the command line: a static `index.html` elsewhere is not a server-rendered template.
 * Only folders below `projectDirectory` (looked up only for such files) count, so a checkout that happens to sit in a folder
 * named `templates` does not make every HTML file of it a template.
 */
export function fileKind(filePath: string, templateDirectories: readonly string[], given: boolean, projectDirectory: () => string): FileKind | undefined {
  if (filePath.endsWith('.py')) return 'python';
  if (isScript(filePath)) return given ? undefined : 'script';
  if (!TEMPLATE_EXTENSIONS.some((extension) => filePath.toLowerCase().endsWith(extension))) return undefined;
  if (given) return 'template';
  const folders = path.relative(projectDirectory(), path.dirname(filePath)).split(path.sep);
  return folders.some((folder) => templateDirectories.includes(folder)) ? 'template' : undefined;
}

/** Type declarations hold no code that runs. */
export function isScript(filePath: string): boolean {
  return SCRIPT_EXTENSIONS.some((extension) => filePath.endsWith(extension)) && !/\.d\.[cm]?ts$/.test(filePath);
}
