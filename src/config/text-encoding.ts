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
