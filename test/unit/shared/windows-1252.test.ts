// The one Windows-1252 codec: legacy automate.ini files are read with it, TEDECO request files written.
import { describe, expect, it } from 'vitest';
import { decodeWindows1252, encodeWindows1252, firstUnencodable } from '../../../src/shared/windows-1252.js';

const UNASSIGNED = [0x81, 0x8d, 0x8f, 0x90, 0x9d];
const assignedBytes = Array.from({ length: 256 }, (_, byte) => byte).filter((byte) => !UNASSIGNED.includes(byte));

describe('Windows-1252', () => {
  it('reads the characters of 0x80–0x9F as Windows does, not as Latin-1 controls', () => {
    expect(decodeWindows1252(Buffer.from([0x6c, 0x92, 0x9c, 0x75, 0x76, 0x72, 0x65, 0x20, 0x80, 0x20, 0x96, 0x20, 0x85, 0xe9]))).toBe('l’œuvre € – …é');
  });

  it('reads an unassigned byte as the control character of the same number', () => {
    expect(decodeWindows1252(Buffer.from(UNASSIGNED))).toBe('\u0081\u008d\u008f\u0090\u009d');
  });

  it('writes back every assigned byte it reads', () => {
    const bytes = Buffer.from(assignedBytes);
    const { bytes: written, replaced } = encodeWindows1252(decodeWindows1252(bytes));
    expect(replaced).toEqual([]);
    expect(written).toEqual(bytes);
  });

  it('reads a view into a larger buffer from its own start', () => {
    const whole = Buffer.from([0x41, 0x80, 0x42]);
    expect(decodeWindows1252(whole.subarray(1, 2))).toBe('€');
  });

  it('writes ? for what it cannot hold, and says which characters', () => {
    expect(encodeWindows1252('a漢\u0081😀b')).toEqual({ bytes: Buffer.from('a???b', 'latin1'), replaced: ['漢', '\u0081', '😀'] });
    expect(firstUnencodable('Île – œ € 漢')).toBe('漢');
    expect(firstUnencodable('Île – œ €')).toBeUndefined();
  });

  it('normalises decomposed accents before encoding them', () => {
    expect(encodeWindows1252('e\u0301te\u0301').bytes).toEqual(Buffer.from([0xe9, 0x74, 0xe9]));
  });
});
