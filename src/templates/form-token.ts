import { csrfFieldNames } from '../project/csrf-field-names.js';
import type { Project } from '../project/project.js';
import type { SourceRange } from '../python/facts.js';
import { FormTargets, related } from './form-target.js';
import { readTemplateDocument } from './template-document.js';

/**
 * The token markup a form's server expects, when the form lacks it and adding it is all the fix
 * there is: Django's `{% csrf_token %}`, or Flask-WTF's `csrf_token` field rendered by hand.
 */
export type FormToken = 'django-csrf-token-tag' | 'flask-wtf-hidden-input';

/** The judgement of each project's forms, made once: it reads the whole project (settings, apps). */
const targetsByProject = new WeakMap<Project, FormTargets>();

/**
 * What the server of the form whose start tag begins at `start` (as a finding's range does) expects
 * in it: the structured judgement the template rule's message is written from.
 */
export function expectedFormToken(project: Project, templatePath: string, start: Pick<SourceRange, 'line' | 'column'>): FormToken | undefined {
  const template = project.templates.find((candidate) => candidate.absolutePath === templatePath);
  const form = template && readTemplateDocument(template).markup.forms.find(({ range }) => range.line === start.line && range.column === start.column);
  if (!template || !form) return undefined;
  project.noteEveryModuleRead();
  let targets = targetsByProject.get(project);
  if (!targets) {
    targets = new FormTargets(project);
    targetsByProject.set(project, targets);
  }
  const { check } = targets.targetOf(form, template);
  if (check.kind !== 'rejects') return undefined;
  if (check.guard === 'django') return 'django-csrf-token-tag';
  return check.guard === 'flask' && usesFlaskWtfDefaults(project, template.projectRoot) ? 'flask-wtf-hidden-input' : undefined;
}

/**
 * Flask-WTF, under its own field name: SeaSurf names its field `_csrf_token`, and a project that
 * renames the field (`WTF_CSRF_FIELD_NAME`, `csrf_field_name`) expects that name instead.
 */
function usesFlaskWtfDefaults(project: Project, projectRoot: string): boolean {
  const imported = new Set(
    project.modules.filter((module) => related(module.projectRoot, projectRoot)).flatMap((module) => module.facts.imports.filter((statement) => statement.level === 0).map((statement) => statement.module.split('.')[0])),
  );
  return imported.has('flask_wtf') && !imported.has('flask_seasurf') && csrfFieldNames(project).size === 0;
}
