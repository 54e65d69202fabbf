import { readFileSync } from 'node:fs';
import { decodeSource } from './python/source.js';

/** A file's lines decoded as the scanner read them (coding cookie, BOM); empty when unreadable. */
export async function readSourceLines(absolutePath: string, overlay?: string): Promise<string[]> {
  const bytes = overlay !== undefined ? Buffer.from(overlay, 'utf8') : readOrUndefined(absolutePath);
  const decoded = bytes ? decodeSource(bytes) : undefined;
  return decoded?.ok ? decoded.text.split(/\r\n|\r|\n/) : [];
}

/** Reads each file once, for fingerprints and code frames of the few files that have findings. */
export class SourceLinesCache {
  private readonly lines = new Map<string, Promise<string[]>>();

  /** `overlays`: text read instead of the file, by absolute path (an editor's unsaved buffers). */
  constructor(private readonly overlays?: ReadonlyMap<string, string>) {}

  get(absolutePath: string): Promise<string[]> {
    let cached = this.lines.get(absolutePath);
    if (!cached) {
      cached = readSourceLines(absolutePath, this.overlays?.get(absolutePath));
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
