// `ordo tedeco-request` in the engine: the send pipeline of a tedeco scenario (backup, journal,
// duplicates), and --dry-run that writes nothing and takes no number.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/core/journal.js';
import { tedecoRequest } from '../../../src/core/tedeco-request.js';
import { scenario, workspace, type Workspace } from '../../helpers/workspace.js';

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());

function tedecoWorkspace(): Workspace & { requests: string } {
  const w = workspace((dir) => {
    const { source: _source, ...tedeco } = scenario('INSEE_EC', dir, { protocol: 'tedeco', options: { type: 'etatcivil', recordLength: 4, rfa: 'EC[var2]' } });
    return [tedeco, scenario('PES', dir)];
  });
  w.config.profiles.VILLE!.protocols.tedeco = { spool: join(w.dir, 'tedeco'), alias: 'INSEE', ead: 'ECIVIL' };
  const requests = join(w.dir, 'tedeco', 'ead', 'ECIVIL');
  mkdirSync(requests, { recursive: true });
  return Object.assign(w, { requests });
}

async function request(w: Workspace, file: string, options: { dryRun?: boolean; scenario?: string } = {}) {
  const engine = w.engine({ dryRun: options.dryRun ?? false });
  try {
    return await tedecoRequest(engine, { scenario: options.scenario ?? 'insee_ec', file });
  } finally {
    await engine.close();
  }
}

describe('tedeco-request', () => {
  it('goes through the send pipeline: the pair written, backed up, journaled; the same content again is a duplicate', async () => {
    const w = tedecoWorkspace();
    ws = w;
    const file = w.write(join(w.dir, 'exports'), 'EC202412.txt', 'AAAA\r\nBBBB\r\n');
    const result = await request(w, file);
    expect(result.exitCode).toBe(0);
    expect(result.files).toMatchObject([{ scenario: 'INSEE_EC', name: 'EC202412.txt', status: 'sent', remoteId: 'rq0001.ECIVIL' }]);
    expect(readdirSync(w.requests).sort()).toEqual(['fi0001.ECIVIL', 'rq0001.ECIVIL']);
    expect(readFileSync(join(w.requests, 'rq0001.ECIVIL'), 'latin1')).toContain('nomfic=EC202412.txt\r\nsize=12\r\nvar1=2\r\nvar2=0001\r\n');
    expect(readFileSync(join(w.root, 'backup', 'INSEE_EC', 'EC202412.txt'), 'utf8')).toBe('AAAA\r\nBBBB\r\n');
    expect((await readJournal(w.root)).map((e) => [e.state, e.remoteId])).toEqual([
      ['sending', undefined],
      ['sent', 'rq0001.ECIVIL'],
    ]);
    const again = w.write(join(w.dir, 'exports'), 'EC202412.txt', 'AAAA\r\nBBBB\r\n');
    expect((await request(w, again)).files).toMatchObject([{ status: 'duplicate' }]);
    expect(readdirSync(w.requests)).toHaveLength(2);
  });

  it('--dry-run names the request the file would get, and writes nothing at all', async () => {
    const w = tedecoWorkspace();
    ws = w;
    const file = w.write(join(w.dir, 'exports'), 'EC.txt', 'AAAA\nBBBB\n');
    const result = await request(w, file, { dryRun: true });
    expect(result.exitCode).toBe(0);
    expect(result.files).toMatchObject([{ name: 'EC.txt', status: 'would-send', remoteId: 'rq0001.ECIVIL' }]);
    expect(readdirSync(w.requests)).toEqual([]);
    expect(existsSync(file)).toBe(true);
    expect(existsSync(join(w.root, 'counters.json'))).toBe(false);
    expect(readdirSync(w.root)).toEqual([]);
  });

  it('--dry-run already says when the file is not whole records', async () => {
    const w = tedecoWorkspace();
    ws = w;
    const file = w.write(join(w.dir, 'exports'), 'EC.txt', 'AAAA\nBB\n');
    const result = await request(w, file, { dryRun: true });
    expect(result.exitCode).toBe(1);
    expect(result.files).toMatchObject([{ status: 'failed', reason: expect.stringContaining('4') }]);
    expect(readdirSync(w.requests)).toEqual([]);
  });

  it('refuses a scenario that is not a tedeco one, or that does not exist', async () => {
    const w = tedecoWorkspace();
    ws = w;
    const file = w.write(join(w.dir, 'exports'), 'EC.txt', 'AAAA');
    await expect(request(w, file, { scenario: 'PES' })).rejects.toMatchObject({ key: 'protocol.tedeco.request.notTedeco', exitCode: 2 });
    await expect(request(w, file, { scenario: 'NOPE' })).rejects.toMatchObject({ key: 'engine.unknownScenario', exitCode: 2 });
    expect(existsSync(file)).toBe(true);
  });
});
