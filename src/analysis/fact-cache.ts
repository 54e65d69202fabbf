import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDirectoryWithoutLinks } from '../discover/guarded-files.js';
import type { FileAnalysis } from '../python/analyse.js';
import { VERSION } from '../version.js';
import { hashOfParsers } from './parser-files.js';

/**
 * The code that turns bytes into facts (csrflint's and the parsers'), as a hash: a change to it changes the facts without
 * always changing the version (during development, in a fork), and must not meet old entries.
 */
let factsCode: string | undefined;

function hashOfFactsCode(): string {
  if (factsCode !== undefined) return factsCode;
  // The grammar and runtime of tree-sitter turn bytes into facts too: an upgrade in node_modules must not meet old entries.
  const hash = createHash('sha256').update(hashOfParsers());
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
  /** HMAC of the entry under the user's signing key (see `signingKey`). */
  mac: string;
}

/** The user's cache folder for csrflint, outside every scanned tree (XDG, macOS and Windows conventions). */
function userCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'csrflint');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'csrflint', 'Cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'csrflint');
  return path.join(os.homedir(), '.cache', 'csrflint');
}

/** The default cache of a project: in the user's cache folder, one folder per project path. */
export function projectCacheDirectory(projectDirectory: string): string {
  let real = path.resolve(projectDirectory);
  try {
    real = realpathSync.native(real);
  } catch {
    // A folder that does not resolve keeps its spelling.
  }
  return path.join(userCacheRoot(), 'projects', createHash('sha256').update(real).digest('hex').slice(0, 16));
}

const SIGNING_KEY_BYTES = 32;

/**
 * The key entries are signed with, made once per user and kept in the user's cache folder, never
 * in a scanned tree: whoever writes a repository can compute an entry's path and contents, but not
 * its signature, so an entry committed to hide a file's facts is not trusted. No key, no cache.
 */
export function signingKey(): Buffer | undefined {
  const file = path.join(userCacheRoot(), 'signing-key');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const key = readFileSync(file);
      return key.length === SIGNING_KEY_BYTES ? key : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    }
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, randomBytes(SIGNING_KEY_BYTES), { flag: 'wx', mode: 0o600 });
    } catch {
      // Another thread or process made it first, or the folder is read-only: read again.
    }
  }
  return undefined;
}

/**
 * Facts by content: a file whose bytes were analysed before, by this build of csrflint, is not
 * parsed again. Facts depend on nothing but the bytes and the tool (rules and configuration only
 * read them), so those are the key. An entry is a header line (tool, version, code hash, key, the
 * signature) and the facts as JSON, uncompressed (a warm scan spent more time unzipping than
 * parsing), one file each under `<cache>/v<version>-<code hash>/<xx>/<sha256>`, written atomically
 * by whichever thread parsed the file. An entry that does not read as text, belongs to another
 * version or key, is not signed with this user's key, or whose facts have the wrong shape is
 * ignored and rewritten, never trusted.
 */
export class FactCache {
  private readonly directory: string;
  private readonly preparedDirectories = new Set<string>();
  private readonly signingKey = signingKey();
  private writable = this.signingKey !== undefined;

  constructor(readonly cacheDirectory: string) {
    this.directory = path.join(cacheDirectory, `v${VERSION}-${hashOfFactsCode()}`);
  }

  static keyOf(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  /** The facts' JSON, for the caller to parse and check with `isFileAnalysis`. */
  readJson(key: string): string | undefined {
    if (!this.signingKey) return undefined;
    try {
      const text = readFileSync(this.entryPath(key), 'utf8');
      const newline = text.indexOf('\n');
      if (newline <= 0) return undefined;
      const header = JSON.parse(text.slice(0, newline)) as unknown;
      const analysisJson = text.slice(newline + 1);
      return isHeaderFor(header, key) && this.isSigned(header.mac, key, analysisJson) ? analysisJson : undefined;
    } catch {
      return undefined;
    }
  }

  write(key: string, analysisJson: string): void {
    if (!this.writable || !this.signingKey) return;
    const header: EntryHeader = { tool: 'csrflint', version: VERSION, factsCode: hashOfFactsCode(), key, mac: this.signature(key, analysisJson) };
    const target = this.entryPath(key);
    const temporary = `${target}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    try {
      this.prepareDirectory(path.dirname(target));
      writeFileSync(temporary, `${JSON.stringify(header)}\n${analysisJson}`, { flag: 'wx' });
      renameSync(temporary, target);
    } catch {
      // A cache that cannot be written (read-only checkout, full disk) only costs speed.
      this.writable = false;
    }
  }

  private signature(key: string, analysisJson: string): string {
    return createHmac('sha256', this.signingKey!).update(`${VERSION}\n${hashOfFactsCode()}\n${key}\n`).update(analysisJson).digest('hex');
  }

  private isSigned(mac: string, key: string, analysisJson: string): boolean {
    const expected = Buffer.from(this.signature(key, analysisJson), 'hex');
    const given = Buffer.from(mac, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private entryPath(key: string): string {
    return path.join(this.directory, key.slice(0, 2), key);
  }

  private prepareDirectory(directory: string): void {
    if (this.preparedDirectories.has(directory)) return;
    // A cache folder inside a checkout may be a committed link: never write through one.
    createDirectoryWithoutLinks(directory, [path.dirname(this.cacheDirectory)]);
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

function isHeaderFor(header: unknown, key: string): header is EntryHeader {
  if (typeof header !== 'object' || header === null) return false;
  const candidate = header as Partial<EntryHeader>;
  return candidate.tool === 'csrflint' && candidate.version === VERSION && candidate.factsCode === hashOfFactsCode() && candidate.key === key && typeof candidate.mac === 'string';
}

const FACT_LISTS = ['scopes', 'bindings', 'imports', 'assignments', 'calls', 'definitions', 'returns', 'raises', 'deletions', 'conditions', 'syntaxProblems', 'directives'] as const;

/** The shape of an analysis read back from JSON (the cache, or a worker thread's answer). */
export function isFileAnalysis(analysis: unknown): analysis is FileAnalysis {
  if (typeof analysis !== 'object' || analysis === null) return false;
  const candidate = analysis as { ok?: unknown; problems?: unknown; facts?: Record<string, unknown> };
  if (!Array.isArray(candidate.problems) || !candidate.problems.every((problem) => typeof problem === 'string')) return false;
  if (candidate.ok === false) return true;
  return candidate.ok === true && typeof candidate.facts === 'object' && candidate.facts !== null && FACT_LISTS.every((list) => Array.isArray(candidate.facts![list]));
}
