import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FileAnalysis } from '../python/analyse.js';
import { VERSION } from '../version.js';
import type { AnalysisCounts, FileAnalyser } from './file-analyser.js';

/**
 * Bumped whenever the shape of the facts changes without a version change (during development):
 * entries of another format are never read.
 */
const CACHE_FORMAT = 1;

interface CacheEntry {
  tool: 'csrflint';
  version: string;
  format: number;
  key: string;
  analysis: FileAnalysis;
}

/**
 * Facts by content: a file whose bytes were analysed before, by this version of csrflint, is not
 * parsed again. Facts depend on nothing but the bytes and the tool (rules and configuration only
 * read them), so those are the key. Entries are gzipped JSON, one file each under
 * `<cache>/v<version>-<format>/<xx>/<sha256>`, written atomically by whichever thread parsed the
 * file; an entry that does not parse, belongs to another version or key, or has the wrong shape
 * is ignored and rewritten, never trusted.
 */
export class FactCache {
  private readonly directory: string;
  private readonly preparedDirectories = new Set<string>();
  private writable = true;

  constructor(readonly cacheDirectory: string) {
    this.directory = path.join(cacheDirectory, `v${VERSION}-${CACHE_FORMAT}`);
  }

  static keyOf(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  async read(key: string): Promise<FileAnalysis | undefined> {
    const compressed = await readFile(this.entryPath(key)).catch(() => undefined);
    if (!compressed) return undefined;
    try {
      const entry = JSON.parse(gunzipSync(compressed).toString('utf8')) as unknown;
      return isEntryFor(entry, key) ? entry.analysis : undefined;
    } catch {
      return undefined;
    }
  }

  /** Synchronous, so that a worker thread finishes its writes before it is stopped. */
  write(key: string, analysis: FileAnalysis): void {
    if (!this.writable) return;
    const entry: CacheEntry = { tool: 'csrflint', version: VERSION, format: CACHE_FORMAT, key, analysis };
    const target = this.entryPath(key);
    const temporary = `${target}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    try {
      this.prepareDirectory(path.dirname(target));
      writeFileSync(temporary, gzipSync(JSON.stringify(entry), { level: 1 }));
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

/** Looks in the cache before parsing; what it parses, the thread that parsed it writes back. */
export class CacheFirstAnalyser implements FileAnalyser {
  constructor(
    private readonly cache: FactCache,
    private readonly parser: FileAnalyser,
  ) {}

  get counts(): AnalysisCounts {
    return this.parser.counts;
  }

  async analyse(bytes: Uint8Array): Promise<FileAnalysis> {
    const key = FactCache.keyOf(bytes);
    const cached = await this.cache.read(key);
    if (cached) {
      this.parser.counts.cached++;
      return cached;
    }
    return this.parser.analyse(bytes, key);
  }

  close(): Promise<void> {
    return this.parser.close();
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

function isEntryFor(entry: unknown, key: string): entry is CacheEntry {
  if (typeof entry !== 'object' || entry === null) return false;
  const candidate = entry as Partial<CacheEntry>;
  return candidate.tool === 'csrflint' && candidate.version === VERSION && candidate.format === CACHE_FORMAT && candidate.key === key && isAnalysis(candidate.analysis);
}

const FACT_LISTS = ['scopes', 'bindings', 'imports', 'assignments', 'calls', 'definitions', 'returns', 'raises', 'syntaxProblems', 'directives'] as const;

function isAnalysis(analysis: unknown): analysis is FileAnalysis {
  if (typeof analysis !== 'object' || analysis === null) return false;
  const candidate = analysis as { ok?: unknown; problems?: unknown; facts?: Record<string, unknown> };
  if (!Array.isArray(candidate.problems) || !candidate.problems.every((problem) => typeof problem === 'string')) return false;
  if (candidate.ok === false) return true;
  return candidate.ok === true && typeof candidate.facts === 'object' && candidate.facts !== null && FACT_LISTS.every((list) => Array.isArray(candidate.facts![list]));
}
