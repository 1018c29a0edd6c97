// The random parts of names, taken from a pool: the right length, hex, and no two alike across refills.
import { describe, expect, it } from 'vitest';
import { randomHex } from '../../../src/shared/random-hex.js';

describe('randomHex', () => {
  it.each([1, 3, 4, 6, 16])('%i bytes give that many pairs of hex digits', (bytes) => {
    expect(randomHex(bytes)).toMatch(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
  });

  it('no two alike in 20 000 draws of 6 bytes (the pool refilled some thirty times)', () => {
    const drawn = new Set<string>();
    for (let index = 0; index < 20_000; index += 1) drawn.add(randomHex(6));
    expect(drawn.size).toBe(20_000);
  });

  it('a draw larger than the pool is served whole', () => {
    const big = randomHex(10_000);
    expect(big).toMatch(/^[0-9a-f]{20000}$/);
    const pieces = big.match(/.{16}/g) ?? [];
    expect(new Set(pieces).size).toBe(big.length / 16);
  });

  it('draws that straddle a refill are not cut or repeated', () => {
    const parts: string[] = [];
    for (let index = 0; index < 2_000; index += 1) parts.push(randomHex(7));
    expect(parts.every((part) => /^[0-9a-f]{14}$/.test(part))).toBe(true);
    expect(new Set(parts).size).toBe(parts.length);
  });
});
