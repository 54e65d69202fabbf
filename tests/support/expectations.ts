import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * `# ruleid: a, b` above a line that must be reported by a and b, in production context;
 * `# ruleid(test): a` or `# ruleid(development): a` for another context; `# ok: a` above a line
 * that must not be reported by a.
 */
const ANNOTATION = /^\s*(?:#|<!--|\{#)\s*(ruleid|ok)(?:\((test|development)\))?:\s*(.+?)\s*(?:-->|#\})?\s*$/;

/** Python files take `# ruleid: ...`; templates `<!-- ruleid: ... -->` or `{# ruleid: ... #}`. */
const ANNOTATED_FILE = /\.(py|html|htm|jinja|jinja2|j2|djhtml|pt)$/;

export interface Expectations {
  /** `rule path:line context` entries that must be reported. */
  reported: Set<string>;
  /** `rule path:line` entries that must not be. */
  notReported: Set<string>;
}

export function expectationKey(rule: string, filePath: string, line: number, context?: string): string {
  return context === undefined ? `${rule} ${filePath}:${line}` : `${rule} ${filePath}:${line} ${context}`;
}

/** Reads the inline expectations of every Python file under a fixture directory. */
export function readExpectations(directory: string): Expectations {
  const expectations: Expectations = { reported: new Set(), notReported: new Set() };
  for (const file of listFiles(directory)) {
    if (!ANNOTATED_FILE.test(file)) continue;
    const relative = path.relative(directory, file).split(path.sep).join('/');
    addFileExpectations(readFileSync(file, 'utf8').split(/\r?\n/), relative, expectations);
  }
  return expectations;
}

function addFileExpectations(lines: string[], relativePath: string, expectations: Expectations): void {
  lines.forEach((line, index) => {
    const match = ANNOTATION.exec(line);
    if (!match) return;
    const target = targetLine(lines, index);
    for (const rule of match[3]!.split(',').map((name) => name.trim())) {
      if (match[1] === 'ruleid') expectations.reported.add(expectationKey(rule, relativePath, target, match[2] ?? 'production'));
      else expectations.notReported.add(expectationKey(rule, relativePath, target));
    }
  });
}

/** The line an annotation speaks of: the next one that is not itself an annotation. */
function targetLine(lines: string[], annotationIndex: number): number {
  let index = annotationIndex + 1;
  while (index < lines.length && ANNOTATION.test(lines[index]!)) index++;
  return index + 1;
}

export function listFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const entry = path.join(directory, name);
    return statSync(entry).isDirectory() ? listFiles(entry) : [entry];
  });
}
