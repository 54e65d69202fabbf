/** Turning the bytes of a source file into text the way Python would (PEP 263), or saying why not. */

export type DecodedSource =
  | { ok: true; text: string; warning?: string }
  | { ok: false; reason: string };

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const BINARY_SNIFF_BYTES = 8000;

/** PEP 263: the declaration must be a comment on line 1 or 2 matching this pattern. */
const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

export const BINARY_FILE = 'binary file (contains NUL bytes); skipped';

export function decodeSource(bytes: Uint8Array): DecodedSource {
  if (looksBinary(bytes)) return { ok: false, reason: BINARY_FILE };
  const hasBom = UTF8_BOM.every((byte, index) => bytes[index] === byte);
  const body = hasBom ? bytes.subarray(UTF8_BOM.length) : bytes;
  const declared = hasBom ? 'utf-8' : declaredEncoding(body);
  if (declared && !isUtf8Label(declared)) return decodeDeclared(body, declared);
  return decodeUtf8(body);
}

/** NUL bytes in the first few kilobytes: no source file has them. */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  for (let index = 0; index < end; index++) {
    if (bytes[index] === 0) return true;
  }
  return false;
}

function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 400));
  for (const line of head.split(/\r\n|\r|\n/, 2)) {
    const match = CODING_COOKIE.exec(line);
    if (match?.[1]) return match[1].toLowerCase();
    if (!/^[ \t\f]*(#|$)/.test(line)) return undefined;
  }
  return undefined;
}

/** Python's own spellings of UTF-8 (`codecs.lookup` accepts them all). */
const UTF8_ALIASES = new Set(['utf-8', 'utf8', 'utf_8', 'utf', 'u8', 'utf8-ucs2', 'utf8-ucs4', 'cp65001']);

function isUtf8Label(label: string): boolean {
  return UTF8_ALIASES.has(label) || UTF8_ALIASES.has(label.replace(/_/g, '-')) || label.startsWith('utf-8-') || label.startsWith('utf_8_');
}

/** Python codec names that the WHATWG encoding labels spell differently. */
const PYTHON_CODEC_LABELS: Record<string, string> = {
  'latin-1': 'latin1',
  latin: 'latin1',
  'iso8859-1': 'iso-8859-1',
  'iso8859-15': 'iso-8859-15',
  '8859': 'iso-8859-1',
  cp819: 'iso-8859-1',
  euc_jp: 'euc-jp',
  'shift-jis': 'shift_jis',
  sjis: 'shift_jis',
};

function decodeDeclared(bytes: Uint8Array, label: string): DecodedSource {
  const hyphenated = label.replace(/_/g, '-');
  for (const candidate of [PYTHON_CODEC_LABELS[hyphenated], hyphenated, label]) {
    if (candidate === undefined) continue;
    try {
      return { ok: true, text: new TextDecoder(candidate).decode(bytes) };
    } catch {
      // Not a label this runtime knows; try the next spelling.
    }
  }
  return { ...decodeUtf8(bytes), warning: `unknown source encoding '${label}'; read as UTF-8` };
}

function decodeUtf8(bytes: Uint8Array): { ok: true; text: string; warning?: string } {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    return { ok: true, text, warning: `not valid UTF-8 at byte ${firstInvalidUtf8Offset(bytes)} and no coding declaration; invalid bytes read as U+FFFD` };
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let offset = 0;
  while (offset < bytes.length) {
    const length = utf8SequenceLength(bytes, offset);
    if (length === 0) return offset;
    offset += length;
  }
  return offset;
}

function utf8SequenceLength(bytes: Uint8Array, offset: number): number {
  const lead = bytes[offset]!;
  const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
  for (let index = 1; index < length; index++) {
    const continuation = bytes[offset + index];
    if (continuation === undefined || (continuation & 0xc0) !== 0x80) return 0;
  }
  return length;
}
