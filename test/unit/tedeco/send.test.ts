// Sending through a TEDECO spool: the pair, its numbers (request, var2, var4 across a year change),
// --dry-run, and a pair completed after an interrupted run.
import { mkdtempSync } from 'node:fs';
import { link, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProtocolSession } from '../../../src/protocols/contract.js';
import { openRequestSide } from '../../../src/protocols/tedeco/protocol.js';
import { sendItem } from '../../contract/files.js';
import { createTedecoHarness, parseRequestText, type TedecoHarness } from '../../contract/tedeco-harness.js';
import { expectTransferError } from '../../contract/suite.js';

let h: TedecoHarness;
let scratch: string;

beforeEach(async () => {
  h = await createTedecoHarness({ side: 'request' });
  scratch = mkdtempSync(join(tmpdir(), 'ordo-tedeco-send-'));
});

afterEach(async () => {
  await h.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

function session(options: Record<string, unknown> = {}, extra: { dryRun?: boolean; now?: () => Date } = {}): ProtocolSession {
  return openRequestSide(h.context({ options, ...(extra.dryRun === undefined ? {} : { dryRun: extra.dryRun }) }), extra.now);
}

const records = (count: number, length = 10): Buffer => Buffer.from(`${'R'.repeat(length)}\r\n`.repeat(count));

async function counters(): Promise<Record<string, string>> {
  return JSON.parse(await readFile(join(h.root, 'counters.json'), 'utf8').catch(() => '{}')) as Record<string, string>;
}

describe('tedeco send', () => {
  it('writes fiNNNN then rqNNNN with the état civil variables', async () => {
    const s = session({ recordLength: 10, rfa: 'EC[annee][var2]' }, { now: () => new Date(2026, 1, 3) });
    const receipt = await s.send!(await sendItem(scratch, 'EC202601.txt', records(25)));
    expect(receipt).toEqual({ remoteId: 'rq0001.ECIVIL', state: 'acknowledged', detail: { data: 'fi0001.ECIVIL', rfa: 'EC20260001', var1: 25, var2: '0001' } });
    expect((await readdir(h.requests)).sort()).toEqual(['fi0001.ECIVIL', 'rq0001.ECIVIL']);
    expect(await readFile(join(h.requests, 'fi0001.ECIVIL'))).toEqual(records(25));
    const request = await readFile(join(h.requests, 'rq0001.ECIVIL'));
    expect(request.toString('latin1')).toBe(
      'format=ordo-tedeco-1\r\nrequest=0001\r\ndata=fi0001.ECIVIL\r\nalias=INSEE\r\nead=ECIVIL\r\ntype=etatcivil\r\nrfa=EC20260001\r\n' +
        'compression=LempelZiv\r\nrecordLength=10\r\nnomfic=EC202601.txt\r\nsize=300\r\nvar1=25\r\nvar2=0001\r\n',
    );
    expect(await counters()).toEqual({ 'tedeco.ECIVIL.request': '0001', 'tedeco.ECIVIL.VILLE.etatcivil': '0001' });
  });

  it('numbers every pair from the persistent counters, across sessions, never reusing one', async () => {
    await session().send!(await sendItem(scratch, 'a.txt', Buffer.from('a')));
    await session().send!(await sendItem(scratch, 'b.txt', Buffer.from('b')));
    const third = await session().send!(await sendItem(scratch, 'c.txt', Buffer.from('c')));
    expect(third.remoteId).toBe('rq0003.ECIVIL');
    expect((await h.pairs()).map((pair) => [pair.number, pair.fields.nomfic, pair.fields.var2])).toEqual([
      ['0001', 'a.txt', '0001'],
      ['0002', 'b.txt', '0002'],
      ['0003', 'c.txt', '0003'],
    ]);
  });

  it('keeps the width of a counter set by hand, and skips numbers already in the spool', async () => {
    await writeFile(join(h.root, 'counters.json'), '{"tedeco.ECIVIL.request": "000041"}');
    await writeFile(join(h.requests, 'RQ000042.ECIVIL'), 'someone else');
    await writeFile(join(h.requests, 'fi000042.ecivil'), 'someone else');
    const receipt = await session().send!(await sendItem(scratch, 'a.txt', Buffer.from('a')));
    expect(receipt.remoteId).toBe('rq000043.ECIVIL');
    expect(h.logged.map((line) => line.key)).toContain('protocol.tedeco.numberInUse');
  });

  it('elections: var3 is the reference year and var4 starts again at 0001 when the year changes', async () => {
    let now = new Date(2025, 11, 31, 23, 59);
    const s = session({ type: 'elections', rfa: 'EL[var3]-[var4]' }, { now: () => now });
    const send = async (name: string) => (await s.send!(await sendItem(scratch, name, Buffer.from(name)))).detail;
    expect(await send('LISTE.txt')).toMatchObject({ var3: 2025, var4: '0001', rfa: 'EL2025-0001' });
    expect(await send('LISTE.txt')).toMatchObject({ var3: 2025, var4: '0002' });
    now = new Date(2026, 0, 1, 0, 1);
    expect(await send('LISTE.txt')).toMatchObject({ var3: 2026, var4: '0001' });
    // A file that names its year belongs to that year's sequence.
    expect(await send('ELEC_2025_rectif.txt')).toMatchObject({ var3: 2025, var4: '0003' });
    expect(await send('ELEC20251.txt')).toMatchObject({ var3: 2026, var4: '0002' });
    expect((await h.pairs()).map((pair) => pair.number)).toEqual(['0001', '0002', '0003', '0004', '0005']);
    expect(await counters()).toEqual({
      'tedeco.ECIVIL.request': '0005',
      'tedeco.ECIVIL.VILLE.elections.2025': '0003',
      'tedeco.ECIVIL.VILLE.elections.2026': '0002',
    });
  });

  it('elections: the scenario may fix the year', async () => {
    const receipt = await session({ type: 'elections', year: '2024', rfa: '' }).send!(await sendItem(scratch, 'ELEC_2026.txt', Buffer.from('x')));
    expect(receipt.detail).toMatchObject({ var3: 2024, var4: '0001' });
    expect((await h.pairs())[0]!.fields).toMatchObject({ type: 'elections', var3: '2024', var4: '0001', rfa: '' });
  });

  it('refuses a file that is not whole records, before writing or numbering anything', async () => {
    const error = await session({ recordLength: 10 }).send!(await sendItem(scratch, 'EC.txt', Buffer.from('RRRRRRRRRR\r\nRRRR\r\n'))).catch((reason: unknown) => reason);
    const transfer = expectTransferError(error, 'permanent');
    expect(transfer.key).toBe('protocol.tedeco.partialRecord');
    expect(transfer.params).toMatchObject({ size: 18, separators: 4, payload: 14, recordLength: 10, records: 1, rest: 4 });
    expect(await readdir(h.requests)).toEqual([]);
    expect(await counters()).toEqual({});
  });

  it('--dry-run reads the file and tells the numbers, but writes nothing and takes no number', async () => {
    await session().send!(await sendItem(scratch, 'first.txt', Buffer.from('1')));
    const before = await readFile(join(h.root, 'counters.json'), 'utf8');
    const dry = session({}, { dryRun: true });
    const receipt = await dry.send!(await sendItem(scratch, 'second.txt', Buffer.from('2')));
    expect(receipt).toMatchObject({ remoteId: 'rq0002.ECIVIL', detail: { data: 'fi0002.ECIVIL', var2: '0002' } });
    // Successive files of one dry run get successive numbers, as they would for real.
    expect((await dry.send!(await sendItem(scratch, 'third.txt', Buffer.from('3')))).remoteId).toBe('rq0003.ECIVIL');
    expect(await readFile(join(h.root, 'counters.json'), 'utf8')).toBe(before);
    expect((await readdir(h.requests)).sort()).toEqual(['fi0001.ECIVIL', 'rq0001.ECIVIL']);
    const refused = await session({ recordLength: 10 }, { dryRun: true }).send!(await sendItem(scratch, 'bad.txt', Buffer.from('12\n3'))).catch((reason: unknown) => reason);
    expect(expectTransferError(refused, 'permanent').key).toBe('protocol.tedeco.partialRecord');
  });

  it('an interrupted run left the data without its request: the next send of that file completes the pair', async () => {
    const item = await sendItem(scratch, 'EC.txt', records(3));
    await writeFile(join(h.root, 'counters.json'), '{"tedeco.ECIVIL.request": "0007"}');
    await writeFile(join(h.requests, 'fi0007.ECIVIL'), records(3));
    await writeFile(join(h.requests, 'fi0006.ECIVIL'), records(4));
    // Killed between the hard link that published fi0007 and the removal of its temporary name.
    await link(join(h.requests, 'fi0007.ECIVIL'), join(h.requests, '.fi0007.ECIVIL.0123456789ab.ordo-part'));
    const s = session({ recordLength: 10 });
    expect(await s.verify!(item)).toBe('absent');
    const receipt = await s.send!(item);
    expect(receipt.remoteId).toBe('rq0007.ECIVIL');
    expect(parseRequestText(await readFile(join(h.requests, 'rq0007.ECIVIL')))).toMatchObject({ data: 'fi0007.ECIVIL', nomfic: 'EC.txt', var1: '3', var2: '0001' });
    expect(await s.verify!(item)).toBe('present');
    expect((await counters())['tedeco.ECIVIL.request']).toBe('0007');
    expect(h.logged.map((line) => line.key)).toContain('protocol.tedeco.completing');
    expect((await readdir(h.requests)).sort()).toEqual(['fi0006.ECIVIL', 'fi0007.ECIVIL', 'rq0007.ECIVIL']);
  });

  it('verify: present only for a complete pair naming the file with exactly its content', async () => {
    const s = session();
    const item = await sendItem(scratch, 'EC.txt', Buffer.from('content'));
    expect(await s.verify!(item)).toBe('absent');
    await s.send!(item);
    expect(await s.verify!(item)).toBe('present');
    expect(await s.verify!({ ...item, name: 'other.txt' })).toBe('absent');
    await rm(join(h.requests, 'fi0001.ECIVIL'));
    expect(await s.verify!(item)).toBe('absent');
  });

  it('refuses invalid settings when opening', () => {
    expect(() => session({ type: 'naissances' })).toThrow(expect.objectContaining({ key: 'protocol.tedeco.option.type', kind: 'permanent', connection: true }));
  });
});
