import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { FileOutcome, FileRequest } from './file-loader.js';

/**
 * Each file's loading outcome, kept while the file keeps its size and modification time (or, for
 * an overlay, its text): a long-lived process such as the language server then reads, parses or
 * takes from the cache only the files that changed since its last analysis.
 */
export class FileOutcomeMemo {
  private readonly entries = new Map<string, { key: string; outcome: FileOutcome }>();

  /** The outcome remembered for this request, or `load`'s, remembered unless the file cannot be read. */
  async load(request: FileRequest, overlay: string | undefined, load: () => Promise<FileOutcome>): Promise<FileOutcome> {
    const key = keyOf(request, overlay);
    const remembered = key === undefined ? undefined : this.entries.get(request.absolutePath);
    if (remembered && remembered.key === key) return remembered.outcome;
    const outcome = await load();
    if (key !== undefined && outcome.kind !== 'unreadable') this.entries.set(request.absolutePath, { key, outcome });
    return outcome;
  }
}

function keyOf(request: FileRequest, overlay: string | undefined): string | undefined {
  const how = `${request.mayPassOver}:${request.useCache !== false}`;
  if (overlay !== undefined) return `${how}:text:${createHash('sha256').update(overlay).digest('hex')}`;
  try {
    const stat = statSync(request.absolutePath, { bigint: true });
    return `${how}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch {
    return undefined;
  }
}
