// Configuration files come from Notepad on old Windows servers as often as from modern editors:
// UTF-8 with or without BOM, UTF-16 with BOM ("Unicode" in Notepad), or Windows-1252 ("ANSI").
import { decodeWindows1252 } from '../shared/windows-1252.js';

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  /** How the bytes were read, so that a writer can write the same way. */
  encoding: TextEncodingName;
}

/** Valid UTF-8 is UTF-8; a UTF-16 BOM means UTF-16; anything else is Windows-1252. */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: hasBom ? 'utf-8-bom' : 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

/** Control characters no text editor writes (tab, line ends, form feed and vertical tab are text). */
const NOT_TEXT = /[\u0000-\u0008\u000e-\u001f\u007f]/;
/** The five bytes Windows-1252 leaves unassigned. */
const UNASSIGNED_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/**
 * Where `bytes` stop being text, if they do: a NUL or another control byte (an image, an archive, a
 * `.docx`…), or, in a file that is not UTF-8, a byte Windows-1252 has no character for.
 */
export function firstNonTextByte(bytes: Uint8Array, decoded: DecodedText): { offset: number; byte: number } | undefined {
  if (decoded.encoding === 'utf-16le' || decoded.encoding === 'utf-16be') {
    const index = decoded.text.search(NOT_TEXT);
    if (index < 0) return undefined;
    const offset = 2 + index * 2;
    return { offset, byte: bytes[decoded.encoding === 'utf-16le' ? offset : offset + 1] ?? 0 };
  }
  for (let offset = 0; offset < bytes.length; offset++) {
    const byte = bytes[offset] ?? 0;
    if (isControlByte(byte)) return { offset, byte };
    if (decoded.encoding === 'windows-1252' && UNASSIGNED_1252.has(byte)) return { offset, byte };
  }
  return undefined;
}

function isControlByte(byte: number): boolean {
  return byte <= 0x08 || (byte >= 0x0e && byte <= 0x1f) || byte === 0x7f;
}
