import { posix, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FALLBACK_NAME, MAX_NAME_BYTES, safeLocalName } from '../../../src/naming/index.js';
import { HOSTILE_NAMES } from './hostile-names.js';

const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** Every rule of docs/naming.md, "Safe local names". */
function expectPlainFileName(result: string): void {
  expect(result.length).toBeGreaterThan(0);
  expect(result).not.toMatch(/[/\\]/);
  expect(result).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  expect(result).not.toMatch(/[<>:"|?*]/);
  expect(result).not.toMatch(/^[. ]/);
  expect(result).not.toMatch(/^-/);
  expect(result).not.toMatch(/[. ]$/);
  expect(result).not.toMatch(/[\u202a-\u202e\u2066-\u2069\ufeff]/);
  expect(RESERVED.test((result.split('.')[0] ?? '').trimEnd())).toBe(false);
  expect(Buffer.byteLength(result, 'utf8')).toBeLessThanOrEqual(MAX_NAME_BYTES);
  expect(result.normalize('NFC')).toBe(result);
  expect(result).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  for (const path of [posix, win32]) {
    const dir = path === posix ? '/srv/ordo/recus/VILLE' : 'C:\\taskauto\\recus\\VILLE';
    const target = path.resolve(dir, result);
    expect(path.dirname(target)).toBe(dir);
    expect(path.basename(target)).toBe(result);
  }
}

describe('safeLocalName — hostile names corpus', () => {
  it('has at least 40 names', () => {
    expect(HOSTILE_NAMES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(HOSTILE_NAMES)('%j → %j', (input, expected) => {
    const result = safeLocalName(input);
    expect(result).toBe(expected);
    expectPlainFileName(result);
    expect(safeLocalName(result)).toBe(result);
  });
});

describe('safeLocalName — names a script would read as options', () => {
  it.each([
    ['-rf', '_-rf'],
    ['--help.xml', '_--help.xml'],
    ['.-rf', '_-rf'],
    [' -n', '_-n'],
    ['../-rf', '_-rf'],
    ['\u202E-x.txt', '_-x.txt'],
    ['a-b.xml', 'a-b.xml'],
  ])('%j → %j', (input, expected) => {
    const result = safeLocalName(input);
    expect(result).toBe(expected);
    expectPlainFileName(result);
    expect(safeLocalName(result)).toBe(result);
  });

  it('never starts with "-", even once shortened', () => {
    const result = safeLocalName(`-${'a'.repeat(400)}.xml`);
    expect(result.startsWith('_-')).toBe(true);
    expect(result.endsWith('.xml')).toBe(true);
    expectPlainFileName(result);
  });
});

describe('safeLocalName — long names', () => {
  it('keeps the extension when shortening', () => {
    const result = safeLocalName(`${'a'.repeat(400)}.xml`);
    expect(Buffer.byteLength(result)).toBe(MAX_NAME_BYTES);
    expect(result.endsWith('.xml')).toBe(true);
  });

  it('never cuts a multi-byte character or an emoji in half', () => {
    const result = safeLocalName(`${'é'.repeat(200)}.pdf`);
    expect(result).toBe(`${'é'.repeat(125)}.pdf`);
    const emoji = safeLocalName(`${'👍🏽'.repeat(40)}.txt`);
    expect(emoji.endsWith('.txt')).toBe(true);
    expect(emoji.replace('.txt', '')).toMatch(/^(👍🏽)+$/u);
  });

  it('does not keep an absurdly long "extension"', () => {
    const result = safeLocalName(`a.${'b'.repeat(300)}`);
    expect(Buffer.byteLength(result)).toBe(MAX_NAME_BYTES);
    expect(result.startsWith('a.b')).toBe(true);
  });

  it('cuts inside one enormous character cluster rather than returning nothing', () => {
    const result = safeLocalName(`e${'\u0301'.repeat(300)}`);
    expect(result.startsWith('é')).toBe(true);
    expectPlainFileName(result);
  });

  it('removes dots and spaces left at the end by the cut', () => {
    const result = safeLocalName(`${'a'.repeat(250)}     ${'b'.repeat(20)}`);
    expect(result).toBe('a'.repeat(250));
  });

  it('uses the documented fallback for names with nothing left', () => {
    expect(FALLBACK_NAME).toBe('fichier');
    for (const input of ['', '.', '..', '...', ' ', '/', '\\', '\u0000', '\u202e', './..']) {
      expect(safeLocalName(input)).toBe(FALLBACK_NAME);
    }
  });
});

describe('safeLocalName — property: any input gives a plain file name inside the target folder', () => {
  const pools: string[][] = [
    'abcXYZ019-_~'.split(''),
    ['.', '..', '/', '\\', ':', '*', '?', '"', '<', '>', '|', ' ', '%'],
    ['\u0000', '\u0001', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009f'],
    ['é', 'e\u0301', 'ï', 'Å', 'A\u030a', '漢', 'ش', '😀', '👍🏽', '\u0301', '\u00a0', 'ß'],
    ['\u202e', '\u2066', '\ufeff', '\u200e', '\ud800', '\udc00', '\uff0f', '\uff3c', '\u2215', '\uff1a'],
    ['CON', 'nul', 'com1', 'LPT9', 'aux', 'C:', '.txt', '.xml', 'COM¹', 'CONIN$'],
  ];

  it('holds for 5000 seeded random names', () => {
    const random = mulberry32(0x0bd0);
    for (let i = 0; i < 5000; i++) {
      const length = Math.floor(random() * (random() < 0.1 ? 400 : 30));
      let input = '';
      for (let j = 0; j < length; j++) {
        const pool = pools[Math.floor(random() * pools.length)] ?? [];
        input += pool[Math.floor(random() * pool.length)] ?? '';
      }
      const result = safeLocalName(input);
      try {
        expectPlainFileName(result);
        expect(safeLocalName(result)).toBe(result);
      } catch (error) {
        throw new Error(`input ${JSON.stringify(input)} → ${JSON.stringify(result)}: ${(error as Error).message}`);
      }
    }
  });
});

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
