import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDirectoryWithoutLinks } from '../discover/guarded-files.js';
import { signingKey } from './fact-cache.js';
import { FileStats, hashOfCode, identityOfStat, settledTime } from './run-memo.js';

/** A file's identity when it was searched, and the ids of the rules it holds a project word of. */
type SearchedEntry = [identity: string, rulesFound: string[]];

/**
 * What the project-word search found in each file of a project, kept in the cache directory while
 * the file keeps its identity (inode, size, times): a check of one file in a large project, as
 * pre-commit runs it, then stats the project's files instead of reading them all. One entry file
 * per project and search (csrflint's code, the rules searched for, the size limit), signed with
 * this user's key like the run memo; a file changed in the last seconds is searched again next time.
 */
export class ProjectWordMemo {
  private readonly entryFile: string;
  private readonly remembered: Map<string, SearchedEntry>;
  private readonly searched = new Map<string, SearchedEntry>();
  private readonly identities = new Map<string, string | undefined>();
  private changed = false;

  constructor(
    private readonly cacheDirectory: string,
    /** Every setting the search depends on besides the files, as text. */
    searchKey: string,
    /** Files changed after this time (nanoseconds since the epoch) may change again unseen. */
    private readonly settledBefore = settledTime(),
    private readonly fileStats = new FileStats(),
  ) {
    const name = createHash('sha256').update(hashOfCode()).update('\0').update(searchKey).digest('hex').slice(0, 32);
    this.entryFile = path.join(cacheDirectory, 'words', name);
    this.remembered = this.readEntries();
  }

  /** The ids of the rules `file` holds a project word of, when it has not changed since it was searched. */
  rulesFoundIn(file: string): readonly string[] | undefined {
    const identity = this.identityOf(file);
    const entry = this.remembered.get(file);
    if (identity === undefined || entry === undefined || entry[0] !== identity) return undefined;
    this.searched.set(file, entry);
    return entry[1];
  }

  remember(file: string, ruleIds: readonly string[]): void {
    const identity = this.identityOf(file);
    if (identity === undefined) return;
    this.searched.set(file, [identity, [...ruleIds]]);
    this.changed = true;
  }

  /** Writes the entries of the files searched in this run, when any was searched anew. */
  save(): void {
    const key = signingKey();
    if (!this.changed || key === undefined) return;
    const body = JSON.stringify(Object.fromEntries(this.searched));
    const temporary = `${this.entryFile}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    try {
      createDirectoryWithoutLinks(path.dirname(this.entryFile), [path.dirname(this.cacheDirectory)]);
      writeFileSync(temporary, `${signature(key, body).toString('hex')}\n${body}`, { flag: 'wx' });
      renameSync(temporary, this.entryFile);
    } catch {
      // A memo that cannot be written only costs speed.
    }
  }

  /** `undefined` for a file that cannot be stat'ed or changed too recently to be known by its identity. */
  private identityOf(file: string): string | undefined {
    if (this.identities.has(file)) return this.identities.get(file);
    let identity: string | undefined;
    try {
      const stat = this.fileStats.of(file);
      identity = stat.ctimeNs >= this.settledBefore || stat.mtimeNs >= this.settledBefore ? undefined : identityOfStat(stat);
    } catch {
      identity = undefined;
    }
    this.identities.set(file, identity);
    return identity;
  }

  private readEntries(): Map<string, SearchedEntry> {
    const key = signingKey();
    if (key === undefined) return new Map();
    try {
      const text = readFileSync(this.entryFile, 'utf8');
      const newline = text.indexOf('\n');
      if (newline <= 0) return new Map();
      const given = Buffer.from(text.slice(0, newline), 'hex');
      const body = text.slice(newline + 1);
      const expected = signature(key, body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return new Map();
      return new Map(Object.entries(JSON.parse(body) as Record<string, SearchedEntry>));
    } catch {
      return new Map();
    }
  }
}

function signature(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update('words\n').update(body).digest();
}
