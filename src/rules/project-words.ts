import { type Keyword, latin1Text, Prefilter } from '../prefilter.js';
import { packagesLeadingTo } from '../project/known-names.js';
import type { Rule } from './rule.js';

/** A Python file of a project, as a word search reads it: `undefined` bytes when it cannot be read faithfully. */
export interface ProjectFile {
  path: string;
  bytes: Uint8Array | undefined;
}

/** A file whose words a search found before, while it has not changed: the ids of the rules it holds a project word of. */
export interface SearchedFile {
  path: string;
  rulesFound: readonly string[];
}

/** Told, for each file read, every rule it holds a project word of (not only those no file had shown yet). */
export type WordSearchListener = (path: string, rulesFound: readonly Rule[]) => void;

/**
 * The rules that can find something in a project made of `files`: those without project words, and
 * those some file holds a project word of (in its text or its path: a module named after a package
 * is that package). A file that cannot be read faithfully may hold any word. One search over every
 * file for all the words first, so that most files are read once.
 */
export function rulesThatCanFindIn(files: Iterable<ProjectFile | SearchedFile>, rules: readonly Rule[], onSearched?: WordSearchListener): Rule[] {
  const searches = new Map<Rule, Prefilter>();
  for (const rule of rules) {
    const words = projectWordsOf(rule);
    if (words !== undefined) searches.set(rule, new Prefilter(words));
  }
  if (searches.size === 0) return [...rules];
  // A listener is told every rule of a file, so the file is searched for all of them, not only those still unfound.
  const allSearches = onSearched ? new Map(searches) : searches;
  const anyWord = new Prefilter([...searches.values()].flatMap((search) => search.words));
  for (const file of files) {
    const searchedBefore = 'rulesFound' in file;
    const found = searchedBefore ? rulesNamed(file.rulesFound, searches) : rulesWithWordsOf(file, allSearches, anyWord);
    if (!searchedBefore) onSearched?.(file.path, found);
    for (const rule of found) searches.delete(rule);
    if (searches.size === 0) break;
  }
  return rules.filter((rule) => !searches.has(rule));
}

function rulesWithWordsOf({ path, bytes }: ProjectFile, searches: ReadonlyMap<Rule, Prefilter>, anyWord: Prefilter): Rule[] {
  // Each file is turned into text once for all the searches: a large file's text is garbage only a full collection frees.
  const texts = bytes === undefined ? undefined : [latin1Text(Buffer.from(path, 'utf8')), latin1Text(bytes)];
  if (texts !== undefined && !texts.some((text) => anyWord.matchesText(text))) return [];
  const found: Rule[] = [];
  for (const [rule, search] of searches) {
    if (texts === undefined || texts.some((text) => search.matchesText(text))) found.push(rule);
  }
  return found;
}

function rulesNamed(ids: readonly string[], searches: ReadonlyMap<Rule, Prefilter>): Rule[] {
  return [...searches.keys()].filter((rule) => ids.includes(rule.id));
}

/**
 * What some file must hold for the rule to find anything: its `projectWords`, or the import names of
 * its `packages` spelled as Python spells them (a module name is case-sensitive: `import flask`,
 * `pyramid/` as a folder); `undefined` when nothing is needed, as for a package every project may
 * refer to.
 */
export function projectWordsOf(rule: Rule): Keyword[] | undefined {
  if (rule.projectWords !== undefined) return rule.projectWords;
  if (rule.packages === undefined) return undefined;
  const imported = rule.packages.map(packagesLeadingTo);
  if (imported.some((names) => names === undefined)) return undefined;
  return [...new Set(imported.flat() as string[])].map((name): Keyword => ({ exact: name, wordStart: true, wordEnd: true }));
}
