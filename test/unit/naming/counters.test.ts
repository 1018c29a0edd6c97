import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Counters } from '../../../src/config/model.js';
import { OrdoError } from '../../../src/shared/errors.js';
import { dryRunCounters, nextCounterValue, openCounterStore, readIniCounter } from '../../../src/naming/index.js';
import { cp1252, legacyAutomateIni } from '../../helpers/automate-ini.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ordo-counters-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function iniStore(file = join(dir, 'automate.ini')) {
  return openCounterStore({ root: join(dir, 'data'), counters: { kind: 'ini', path: file } });
}

describe('nextCounterValue: the stored value is the last number used', () => {
  const cases: Array<[stored: string | undefined, value: string, widened: boolean]> = [
    [undefined, '0001', false],
    ['', '0001', false],
    ['0000', '0001', false],
    ['0001', '0002', false],
    ['0009', '0010', false],
    ['0999', '1000', false],
    ['9999', '10000', true],
    ['99', '100', true],
    ['7', '8', false],
    ['000000041', '000000042', false],
    ['99999999999999999999', '100000000000000000000', true],
  ];
  it.each(cases)('%j → %j', (stored, value, widened) => {
    expect(nextCounterValue(stored)).toEqual({ value, widened });
  });
});

describe('automate.ini counter', () => {
  it('keeps every other byte of a Windows-1252 CRLF file after 100 increments', async () => {
    const file = join(dir, 'automate.ini');
    await writeFile(file, legacyAutomateIni('0001'));
    const store = iniStore(file);
    const values: string[] = [];
    for (let i = 0; i < 100; i++) values.push((await store.next('numrec')).value);
    expect(values[0]).toBe('0002');
    expect(values[99]).toBe('0101');
    const bytes = await readFile(file);
    expect(bytes.equals(legacyAutomateIni('0101'))).toBe(true);
    expect(new TextDecoder('windows-1252').decode(bytes)).toContain('libellé=Chaîne spéciale éèàç\r\n');
    expect((await readdir(dir)).sort()).toEqual(['automate.ini', 'data']);
  });

  it('saves before use: the file holds the value as soon as next() resolves', async () => {
    const file = join(dir, 'automate.ini');
    await writeFile(file, 'numrec=9\n[DIR:REC]\nnumrec=0041\n');
    const value = await iniStore(file).next('numrec');
    expect(value.value).toBe('0042');
    expect(await readFile(file, 'utf8')).toBe('numrec=9\n[DIR:REC]\nnumrec=0042\n');
  });

  it('widens 9999 to 10000 and keeps the new width', async () => {
    const file = join(dir, 'automate.ini');
    await writeFile(file, '[DIR:REC]\r\nnumrec=9999\r\n');
    const store = iniStore(file);
    expect(await store.next('numrec')).toEqual({ value: '10000', widened: true });
    expect(await store.next('numrec')).toEqual({ value: '10001', widened: false });
    expect(await readFile(file, 'utf8')).toBe('[DIR:REC]\r\nnumrec=10001\r\n');
  });

  const layouts: Array<[label: string, before: string, after: string]> = [
    ['UTF-8 with BOM, LF, lower-case section', '\uFEFF[dir:rec]\nnumrec=0007\n', '\uFEFF[dir:rec]\nnumrec=0008\n'],
    ['section first line with BOM', '\uFEFF[DIR:REC]\r\nnumrec=0001', '\uFEFF[DIR:REC]\r\nnumrec=0002'],
    ['spaces and tabs around', '[ DIR:REC ]\n\t numrec \t=  0001 \n', '[ DIR:REC ]\n\t numrec \t=  0002 \n'],
    ['quoted value', '[DIR:REC]\nnumrec="0001"\n', '[DIR:REC]\nnumrec="0002"\n'],
    ['inline # comment', '[DIR:REC]\nnumrec=0001#last\n', '[DIR:REC]\nnumrec=0002#last\n'],
    ['empty value', '[DIR:REC]\r\nnumrec=\r\n', '[DIR:REC]\r\nnumrec=0001\r\n'],
    ['the later of two keys wins', '[DIR:REC]\nnumrec=0005\nnumrec=0009\n', '[DIR:REC]\nnumrec=0005\nnumrec=0010\n'],
    ['key missing: added under the section (CRLF)', '[a]\r\nx=1\r\n[DIR:REC]\r\n; c\r\n', '[a]\r\nx=1\r\n[DIR:REC]\r\nnumrec=0001\r\n; c\r\n'],
    ['key missing, section last without newline', '[a]\nx=1\n[DIR:REC]', '[a]\nx=1\n[DIR:REC]\nnumrec=0001'],
    ['section missing (CRLF)', '[a]\r\nx=1\r\n', '[a]\r\nx=1\r\n[DIR:REC]\r\nnumrec=0001\r\n'],
    ['section missing, no final newline (LF)', '[a]\nx=1', '[a]\nx=1\n[DIR:REC]\nnumrec=0001\n'],
    ['a commented-out key does not count', '[DIR:REC]\n;numrec=0050\n', '[DIR:REC]\nnumrec=0001\n;numrec=0050\n'],
  ];

  it.each(layouts)('%s', async (_label, before, after) => {
    const file = join(dir, 'automate.ini');
    await writeFile(file, before);
    await iniStore(file).next('numrec');
    expect(await readFile(file, 'utf8')).toBe(after);
  });

  it('appends to an empty file with the system line ending', () => {
    const counter = readIniCounter(Buffer.alloc(0), 'automate.ini');
    expect(counter.lastUsed).toBeUndefined();
    expect(counter.withValue('0001').toString('latin1')).toMatch(/^\[DIR:REC\]\r?\nnumrec=0001\r?\n$/);
  });

  it('does not touch Windows-1252 bytes that are not valid UTF-8', () => {
    const bytes = cp1252('[DIR:REC]\r\n; é—€\r\nnumrec=0001\r\nclé=été\r\n');
    const updated = readIniCounter(bytes, 'automate.ini').withValue('0002');
    expect(updated.equals(cp1252('[DIR:REC]\r\n; é—€\r\nnumrec=0002\r\nclé=été\r\n'))).toBe(true);
  });

  it.each(['numrec=abc', 'numrec=12a', 'numrec=-3', 'numrec=1 2'])('rejects %s as a configuration error', async (line) => {
    const file = join(dir, 'automate.ini');
    await writeFile(file, `[DIR:REC]\n${line}\n`);
    const error = await iniStore(file).next('numrec').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrdoError);
    expect((error as OrdoError).key).toBe('naming.counter.invalid');
    expect((error as OrdoError).exitCode).toBe(3);
    expect(await readFile(file, 'utf8')).toBe(`[DIR:REC]\n${line}\n`);
  });

  it('refuses a UTF-16 file rather than damaging it', async () => {
    const file = join(dir, 'automate.ini');
    await writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[DIR:REC]\r\nnumrec=0001\r\n', 'utf16le')]));
    await expect(iniStore(file).next('numrec')).rejects.toMatchObject({ key: 'naming.counter.encoding', exitCode: 3 });
  });

  it('reports a missing automate.ini', async () => {
    await expect(iniStore(join(dir, 'absent.ini')).next('numrec')).rejects.toMatchObject({
      key: 'naming.counter.missingFile',
      exitCode: 3,
    });
  });

  it('peek gives what next would give, and writes nothing', async () => {
    const file = join(dir, 'automate.ini');
    await writeFile(file, legacyAutomateIni('0041'));
    const store = iniStore(file);
    expect(await store.peek('numrec')).toEqual({ value: '0042', widened: false });
    expect(await store.peek('numrec')).toEqual({ value: '0042', widened: false });
    expect((await readFile(file)).equals(legacyAutomateIni('0041'))).toBe(true);
    expect(await store.next('numrec')).toEqual({ value: '0042', widened: false });
  });

  it('keeps other counters in <root>/counters.json, not in the ini', async () => {
    const file = join(dir, 'automate.ini');
    await writeFile(file, legacyAutomateIni('0001'));
    const store = iniStore(file);
    expect((await store.next('tedeco.request')).value).toBe('0001');
    expect((await store.next('tedeco.request')).value).toBe('0002');
    expect((await readFile(file)).equals(legacyAutomateIni('0001'))).toBe(true);
    expect(JSON.parse(await readFile(join(dir, 'data', 'counters.json'), 'utf8'))).toEqual({ 'tedeco.request': '0002' });
  });
});

describe('counters file (JSON/YAML configurations)', () => {
  function fileStore(counters: Counters = { kind: 'file', path: join(dir, 'data', 'counters.json') }) {
    return openCounterStore({ root: join(dir, 'data'), counters });
  }

  it('creates the file, starts at 0001 and keeps every counter', async () => {
    const store = fileStore();
    expect(await store.next('numrec')).toEqual({ value: '0001', widened: false });
    expect(await store.next('numrec')).toEqual({ value: '0002', widened: false });
    expect(await store.next('tedeco.elections.2026')).toEqual({ value: '0001', widened: false });
    expect(JSON.parse(await readFile(join(dir, 'data', 'counters.json'), 'utf8'))).toEqual({
      numrec: '0002',
      'tedeco.elections.2026': '0001',
    });
    expect(await readdir(join(dir, 'data'))).toEqual(expect.arrayContaining(['counters.json']));
    expect((await readdir(join(dir, 'data'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the stored width and accepts a hand-written number', async () => {
    await writeFile(join(dir, 'counters.json'), '{ "numrec": "000099", "tedeco.request": 41 }');
    const store = fileStore({ kind: 'file', path: join(dir, 'counters.json') });
    expect((await store.next('numrec')).value).toBe('000100');
    expect((await store.next('tedeco.request')).value).toBe('42');
  });

  it.each([
    ['not JSON', '{ numrec: 1 ', 'naming.counter.unreadable'],
    ['an array', '["0001"]', 'naming.counter.unreadable'],
    ['a non-digit value', '{ "numrec": "A12" }', 'naming.counter.invalid'],
    ['a negative number', '{ "numrec": -1 }', 'naming.counter.invalid'],
  ])('rejects %s', async (_label, text, key) => {
    await writeFile(join(dir, 'counters.json'), text);
    const store = fileStore({ kind: 'file', path: join(dir, 'counters.json') });
    await expect(store.next('numrec')).rejects.toMatchObject({ key, exitCode: 3 });
    expect(await readFile(join(dir, 'counters.json'), 'utf8')).toBe(text);
  });

  it('dry-run counters simulate successive numbers and write nothing', async () => {
    await writeFile(join(dir, 'counters.json'), '{ "numrec": "9998" }');
    const store = fileStore({ kind: 'file', path: join(dir, 'counters.json') });
    const dry = dryRunCounters(store);
    expect(await dry.peek('numrec')).toEqual({ value: '9999', widened: false });
    expect(await dry.next('numrec')).toEqual({ value: '10000', widened: true });
    expect(await dry.peek('other')).toEqual({ value: '0001', widened: false });
    expect(await readFile(join(dir, 'counters.json'), 'utf8')).toBe('{ "numrec": "9998" }');
    expect((await store.peek('numrec')).value).toBe('9999');
  });
});
