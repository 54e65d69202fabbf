import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type Keyword, Prefilter } from '../prefilter.js';
import { analysePythonSource, type FileAnalysis } from '../python/analyse.js';
import { BINARY_FILE, declaresOtherEncoding, looksBinary } from '../python/source.js';
import { analysisToJson } from './analysis-json.js';
import { FactCache } from './fact-cache.js';

/** What every thread that loads files needs to know; plain data, so that it crosses to workers. */
export interface FileLoadSettings {
  maxFileSizeBytes: number;
  /** The prefilter's words; without them every file is parsed. */
  prefilterWords?: readonly Keyword[];
  cacheDirectory?: string;
  /** Text read instead of these files (absolute paths), never cached: an editor's unsaved buffers. */
  overlays?: Readonly<Record<string, string>>;
}

export interface FileRequest {
  absolutePath: string;
  /** False for a file read again because a parsed module imports it. */
  mayPassOver: boolean;
  /** False when a cached analysis turned out to be malformed. */
  useCache?: boolean;
  /** Answer analyses as JSON, which crosses threads faster than a structured clone of the facts. */
  asJson?: boolean;
}

/**
 * A Python file, loaded: unreadable or binary (an error entry), passed over by the prefilter, or
 * analysed. An analysis arrives as JSON when it comes from the cache or from a worker thread.
 */
export type FileOutcome =
  | { kind: 'unreadable'; message: string; blocking?: true }
  | { kind: 'passed-over' }
  | { kind: 'analysed'; analysis: FileAnalysis; cached: boolean }
  | { kind: 'analysed-json'; analysisJson: string; cached: boolean };

/**
 * Reads, prefilters, looks up and parses files on the thread it lives in. Reads are synchronous:
 * for the small files of a source tree they cost a few system calls, where a promise per file
 * costs a trip through libuv's thread pool; a worker thread has nothing else to do meanwhile.
 */
export class FileLoader {
  private readonly prefilter: Prefilter | undefined;
  private readonly cache: FactCache | undefined;

  constructor(private readonly settings: FileLoadSettings) {
    this.prefilter = settings.prefilterWords ? new Prefilter(settings.prefilterWords) : undefined;
    this.cache = settings.cacheDirectory === undefined ? undefined : new FactCache(settings.cacheDirectory);
  }

  /** Needs `initPythonParser()` first. */
  load(request: FileRequest): FileOutcome {
    const overlay = this.settings.overlays?.[request.absolutePath];
    const read = overlay !== undefined ? Buffer.from(overlay, 'utf8') : readSourceSync(request.absolutePath, this.settings.maxFileSizeBytes);
    if (isUnreadable(read)) return { kind: 'unreadable', ...read };
    if (looksBinary(read)) return { kind: 'unreadable', message: BINARY_FILE };
    if (request.mayPassOver && this.prefilter && !this.prefilter.matches(read) && !declaresOtherEncoding(read)) return { kind: 'passed-over' };
    const key = this.cache && overlay === undefined ? FactCache.keyOf(read) : undefined;
    const cachedJson = key !== undefined && request.useCache !== false ? this.cache!.readJson(key) : undefined;
    if (cachedJson !== undefined) return { kind: 'analysed-json', analysisJson: cachedJson, cached: true };
    const analysis = analyseWithinStack(read);
    if (key === undefined && !request.asJson) return { kind: 'analysed', analysis, cached: false };
    const analysisJson = analysisToJson(analysis);
    if (key !== undefined) this.cache!.write(key, analysisJson);
    return request.asJson ? { kind: 'analysed-json', analysisJson, cached: false } : { kind: 'analysed', analysis, cached: false };
  }
}

/**
 * Expressions are converted to a bounded depth, but a tree deep in some other way must cost the
 * scan one file, not the whole run.
 */
function analyseWithinStack(bytes: Uint8Array): FileAnalysis {
  try {
    return analysePythonSource(bytes);
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, problems: ['nested too deeply to analyse; skipped'] };
    throw error;
  }
}

/**
 * Why a file's bytes cannot be had: a message for the `errors` entry. `blocking` when Python would
 * run the file but csrflint did not look at it, so the scan must not pass.
 */
export interface UnreadableSource {
  message: string;
  blocking?: true;
}

export function isUnreadable(read: Uint8Array | UnreadableSource): read is UnreadableSource {
  return !(read instanceof Uint8Array);
}

/** The file's bytes, or why they cannot be had. */
export function readSourceSync(absolutePath: string, maxFileSizeBytes: number): Uint8Array | UnreadableSource {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(absolutePath, 'r');
    const { size } = fstatSync(descriptor);
    if (size > maxFileSizeBytes) return tooLarge(size, maxFileSizeBytes);
    const bytes = readAll(descriptor, size, maxFileSizeBytes + 1);
    return bytes.length > maxFileSizeBytes ? tooLarge(bytes.length, maxFileSizeBytes) : bytes;
  } catch (error) {
    return { message: `cannot read file (${(error as NodeJS.ErrnoException).code ?? String(error)}); skipped` };
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/**
 * Reads to the end, whatever `fstat` said (a file may grow or shrink while it is read), but no
 * further than `limit` bytes: a device or a file that keeps growing must not fill the memory.
 */
function readAll(descriptor: number, expectedSize: number, limit: number): Uint8Array {
  let buffer = Buffer.allocUnsafe(Math.max(expectedSize, 1));
  let length = 0;
  for (;;) {
    if (length >= limit) return buffer.subarray(0, length);
    if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(Math.min(buffer.length, limit))]);
    const count = readSync(descriptor, buffer, length, buffer.length - length, null);
    if (count === 0) return buffer.subarray(0, length);
    length += count;
  }
}

/**
 * A repository chooses its files' sizes: padding a view past the limit must not slip it past a CI
 * gate, so the run fails until the limit is raised or the file excluded.
 */
function tooLarge(bytes: number, maxFileSizeBytes: number): UnreadableSource {
  const sizes = `${formatMegabytes(bytes)}, over the ${formatMegabytes(maxFileSizeBytes)} limit`;
  return { message: `file is ${sizes}; its code was not checked (raise --max-file-size or exclude the file)`, blocking: true };
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
