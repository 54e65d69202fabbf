import { readFileSync } from 'node:fs';
import { decodeSource } from './python/source.js';

/** A file's lines decoded as the scanner read them (coding cookie, BOM); empty when unreadable. */
async function readSourceLines(absolutePath: string): Promise<string[]> {
  const bytes = readOrUndefined(absolutePath);
  const decoded = bytes ? decodeSource(bytes) : undefined;
  return decoded?.ok ? decoded.text.split(/\r\n|\r|\n/) : [];
}

/** Reads each file once, for fingerprints and code frames of the few files that have findings. */
export class SourceLinesCache {
  private readonly lines = new Map<string, Promise<string[]>>();

  get(absolutePath: string): Promise<string[]> {
    let cached = this.lines.get(absolutePath);
    if (!cached) {
      cached = readSourceLines(absolutePath);
      this.lines.set(absolutePath, cached);
    }
    return cached;
  }
}

function readOrUndefined(absolutePath: string): Buffer | undefined {
  try {
    return readFileSync(absolutePath);
  } catch {
    return undefined;
  }
}
