import type { FindingContext } from './context.js';

/** A file of the scan: a Python module or a template. */
export interface ScannedFile {
  kind: 'python' | 'template';
  /** As reported: relative to the working directory, with `/`. */
  path: string;
  absolutePath: string;
  context: FindingContext;
  /** Under the paths given to the scan; other files of the project are read for context only. */
  isTarget: boolean;
}

/** A Django or Jinja template, kept as text: rules tokenize its HTML themselves. */
export interface TemplateFile extends ScannedFile {
  kind: 'template';
  text: string;
  /** The project it belongs to: the nearest folder with a project marker, or its own folder. */
  projectRoot: string;
}

/** A JavaScript or TypeScript file of the project, read as text for what its code does with forms. */
export interface ScriptFile {
  path: string;
  text: string;
  projectRoot: string;
}
