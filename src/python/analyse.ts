import { extractFacts, FACT_BUDGET } from './extract.js';
import { blankJinjaTags, hasJinjaTags } from './jinja.js';
import type { ModuleFacts, SyntaxProblem } from './facts.js';
import { parsePython } from './parser.js';
import { decodeSource } from './source.js';

export type FileAnalysis =
  | { ok: true; facts: ModuleFacts; problems: string[] }
  /** `blocking`: the file could not be read as Python reads it, so the scan must not pass. */
  | { ok: false; problems: string[]; blocking?: true };

/** Bytes of a Python file to its facts, with every problem worth telling the user. Never throws on bad input. */
/** Needs `initPythonParser()` to have run. */
export function analysePythonSource(bytes: Uint8Array): FileAnalysis {
  const decoded = decodeSource(bytes);
  if (!decoded.ok) return { ok: false, problems: [decoded.reason], ...(decoded.blocking ? { blocking: true } : {}) };
  const problems = decoded.warning ? [decoded.warning] : [];
  let facts = factsOf(decoded.text);
  if (facts.syntaxProblems.length > 0 && hasJinjaTags(decoded.text)) {
    const untemplated = factsOf(blankJinjaTags(decoded.text));
    if (untemplated.syntaxProblems.length < facts.syntaxProblems.length) {
      facts = untemplated;
      problems.push('holds Jinja template tags; analysed with the tags blanked out');
    }
  }
  if (facts.overBudget) problems.push(`over ${FACT_BUDGET} calls and assignments (generated code?); past them only imports and definitions were analysed`);
  const [first] = facts.syntaxProblems;
  if (first) problems.push(describeSyntaxProblem(first, facts.syntaxProblems.length));
  return { ok: true, facts, problems };
}

function factsOf(text: string): ModuleFacts {
  const tree = parsePython(text);
  try {
    return extractFacts(tree);
  } finally {
    tree.delete();
  }
}

function describeSyntaxProblem(problem: SyntaxProblem, count: number): string {
  const where = `${problem.range.line}:${problem.range.column}`;
  const what = problem.kind === 'missing' ? `missing ${problem.token}` : 'syntax error';
  const more = count > 1 ? ` (and ${count - 1} more)` : '';
  return `${what} at ${where}${more}; analysed the rest`;
}
