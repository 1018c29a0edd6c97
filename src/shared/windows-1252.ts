// Windows-1252 ("ANSI" on a French Windows), both ways: legacy automate.ini files are read in it, and
// the TEDECO / Gex400 agents read request files written in it. Node cannot encode it, and since Node
// 20.18.3 / 22.13.0 its TextDecoder('windows-1252') reads 0x80–0x9F as Latin-1 control characters
// (nodejs/node#56542, #60888): `’` (0x92), `œ` (0x9C), `€` (0x80) would come out wrong. Every other
// byte is Latin-1, one to one.

/** The characters of bytes 0x80–0x9F (WHATWG index); undefined for the five bytes 1252 leaves unassigned. */
const HIGH_CHARS: readonly (string | undefined)[] = [
  '\u20ac', undefined, '\u201a', '\u0192', '\u201e', '\u2026', '\u2020', '\u2021',
  '\u02c6', '\u2030', '\u0160', '\u2039', '\u0152', undefined, '\u017d', undefined,
  undefined, '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2013', '\u2014',
  '\u02dc', '\u2122', '\u0161', '\u203a', '\u0153', undefined, '\u017e', '\u0178',
];

const BYTE_OF_HIGH_CHAR: ReadonlyMap<string, number> = new Map(
  HIGH_CHARS.flatMap((char, index) => (char === undefined ? [] : [[char, 0x80 + index] as const])),
);

const REPLACEMENT = 0x3f; // '?'

/** An unassigned byte (0x81, 0x8D, 0x8F, 0x90, 0x9D) reads as the control character of the same number, as browsers read it. */
export function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => HIGH_CHARS[c.charCodeAt(0) - 0x80] ?? c);
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

function byteOf(char: string): number | undefined {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code;
  return BYTE_OF_HIGH_CHAR.get(char);
}
