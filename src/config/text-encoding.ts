// Configuration files come from Notepad on old Windows servers as often as from modern editors:
// UTF-8 with or without BOM, UTF-16 with BOM ("Unicode" in Notepad), or Windows-1252 ("ANSI").

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

// Since Node 20.18.3 / 22.13.0, TextDecoder('windows-1252') decodes 0x80–0x9F as Latin-1 control
// characters (nodejs/node#56542, #60888): `’` (0x92), `œ` (0x9C) and `€` (0x80), common in French
// texts, would come out wrong. These are the Windows-1252 characters of that range (WHATWG index).
const C1_TO_WINDOWS_1252 = [
  '\u20ac', '\u0081', '\u201a', '\u0192', '\u201e', '\u2026', '\u2020', '\u2021',
  '\u02c6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008d', '\u017d', '\u008f',
  '\u0090', '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2013', '\u2014',
  '\u02dc', '\u2122', '\u0161', '\u203a', '\u0153', '\u009d', '\u017e', '\u0178',
];

function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252')
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (c) => C1_TO_WINDOWS_1252[c.charCodeAt(0) - 0x80] ?? c);
}
