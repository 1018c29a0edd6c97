// Windows-1252 ("ANSI"), the encoding the TEDECO / Gex400 agents read. Node can decode it but not
// encode it: Latin-1 maps one to one, and 0x80–0x9F hold the few characters below (WHATWG index).
const HIGH_BYTES: ReadonlyMap<string, number> = new Map([
  ['\u20ac', 0x80], ['\u201a', 0x82], ['\u0192', 0x83], ['\u201e', 0x84], ['\u2026', 0x85], ['\u2020', 0x86],
  ['\u2021', 0x87], ['\u02c6', 0x88], ['\u2030', 0x89], ['\u0160', 0x8a], ['\u2039', 0x8b], ['\u0152', 0x8c],
  ['\u017d', 0x8e], ['\u2018', 0x91], ['\u2019', 0x92], ['\u201c', 0x93], ['\u201d', 0x94], ['\u2022', 0x95],
  ['\u2013', 0x96], ['\u2014', 0x97], ['\u02dc', 0x98], ['\u2122', 0x99], ['\u0161', 0x9a], ['\u203a', 0x9b],
  ['\u0153', 0x9c], ['\u017e', 0x9e], ['\u0178', 0x9f],
]);

const REPLACEMENT = 0x3f; // '?'

function byteOf(char: string): number | undefined {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code;
  return HIGH_BYTES.get(char);
}

export interface Encoded {
  bytes: Buffer;
  /** Characters that have no Windows-1252 byte, written as `?`. */
  replaced: string[];
}

/** `text` in Windows-1252, after NFC normalisation (so that `e` + combining accent becomes `é`). */
export function encodeWindows1252(text: string): Encoded {
  const bytes: number[] = [];
  const replaced: string[] = [];
  for (const char of text.normalize('NFC')) {
    const byte = byteOf(char);
    if (byte === undefined) replaced.push(char);
    bytes.push(byte ?? REPLACEMENT);
  }
  return { bytes: Buffer.from(bytes), replaced };
}

/** The first character of `text` (after NFC normalisation) that Windows-1252 cannot hold, if any. */
export function firstUnencodable(text: string): string | undefined {
  return encodeWindows1252(text).replaced[0];
}
