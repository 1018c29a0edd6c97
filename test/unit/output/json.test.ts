// The --json document written in pieces is, byte for byte, the one JSON.stringify gives with the masking
// replacer (then escaped and ended by a line end), for any shape of document; and a large array is never
// one piece.
import { describe, expect, it } from 'vitest';
import { jsonPieces, jsonText, MappedRows } from '../../../src/output/json.js';
import { redactingReplacer, registerSecret } from '../../../src/shared/redact.js';

const UNESCAPED = /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/** What the document was before it was written in pieces: one JSON.stringify. */
function whole(value: unknown): string {
  const text = (JSON.stringify(value, redactingReplacer, 2) as string | undefined) ?? 'null';
  return `${text.replace(UNESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** A small seeded generator (mulberry32): the same documents on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['name', 'password', 'files', 'token', 'size', 'passphrase', 'why', 'apiKey', 'a b', 'é', '0'];
const STRINGS = ['', 'a.xml', 'ligne\nsuivante', 'tab\there', 'quote " and \\', 'del \u007f c1 \u009b', 'sep \u2028 \u2029', 'bidi \u202e \u2066', 'https://u:pw@h.example/x?token=t', 'le secret-de-test-json ici', '😀 é'];

function document(next: () => number, depth: number): unknown {
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;
  const roll = next();
  if (depth <= 0 || roll < 0.35) {
    return pick<unknown>([null, undefined, true, false, 0, -1.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY, pick(STRINGS), new Date(Date.UTC(2026, 11, 3)), () => 1, Symbol('s')]);
  }
  const size = Math.floor(next() * 5);
  if (roll < 0.65) return Array.from({ length: size }, () => document(next, depth - 1));
  const object: Record<string, unknown> = {};
  for (let n = 0; n < size; n++) object[pick(KEYS)] = document(next, depth - 1);
  return object;
}

describe('--json in pieces', () => {
  it('gives JSON.stringify’s document with the masking replacer, for 500 documents of every shape', () => {
    registerSecret('secret-de-test-json');
    const next = random(20261203);
    for (let n = 0; n < 500; n++) {
      const value = document(next, 5);
      expect(jsonText(value), JSON.stringify(value)).toBe(whole(value));
    }
  });

  it('the edge cases by name: empty containers, nothing at the top, toJSON, a secret key holding an object', () => {
    const cases: unknown[] = [
      {},
      [],
      { a: {}, b: [], c: [[]], d: [{}] },
      undefined,
      () => 1,
      'text',
      { when: new Date(0), list: [new Date(0), undefined, () => 1] },
      { password: { user: 'x', pass: 'y' }, token: [1, 2], apiKey: '', nested: [{ secret: 's', keep: 'k' }] },
      { custom: { toJSON: () => ({ password: 'p', shown: 'ok' }) } },
    ];
    for (const value of cases) expect(jsonText(value)).toBe(whole(value));
  });

  it('a scan of many files comes in pieces of a few hundred files, never as one text', () => {
    const files = Array.from({ length: 2000 }, (_, n) => ({ path: `/x/PES_${n}.xml`, size: n, ready: true }));
    const pieces = [...jsonPieces({ scenarios: [{ scenario: 'PES', files }] })];
    expect(pieces.join('')).toBe(whole({ scenarios: [{ scenario: 'PES', files }] }));
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(256 * 120);
  });

  it('mapped rows: the document of the mapped list, each row made only when its part is written', () => {
    const items = Array.from({ length: 1000 }, (_, n) => n);
    let made = 0;
    const rows = new MappedRows(items, (n) => {
      made += 1;
      return { n, password: `p${n}`, when: new Date(n) };
    });
    const document = { token: 'hidden', files: rows, after: [rows] };
    expect(jsonText(document)).toBe(whole(document));
    made = 0;
    const pieces = jsonPieces(document);
    for (let piece = pieces.next(); !piece.done && made === 0; piece = pieces.next()) {
      // Reading up to the first row.
    }
    expect(made).toBe(256);
  });
});
