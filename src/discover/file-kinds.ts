import { existsSync } from 'node:fs';
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
  if (filePath.endsWith('.py') || standsForMissingSettings(filePath)) return 'python';
  if (isScript(filePath)) return given ? undefined : 'script';
  if (!TEMPLATE_EXTENSIONS.some((extension) => filePath.toLowerCase().endsWith(extension))) return undefined;
  if (given) return 'template';
  const folders = path.relative(projectDirectory(), path.dirname(filePath)).split(path.sep);
  return folders.some((folder) => templateDirectories.includes(folder)) ? 'template' : undefined;
}

/**
 * What a checkout ships instead of its Django settings module when each deployment keeps its own
 * copy out of the repository (`app/settings.py` git-ignored, `app/settings.py.sample` committed):
 * the template is what deployments run, `cp settings.py.sample settings.py` and edit the secrets.
 */
const SETTINGS_TEMPLATE_SUFFIXES = ['.sample', '.example'];
const SETTINGS_FILE = 'settings.py';

/** A settings template beside no `settings.py` nor `settings/` package: read as the settings module it stands for. */
function standsForMissingSettings(filePath: string): boolean {
  const suffix = SETTINGS_TEMPLATE_SUFFIXES.find((candidate) => path.basename(filePath) === SETTINGS_FILE + candidate);
  if (suffix === undefined) return false;
  const directory = path.dirname(filePath);
  return !existsSync(path.join(directory, SETTINGS_FILE)) && !existsSync(path.join(directory, 'settings', '__init__.py'));
}

/** A Python file's name without its extension, a settings template's included: `views`, `settings` for `settings.py.sample`. */
export function pythonModuleStem(fileName: string): string {
  const template = SETTINGS_TEMPLATE_SUFFIXES.find((suffix) => fileName === SETTINGS_FILE + suffix);
  return (template === undefined ? fileName : SETTINGS_FILE).replace(/\.pyi?$/, '');
}

/** Type declarations hold no code that runs. */
export function isScript(filePath: string): boolean {
  return SCRIPT_EXTENSIONS.some((extension) => filePath.endsWith(extension)) && !/\.d\.[cm]?ts$/.test(filePath);
}
