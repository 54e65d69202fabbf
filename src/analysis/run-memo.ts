import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type BigIntStats, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDirectoryWithoutLinks } from '../discover/guarded-files.js';
import { PROJECT_ROOT_MARKERS } from '../discover/project-root.js';
import type { CheckResult } from '../finding.js';
import { VERSION } from '../version.js';
import { signingKey } from './fact-cache.js';
import { hashOfParsers } from './parser-files.js';

/**
 * A file changed twice within the file system's timestamp granularity can keep its size and times:
 * a run that read a file changed this recently is not remembered (git's "racy" entries).
 */
const RACY_NANOSECONDS = 3_000_000_000n;

let codeHash: string | undefined;

/** Every compiled module of csrflint and the parsers it uses, as a hash: rules and parser upgrades change findings without changing the version. */
export function hashOfCode(): string {
  if (codeHash !== undefined) return codeHash;
  const source = fileURLToPath(new URL('../', import.meta.url));
  const hash = createHash('sha256').update(`${VERSION}\n${process.version}\n${hashOfParsers()}\n`);
  const files = readdirSync(source, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js')).sort();
  for (const file of files) hash.update(`${file}\n`).update(readFileSync(path.join(source, file)));
  codeHash = hash.digest('hex');
  return codeHash;
}

/**
 * The findings of the last whole run with the same options, kept while nothing it read has
 * changed: the same csrflint build, the same files (path, inode, size, modification and change
 * times) and the same project markers and `__init__.py` files in the folders around them. Discovery still walks the tree, so a file added or removed changes
 * the list itself. Only a layer over the fact cache: any doubt (a file that cannot be stat'ed,
 * one changed in the last seconds, an entry not signed with this user's key) means a real run.
 */
export class RunMemo {
  private readonly entryFile: string;
  private readonly key: string | undefined;
  private racy = false;

  /** `optionsKey`: every option that can change the result, as text; `files`: every file the run reads. */
  constructor(
    private readonly cacheDirectory: string,
    optionsKey: string,
    files: readonly string[],
    /** Files changed after this time (nanoseconds since the epoch) may change again unseen. */
    private readonly settledBefore = settledTime(),
    /** The files' status, when this run has already taken it. */
    private readonly fileStats = new FileStats(),
  ) {
    const name = createHash('sha256').update(hashOfCode()).update(optionsKey).digest('hex').slice(0, 32);
    this.entryFile = path.join(cacheDirectory, 'runs', name);
    this.key = this.keyOf(optionsKey, files);
  }

  read(): CheckResult | undefined {
    const key = signingKey();
    if (this.key === undefined || key === undefined) return undefined;
    try {
      const text = readFileSync(this.entryFile, 'utf8');
      const newline = text.indexOf('\n');
      if (newline <= 0) return undefined;
      const header = JSON.parse(text.slice(0, newline)) as { key?: unknown; mac?: unknown };
      const body = text.slice(newline + 1);
      if (header.key !== this.key || typeof header.mac !== 'string') return undefined;
      const expected = signature(key, this.key, body);
      const given = Buffer.from(header.mac, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected) ? (JSON.parse(body) as CheckResult) : undefined;
    } catch {
      return undefined;
    }
  }

  write(result: CheckResult): void {
    const key = signingKey();
    if (this.key === undefined || key === undefined || this.racy) return;
    const body = JSON.stringify(result);
    const temporary = `${this.entryFile}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    try {
      createDirectoryWithoutLinks(path.dirname(this.entryFile), [path.dirname(this.cacheDirectory)]);
      writeFileSync(temporary, `${JSON.stringify({ key: this.key, mac: signature(key, this.key, body).toString('hex') })}\n${body}`, { flag: 'wx' });
      renameSync(temporary, this.entryFile);
    } catch {
      // A memo that cannot be written only costs speed.
    }
  }

  /** The hash of the options, of each file's identity and times and of the project markers in the folders around them; undefined when one cannot be had. */
  private keyOf(optionsKey: string, files: readonly string[]): string | undefined {
    const hash = createHash('sha256').update(hashOfCode()).update('\0').update(optionsKey);
    const folders = new Set<string>();
    try {
      for (const file of [...files].sort()) {
        hash.update(`\0${file}\0${this.identityOf(file)}`);
        for (let folder = path.dirname(file); !folders.has(folder); folder = path.dirname(folder)) {
          folders.add(folder);
          if (path.dirname(folder) === folder) break;
        }
      }
      for (const folder of [...folders].sort()) hash.update(`\0${folder}\0${markersIn(folder)}`);
    } catch {
      return undefined;
    }
    return hash.digest('hex');
  }

  private identityOf(file: string): string {
    const stat = this.fileStats.of(file);
    if (stat.ctimeNs >= this.settledBefore || stat.mtimeNs >= this.settledBefore) this.racy = true;
    return identityOfStat(stat);
  }
}

/** Each file's status, taken once in a run: the project-word memo and the run memo know the same files by it. */
export class FileStats {
  private readonly taken = new Map<string, BigIntStats | Error>();

  /** Throws as `statSync` does when the file cannot be stat'ed. */
  of(file: string): BigIntStats {
    let stat = this.taken.get(file);
    if (stat === undefined) {
      try {
        stat = statSync(file, { bigint: true });
      } catch (error) {
        stat = error instanceof Error ? error : new Error(String(error));
      }
      this.taken.set(file, stat);
    }
    if (stat instanceof Error) throw stat;
    return stat;
  }
}

/** A file as the memos know it: the same identity means the same bytes, unless it changed within `RACY_NANOSECONDS`. */
export function identityOfStat(stat: BigIntStats): string {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.mode}`;
}

/** The time before which a file's last change is settled, for a run that starts now (nanoseconds since the epoch). */
export function settledTime(): bigint {
  return BigInt(Date.now()) * 1_000_000n - RACY_NANOSECONDS;
}

function signature(key: Buffer, runKey: string, body: string): Buffer {
  return createHmac('sha256', key).update(`run\n${runKey}\n`).update(body).digest();
}

/**
 * The project markers and package file a folder around the files holds: what discovery reads of it
 * (where a project's root is, what is a package). Its times are not used: a file created anywhere
 * in \`/tmp\` or a home folder would change them without changing the run.
 */
function markersIn(folder: string): string {
  return [...PROJECT_ROOT_MARKERS, '__init__.py'].filter((name) => existsSync(path.join(folder, name))).join('/');
}
