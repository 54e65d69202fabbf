import { createHash } from 'node:crypto';
import { describeExpr } from './python/describe.js';
import type { Definition, ModuleFacts, SourceRange } from './python/facts.js';
import { initPythonParser, parsePython } from './python/parser.js';
import { enclosing } from './project/enclosing.js';

/** The text of a range of lines/columns (1-based, end column exclusive). */
export function sliceRange(lines: readonly string[], range: SourceRange): string {
  if (range.line === range.endLine) return (lines[range.line - 1] ?? '').slice(range.column - 1, range.endColumn - 1);
  const first = (lines[range.line - 1] ?? '').slice(range.column - 1);
  const middle = lines.slice(range.line, range.endLine - 1);
  const last = (lines[range.endLine - 1] ?? '').slice(0, range.endColumn - 1);
  return [first, ...middle, last].join('\n');
}

/**
 * Identifies a finding without its line number, so that moving code keeps it: the rule, the file
 * (from the repository root, so that the working directory does not matter), what the construct
 * applies to (see `subjectOf`), the construct's source without comments and whitespace, and which
 * occurrence of that same construct on that same subject it is.
 */
export function fingerprintOf(rule: string, pathFromRoot: string, subject: string, normalisedConstruct: string, occurrence: number): string {
  return createHash('sha256').update(`${rule}\0${pathFromRoot}\0${subject}\0${normalisedConstruct}\0${occurrence}`).digest('hex').slice(0, 16);
}

/**
 * What a construct in a Python module applies to: the function or class it decorates or sits in
 * (`Checkout.post`), and the assignment it is part of (`MIDDLEWARE`, `hook.csrf_exempt`). An
 * exemption copied onto another view gets another subject, so a baseline does not cover it.
 */
export function subjectOf(facts: ModuleFacts, range: SourceRange): string {
  const decorated = enclosing(decoratorsOf(facts), range)[0]?.definition;
  const definition = decorated ?? enclosing(facts.definitions, range).at(-1);
  const assignment = enclosing(facts.assignments, range).at(-1);
  const names = [definition ? qualifiedName(facts, definition) : '', assignment ? describeExpr(assignment.target) : ''];
  return names.filter((name) => name !== '').join(' ');
}

/**
 * A construct's source as a fingerprint sees it: comments dropped (found by the syntax tree, only
 * when the text has a `#` at all), whitespace and trailing commas removed, so that reformatting
 * (as Black explodes a call) or commenting a baselined line leaves it baselined.
 */
export async function normalisedPython(construct: string): Promise<string> {
  return withoutWhitespace(construct.includes('#') ? await withoutComments(construct) : construct).replace(/,(?=[)\]}])/g, '');
}

export function withoutWhitespace(text: string): string {
  return text.replace(/\s+/g, '');
}

async function withoutComments(source: string): Promise<string> {
  await initPythonParser();
  const tree = parsePython(source);
  try {
    const comments = tree.rootNode.descendantsOfType('comment').flatMap((comment) => (comment ? [comment] : []));
    let text = '';
    let from = 0;
    for (const comment of comments) {
      text += source.slice(from, comment.startIndex);
      from = comment.endIndex;
    }
    return text + source.slice(from);
  } finally {
    tree.delete();
  }
}

const decoratorLists = new WeakMap<ModuleFacts, Array<{ range: SourceRange; definition: Definition }>>();

/** Every decorator of the module with the definition it decorates, made once per module. */
function decoratorsOf(facts: ModuleFacts): Array<{ range: SourceRange; definition: Definition }> {
  let decorators = decoratorLists.get(facts);
  if (!decorators) {
    decorators = facts.definitions.flatMap((definition) => definition.decorators.map((decorator) => ({ range: decorator.range, definition })));
    decoratorLists.set(facts, decorators);
  }
  return decorators;
}

/** `Checkout.post` for a method: the names of the classes and functions around the definition. */
function qualifiedName(facts: ModuleFacts, definition: Definition): string {
  const names = [definition.name];
  for (let scope = facts.scopes[definition.scope]; scope && scope.parent !== null; scope = facts.scopes[scope.parent]) names.unshift(scope.name);
  return names.join('.');
}
