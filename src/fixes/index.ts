import type { Project } from '../project/project.js';
import { initPythonParser, parsePython } from '../python/parser.js';
import { expectedFormToken } from '../templates/form-token.js';
import { withPythonLineBreaks } from '../python/source.js';
import { addCsrfMiddleware } from './django-fixes.js';
import type { Fix, FixableFinding } from './fix.js';
import { removeDisablingSetting, removeMetaCsrfFalse } from './flask-fixes.js';
import { pythonSuppression, templateSuppression } from './suppression-comment.js';
import { addCsrfToken } from './template-fixes.js';

export type { Fix, FixableFinding, TextEdit } from './fix.js';
export { applyEdits } from './fix.js';

type PythonFixer = (finding: FixableFinding, text: string, tree: ReturnType<typeof parsePython>) => Fix | undefined;

/** The rules with a mechanical fix, computed from the syntax tree of the finding's file. */
const PYTHON_FIXERS: Readonly<Record<string, PythonFixer>> = {
  'flask-wtf-csrf-disabled': removeDisablingSetting,
  'flask-form-csrf-disabled': removeMetaCsrfFalse,
  'django-csrf-middleware-missing': addCsrfMiddleware,
};

/**
 * The fixes for one finding in a file's current text: the rule's mechanical fix when the code has
 * the shape it mends, then the suppression comment. `path` tells a Python file from a template.
 */
export async function fixesFor(finding: FixableFinding, text: string, path: string): Promise<Fix[]> {
  if (!path.endsWith('.py')) return present([addCsrfToken(finding, text, path), templateSuppression(finding, text)]);
  await initPythonParser();
  // Lines as the analysis counts them (a lone `\r` ends one); offsets, and so the edits, are the same in `text`.
  const pythonText = withPythonLineBreaks(text);
  const tree = parsePython(pythonText);
  try {
    return present([PYTHON_FIXERS[finding.rule]?.(finding, pythonText, tree), pythonSuppression(finding, pythonText, tree)]);
  } finally {
    tree.delete();
  }
}

/**
 * A finding with what the project model it was found in says its fix needs: for a template form,
 * the token its server expects. Without the model (a finding read back from JSON), no token fix.
 */
export function withFixContext<T extends FixableFinding>(finding: T, absolutePath: string, project: Project | undefined): T {
  if (finding.rule !== TEMPLATE_FORM_RULE || !project) return finding;
  const expectedToken = expectedFormToken(project, absolutePath, finding);
  return expectedToken ? { ...finding, expectedToken } : finding;
}

const TEMPLATE_FORM_RULE = 'template-form-missing-csrf-token';

function present(fixes: ReadonlyArray<Fix | undefined>): Fix[] {
  return fixes.filter((fix): fix is Fix => fix !== undefined);
}
