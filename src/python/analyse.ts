import { extractFacts } from './extract.js';
import type { ModuleFacts, SyntaxProblem } from './facts.js';
import { parsePython } from './parser.js';
import { decodeSource } from './source.js';

export type FileAnalysis =
  | { ok: true; facts: ModuleFacts; problems: string[] }
  | { ok: false; problems: string[] };

/** Bytes of a Python file to its facts, with every problem worth telling the user. Never throws on bad input. */
export async function analysePythonSource(bytes: Uint8Array): Promise<FileAnalysis> {
  const decoded = decodeSource(bytes);
  if (!decoded.ok) return { ok: false, problems: [decoded.reason] };
  const problems = decoded.warning ? [decoded.warning] : [];
  const tree = await parsePython(decoded.text);
  try {
    const facts = extractFacts(tree);
    const [first] = facts.syntaxProblems;
    if (first) problems.push(describeSyntaxProblem(first, facts.syntaxProblems.length));
    return { ok: true, facts, problems };
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
