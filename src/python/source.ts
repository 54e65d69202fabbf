/** Turning the bytes of a source file into text the way Python would (PEP 263), or saying why not. */

export type DecodedSource =
  | { ok: true; text: string; warning?: string }
  /** `blocking`: Python would run the file but csrflint cannot read it, so the scan must not pass. */
  | { ok: false; reason: string; blocking?: true };

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const BINARY_SNIFF_BYTES = 8000;

/** PEP 263: the declaration must be a comment on line 1 or 2 matching this pattern. */
const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

export const BINARY_FILE = 'binary file (contains NUL bytes); skipped';

/**
 * Line endings are normalised as Python reads them: a lone `\r` ends a line for Python but not for
 * tree-sitter, so `# note\r@csrf_exempt` would hide a decorator in a comment. It becomes `\n`, one
 * character for one, so every offset stays where it was and line numbers are Python's.
 */
export function decodeSource(bytes: Uint8Array): DecodedSource {
  const decoded = decodeBytes(bytes);
  return decoded.ok ? { ...decoded, text: withPythonLineBreaks(decoded.text) } : decoded;
}

/** A lone `\r` made `\n`, one character for one: the text's lines are then Python's, its offsets unchanged. */
export function withPythonLineBreaks(text: string): string {
  return text.replace(/\r(?!\n)/g, '\n');
}

function decodeBytes(bytes: Uint8Array): DecodedSource {
  if (looksBinary(bytes)) return { ok: false, reason: BINARY_FILE };
  const hasBom = UTF8_BOM.every((byte, index) => bytes[index] === byte);
  const body = hasBom ? bytes.subarray(UTF8_BOM.length) : bytes;
  const declared = declaredEncoding(body);
  if (hasBom && declared && !isUtf8Label(declared)) return { ok: false, reason: `a UTF-8 byte order mark and a coding declaration of '${declared}'; Python refuses the file; skipped` };
  if (declared && !isUtf8Label(declared)) return decodeDeclared(body, declared);
  return decodeUtf8(body);
}

/**
 * Whether the file declares an encoding other than UTF-8: its bytes may then spell words
 * differently from their text (UTF-7 writes `@` as `+AEA-`), so no byte search can pass it over.
 */
export function declaresOtherEncoding(bytes: Uint8Array): boolean {
  const declared = declaredEncoding(bytes);
  return declared !== undefined && !isUtf8Label(declared);
}

/** NUL bytes in the first few kilobytes: no source file has them. */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  for (let index = 0; index < end; index++) {
    if (bytes[index] === 0) return true;
  }
  return false;
}

/** The cookie as Python finds it: on line 1, or on line 2 after a comment or blank line 1, however long. */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  let start = 0;
  for (let lineNumber = 1; lineNumber <= 2 && start < bytes.length; lineNumber++) {
    const end = endOfLine(bytes, start);
    const line = new TextDecoder('latin1').decode(bytes.subarray(start, end));
    const match = CODING_COOKIE.exec(line);
    if (match?.[1]) return normalisedCodecName(match[1]);
    if (!/^[ \t\f]*(#|$)/.test(line)) return undefined;
    start = bytes[end] === 0x0d && bytes[end + 1] === 0x0a ? end + 2 : end + 1;
  }
  return undefined;
}

/**
 * The name as Python's codec lookup reads it (`encodings.normalize_encoding`): lower case, each run of
 * characters other than letters, digits and `.` one `_`, none at either end; so `utf--8` is UTF-8.
 */
function normalisedCodecName(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9.]+/g, '_').replace(/^_|_$/g, '');
}

function endOfLine(bytes: Uint8Array, start: number): number {
  for (let index = start; index < bytes.length; index++) {
    if (bytes[index] === 0x0a || bytes[index] === 0x0d) return index;
  }
  return bytes.length;
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

const UTF7_LABELS = new Set(['utf-7', 'utf7', 'u7', 'unicode-1-1-utf-7', 'csunicode11utf7']);

function decodeDeclared(bytes: Uint8Array, label: string): DecodedSource {
  const hyphenated = label.replace(/_/g, '-');
  if (UTF7_LABELS.has(hyphenated)) return decodeUtf7(bytes);
  for (const candidate of [PYTHON_CODEC_LABELS[hyphenated], hyphenated, label]) {
    if (candidate === undefined) continue;
    try {
      return { ok: true, text: new TextDecoder(candidate).decode(bytes) };
    } catch {
      // Not a label this runtime knows; try the next spelling.
    }
  }
  // Read as anything else, the file could say what it likes to Python and something harmless to us.
  return { ok: false, reason: `declares the source encoding '${label}', which csrflint cannot decode; its code was not checked`, blocking: true };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * UTF-7 (RFC 2152), which Python decodes and `TextDecoder` does not: `+` opens base64 of UTF-16
 * code units, closed by any other character (a `-` is absorbed); `+-` is a `+`.
 */
function decodeUtf7(bytes: Uint8Array): DecodedSource {
  const text = new TextDecoder('latin1').decode(bytes);
  let decoded = '';
  let index = 0;
  while (index < text.length) {
    const character = text[index]!;
    index++;
    if (character !== '+') {
      decoded += character;
      continue;
    }
    let bits = 0;
    let bitCount = 0;
    const units: number[] = [];
    for (let value = BASE64.indexOf(text[index] ?? ''); value >= 0; value = BASE64.indexOf(text[index] ?? '')) {
      bits = ((bits << 6) | value) & 0xffffff;
      bitCount += 6;
      if (bitCount >= 16) {
        bitCount -= 16;
        units.push((bits >> bitCount) & 0xffff);
      }
      index++;
    }
    if (units.length === 0 && text[index] === '-') decoded += '+';
    else for (const unit of units) decoded += String.fromCharCode(unit);
    if (text[index] === '-') index++;
  }
  return { ok: true, text: decoded };
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
