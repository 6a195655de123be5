import { InputError } from './errors.js';

/** The text of a compose file with the byte-level traits that every edit must keep. */
export interface SourceText {
  /** The text without its byte order mark. Every offset in the tool refers to this string. */
  readonly text: string;
  readonly bom: boolean;
  /** The line ending used by the file, for inserted lines. */
  readonly eol: '\n' | '\r\n';
}

const BOM = '\uFEFF';
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The largest compose file read: real ones are kilobytes (the biggest of the corpus is under 100 KB), and a
 * file of tens of megabytes would take seconds and hundreds of megabytes to parse: refused at once instead.
 */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/** Decodes file bytes as UTF-8, refusing oversized files, binary data and invalid encodings with a position. */
export function decodeSource(bytes: Uint8Array): SourceText {
  if (bytes.length > MAX_SOURCE_BYTES) {
    throw new InputError(
      `the file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_SOURCE_BYTES / 1024 / 1024} MB compose-harden reads: is it the compose file? Split it with include: or extends: if it really is`,
      1,
      1,
    );
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const { line, column } = positionOfByte(bytes, nul);
    throw new InputError(
      'binary data (a NUL byte): this is not a text file; give the path of a compose YAML file',
      line,
      column,
    );
  }
  let raw: string;
  try {
    raw = UTF8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const { line, column } = positionOfByte(bytes, at);
    throw new InputError('invalid UTF-8: save the file as UTF-8 and try again', line, column);
  }
  return fromString(raw);
}

/** Builds a SourceText from an already decoded string (standard input, tests). */
export function fromString(raw: string): SourceText {
  const bom = raw.startsWith(BOM);
  const text = bom ? raw.slice(1) : raw;
  return { text, bom, eol: detectEol(text) };
}

/** Restores the byte order mark that decodeSource removed. */
export function encodeSource(source: SourceText, text: string): string {
  return source.bom ? BOM + text : text;
}

function detectEol(text: string): '\n' | '\r\n' {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

function positionOfByte(bytes: Uint8Array, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // Columns count characters, so count the UTF-8 lead bytes before the position.
  let column = 1;
  for (let i = lineStart; i < index; i++) if (((bytes[i] ?? 0) & 0xc0) !== 0x80) column++;
  return { line, column };
}

/** The offset of the first byte that starts an ill-formed UTF-8 sequence (Unicode Table 3-7). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const lo = k === 1 ? low : 0x80;
      const hi = k === 1 ? high : 0xbf;
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
