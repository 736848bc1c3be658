import { InputError } from '../errors.js';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes an input file's bytes as UTF-8. A UTF-8 byte order mark (what Windows tools often
 * write) is dropped. UTF-16 — what PowerShell 5's `Out-File` and `>` write — is named as such
 * instead of surfacing as malformed JSON. Invalid UTF-8 is refused with its byte offset: decoded
 * leniently it would become U+FFFD, be stored in a baseline and show as drift forever.
 *
 * @example
 * decodeUtf8Input(readFileSync('current.json'), 'current.json')
 */
export function decodeUtf8Input(bytes: Uint8Array, label: string): string {
  const utf16 = utf16Kind(bytes);
  if (utf16) {
    throw new InputError(
      'input.utf16',
      `${label}: file is UTF-16 (${utf16}); save it as UTF-8 (PowerShell: Set-Content -Encoding utf8, or Out-File -Encoding utf8)`,
      { details: { source: label, encoding: `utf-16${utf16 === 'little-endian' ? 'le' : 'be'}` } },
    );
  }
  try {
    return strict.decode(bytes);
  } catch {
    const offset = invalidUtf8Offset(bytes);
    const { line, column } = lineColumnOfByte(bytes, offset);
    throw new InputError(
      'input.invalid-utf8',
      `${label}:${line}:${column}: invalid UTF-8 at byte ${offset}; driftwatch reads UTF-8 text (re-export the file as UTF-8)`,
      { details: { source: label, byteOffset: offset, line, column } },
    );
  }
}

/**
 * UTF-16 by its byte order mark, or — JSON, YAML and driftignore text start with ASCII — by a
 * zero byte beside the first character.
 */
function utf16Kind(bytes: Uint8Array): 'little-endian' | 'big-endian' | undefined {
  const [a, b] = bytes;
  if (a === 0xff && b === 0xfe) return 'little-endian';
  if (a === 0xfe && b === 0xff) return 'big-endian';
  if (bytes.length >= 2 && a !== 0 && b === 0) return 'little-endian';
  if (bytes.length >= 2 && a === 0 && b !== 0) return 'big-endian';
  return undefined;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629). */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte → sequence length and the allowed range of the second byte (no overlongs, no
    // surrogates, nothing past U+10FFFF).
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return bytes.length;
}

/** 1-based line and column (in characters, counting each UTF-8 sequence once) of a byte offset. */
function lineColumnOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === 0x0a) {
      line++;
      column = 1;
    } else if ((b & 0xc0) !== 0x80) column++;
  }
  return { line, column };
}
