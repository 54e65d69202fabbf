import { initPythonParser, parsePython } from '../python/parser.js';
import { withPythonLineBreaks } from '../python/source.js';
import { addCsrfMiddleware } from './django-fixes.js';
import type { Fix, FixableFinding } from './fix.js';
import { removeDisablingSetting, removeMetaCsrfFalse } from './flask-fixes.js';
import { pythonSuppression, templateSuppression } from './suppression-comment.js';
import { addCsrfTokenTag } from './template-fixes.js';

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
  if (!path.endsWith('.py')) return present([addCsrfTokenTag(finding, text, path), templateSuppression(finding, text)]);
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

function present(fixes: ReadonlyArray<Fix | undefined>): Fix[] {
  return fixes.filter((fix): fix is Fix => fix !== undefined);
}
