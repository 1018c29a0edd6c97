// var1: records counted from the record length, LF / CRLF separators excluded.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countRecords, SeparatorTally, tallyFile } from '../../../src/protocols/tedeco/records.js';

function count(text: string | Buffer, recordLength: number, chunkSize = Infinity) {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1');
  const tally = new SeparatorTally();
  for (let start = 0; start < bytes.length; start += chunkSize) tally.update(bytes.subarray(start, Math.min(bytes.length, start + chunkSize)));
  return countRecords(tally, recordLength);
}

describe('record counting', () => {
  it('LF-separated records, with and without a trailing separator', () => {
    expect(count('AAAA\nBBBB\nCCCC\n', 4)).toEqual({ whole: true, records: 3, payload: 12 });
    expect(count('AAAA\nBBBB\nCCCC', 4)).toEqual({ whole: true, records: 3, payload: 12 });
  });

  it('CRLF-separated records, with and without a trailing separator', () => {
    expect(count('AAAA\r\nBBBB\r\nCCCC\r\n', 4)).toEqual({ whole: true, records: 3, payload: 12 });
    expect(count('AAAA\r\nBBBB\r\nCCCC', 4)).toEqual({ whole: true, records: 3, payload: 12 });
  });

  it('records with no separator at all', () => {
    expect(count('AAAABBBBCCCC', 4)).toEqual({ whole: true, records: 3, payload: 12 });
  });

  it('a partial record is reported with what is left over', () => {
    expect(count('AAAA\r\nBBBB\r\nCC\r\n', 4)).toEqual({ whole: false, records: 2, payload: 10, rest: 2 });
    expect(count('AAAABBBBC', 4)).toEqual({ whole: false, records: 2, payload: 9, rest: 1 });
  });

  it('an empty file has no record', () => {
    expect(count('', 120)).toEqual({ whole: true, records: 0, payload: 0 });
  });

  it('a CR that is not before an LF is data', () => {
    expect(count('AB\rD\nEFGH\n', 4)).toEqual({ whole: true, records: 2, payload: 8 });
  });

  it('a CRLF split between two chunks counts once, as two bytes', () => {
    const text = 'AAAA\r\nBBBB\r\nCCCC\r\n';
    for (const chunkSize of [1, 2, 3, 5, 6, 7]) expect(count(text, 4, chunkSize), `chunks of ${chunkSize}`).toEqual({ whole: true, records: 3, payload: 12 });
  });

  it('counts a file on disk by streaming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ordo-records-'));
    try {
      const record = `${'X'.repeat(118)}\r\n`;
      const path = join(dir, 'EC.txt');
      await writeFile(path, record.repeat(5000));
      const tally = await tallyFile(path);
      expect(tally.size).toBe(120 * 5000);
      expect(countRecords(tally, 118)).toEqual({ whole: true, records: 5000, payload: 118 * 5000 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

