import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileAnalysis } from '../python/analyse.js';
import { VERSION } from '../version.js';

/**
 * The code that turns bytes into facts, as a hash: a change to it changes the facts without
 * always changing the version (during development, in a fork), and must not meet old entries.
 */
let factsCode: string | undefined;

function hashOfFactsCode(): string {
  if (factsCode !== undefined) return factsCode;
  const hash = createHash('sha256');
  for (const folder of ['../python/', './']) {
    const directory = fileURLToPath(new URL(folder, import.meta.url));
    for (const name of readdirSync(directory).filter((file) => file.endsWith('.js')).sort()) hash.update(name).update(readFileSync(path.join(directory, name)));
  }
  factsCode = hash.digest('hex').slice(0, 12);
  return factsCode;
}

interface EntryHeader {
  tool: 'csrflint';
  version: string;
  factsCode: string;
  key: string;
}

/**
 * Facts by content: a file whose bytes were analysed before, by this build of csrflint, is not
 * parsed again. Facts depend on nothing but the bytes and the tool (rules and configuration only
 * read them), so those are the key. An entry is a header line (tool, version, code hash, key) and
 * the facts as JSON, uncompressed (a warm scan spent more time unzipping than parsing), one file each under `<cache>/v<version>-<code hash>/<xx>/<sha256>`, written
 * atomically by whichever thread parsed the file. An entry that does not read as text, belongs to another
 * version or key, or whose facts have the wrong shape is ignored and rewritten, never trusted.
 */
export class FactCache {
  private readonly directory: string;
  private readonly preparedDirectories = new Set<string>();
  private writable = true;

  constructor(readonly cacheDirectory: string) {
    this.directory = path.join(cacheDirectory, `v${VERSION}-${hashOfFactsCode()}`);
  }

  static keyOf(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  /** The facts' JSON, for the caller to parse and check with `isFileAnalysis`. */
  readJson(key: string): string | undefined {
    try {
      const text = readFileSync(this.entryPath(key), 'utf8');
      const newline = text.indexOf('\n');
      return newline > 0 && isHeaderFor(JSON.parse(text.slice(0, newline)), key) ? text.slice(newline + 1) : undefined;
    } catch {
      return undefined;
    }
  }

  write(key: string, analysisJson: string): void {
    if (!this.writable) return;
    const header: EntryHeader = { tool: 'csrflint', version: VERSION, factsCode: hashOfFactsCode(), key };
    const target = this.entryPath(key);
    const temporary = `${target}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    try {
      this.prepareDirectory(path.dirname(target));
      writeFileSync(temporary, `${JSON.stringify(header)}\n${analysisJson}`);
      renameSync(temporary, target);
    } catch {
      // A cache that cannot be written (read-only checkout, full disk) only costs speed.
      this.writable = false;
    }
  }

  private entryPath(key: string): string {
    return path.join(this.directory, key.slice(0, 2), key);
  }

  private prepareDirectory(directory: string): void {
    if (this.preparedDirectories.has(directory)) return;
    mkdirSync(directory, { recursive: true });
    markAsCache(this.cacheDirectory);
    this.preparedDirectories.add(directory);
  }
}

/** Keeps the cache out of git and out of backups, as pytest and ruff do with theirs. */
function markAsCache(cacheRoot: string): void {
  const files = {
    '.gitignore': '# Created by csrflint: the cache is not part of the project.\n*\n',
    'CACHEDIR.TAG': 'Signature: 8a477f597d28d172789f06886806bc55\n# This file marks the csrflint cache (https://bford.info/cachedir/).\n',
  };
  for (const [name, content] of Object.entries(files)) {
    try {
      writeFileSync(path.join(cacheRoot, name), content, { flag: 'wx' });
    } catch {
      // Already there.
    }
  }
}

function isHeaderFor(header: unknown, key: string): boolean {
  if (typeof header !== 'object' || header === null) return false;
  const candidate = header as Partial<EntryHeader>;
  return candidate.tool === 'csrflint' && candidate.version === VERSION && candidate.factsCode === hashOfFactsCode() && candidate.key === key;
}

const FACT_LISTS = ['scopes', 'bindings', 'imports', 'assignments', 'calls', 'definitions', 'returns', 'raises', 'syntaxProblems', 'directives'] as const;

/** The shape of an analysis read back from JSON (the cache, or a worker thread's answer). */
export function isFileAnalysis(analysis: unknown): analysis is FileAnalysis {
  if (typeof analysis !== 'object' || analysis === null) return false;
  const candidate = analysis as { ok?: unknown; problems?: unknown; facts?: Record<string, unknown> };
  if (!Array.isArray(candidate.problems) || !candidate.problems.every((problem) => typeof problem === 'string')) return false;
  if (candidate.ok === false) return true;
  return candidate.ok === true && typeof candidate.facts === 'object' && candidate.facts !== null && FACT_LISTS.every((list) => Array.isArray(candidate.facts![list]));
}
