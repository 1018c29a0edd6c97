// The registered `tedeco` protocol: both sides of the spool in one session, and its diagnose checks.
import { mkdtempSync } from 'node:fs';
import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src/protocols/contract.js';
import { openTedecoSession, tedecoProtocol, tedecoRequestSide, tedecoReturnSide } from '../../../src/protocols/tedeco/protocol.js';
import { sendItem } from '../../contract/files.js';
import { createTedecoHarness, type TedecoHarness } from '../../contract/tedeco-harness.js';

let h: TedecoHarness;
let scratch: string;

beforeEach(async () => {
  h = await createTedecoHarness({ side: 'both' });
  scratch = mkdtempSync(join(tmpdir(), 'ordo-tedeco-protocol-'));
});

afterEach(async () => {
  await h.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

const HOUR = 3_600_000;

async function age(path: string, ms: number): Promise<void> {
  const when = new Date(Date.now() - ms);
  await utimes(path, when, when);
}

function byId(results: CheckResult[]): Record<string, Pick<CheckResult, 'status' | 'key'>> {
  return Object.fromEntries(results.map((result) => [result.id, { status: result.status, key: result.key }]));
}

describe('tedeco protocol', () => {
  it('is both sides: every capability of each, in one session', async () => {
    expect([...tedecoProtocol.capabilities].sort()).toEqual([...new Set([...tedecoRequestSide.capabilities, ...tedecoReturnSide.capabilities])].sort());
    const session = await h.open();
    expect(Object.keys(session).sort()).toEqual(['acknowledge', 'check', 'close', 'fetch', 'list', 'send', 'verify']);
  });

  it('collects la*.<ead> from eaa/a001 and eaa/a020, in any letter case, and deletes them once acknowledged', async () => {
    const session = await h.open();
    await session.send!(await sendItem(scratch, 'EC.txt', Buffer.from('x')));
    await writeFile(join(h.returns[0]!, 'la0001.ECIVIL'), 'ocre 1');
    await writeFile(join(h.returns[1]!, 'LA0002.ecivil'), 'ocre 2');
    await writeFile(join(h.returns[1]!, 'la0003.AUTRE'), 'another application space');
    await writeFile(join(h.returns[0]!, 'notes.txt'), 'not a return file');
    const entries = await session.list!();
    expect(entries.map((entry) => entry.name).sort()).toEqual(['LA0002.ecivil', 'la0001.ECIVIL']);
    for (const entry of entries) {
      await session.fetch!(entry, join(scratch, entry.name));
      await session.acknowledge!(entry);
    }
    expect(await readdir(h.returns[0]!)).toEqual(['notes.txt']);
    expect(await readdir(h.returns[1]!)).toEqual(['la0003.AUTRE']);
    // The request side is untouched by retrieval.
    expect((await readdir(h.requests)).sort()).toEqual(['fi0001.ECIVIL', 'rq0001.ECIVIL']);
  });

  it('a return folder the agent has not created yet holds nothing; a missing spool is a connection failure', async () => {
    await rm(h.returns[1]!, { recursive: true });
    await writeFile(join(h.returns[0]!, 'la0001.ECIVIL'), 'ocre');
    expect((await (await h.open()).list!()).map((entry) => entry.name)).toEqual(['la0001.ECIVIL']);
    const error = await (await h.openWith({ profile: { spool: 'nowhere' } })).list!().catch((reason: unknown) => reason);
    expect(error).toMatchObject({ kind: 'permanent', key: 'protocol.tedeco.spoolMissing', connection: true });
  });

  it('refuses to fetch or delete anything outside the return folders', async () => {
    const session = await h.open();
    const outside = { id: join(h.requests, 'rq0001.ECIVIL'), name: 'rq0001.ECIVIL' };
    await expect(session.acknowledge!(outside)).rejects.toMatchObject({ key: 'protocol.tedeco.outsideReturns' });
  });

  describe('check (diagnose)', () => {
    it('a healthy spool: every check passes', async () => {
      const results = await (await h.open()).check!();
      expect(byId(results)).toEqual({
        'tedeco.spool': { status: 'ok', key: 'diagnose.tedeco.spoolOk' },
        'tedeco.requests': { status: 'ok', key: 'diagnose.tedeco.requestFolderOk' },
        'tedeco.pending': { status: 'ok', key: 'diagnose.tedeco.pending' },
        'tedeco.agentTemp': { status: 'ok', key: 'diagnose.tedeco.agentTempEmpty' },
        'tedeco.returns.a001': { status: 'ok', key: 'diagnose.tedeco.returnFolderOk' },
        'tedeco.returns.a020': { status: 'ok', key: 'diagnose.tedeco.returnFolderOk' },
      });
    });

    it('a missing spool is the only failure reported, with its fix', async () => {
      const results = await (await h.openWith({ profile: { spool: 'nowhere' } })).check!();
      expect(results).toEqual([
        { id: 'tedeco.spool', status: 'fail', key: 'protocol.tedeco.spoolMissing', params: { path: join(h.dir, 'nowhere') }, fixKey: 'protocol.tedeco.spoolMissing.fix' },
      ]);
    });

    it('finds requests without data, data without request, old requests and the agent gone silent', async () => {
      const session = openTedecoSession(h.context({ options: { staleRequestAge: '12h' } }));
      for (const name of ['rq0001.ECIVIL', 'fi0002.ECIVIL', 'rq0003.ECIVIL', 'fi0003.ECIVIL', 'rq0004.ECIVIL', 'fi0004.ECIVIL']) {
        await writeFile(join(h.requests, name), 'x');
      }
      await age(join(h.requests, 'rq0001.ECIVIL'), 2 * 60_000);
      await age(join(h.requests, 'fi0002.ECIVIL'), 2 * 60_000);
      await age(join(h.requests, 'rq0003.ECIVIL'), 30 * HOUR);
      await writeFile(join(h.requests, '.fi.ECIVIL.0123456789ab.ordo-part'), 'x');
      await age(join(h.requests, '.fi.ECIVIL.0123456789ab.ordo-part'), 48 * HOUR);
      await mkdir(join(h.spool, 'tmpxted'));
      await writeFile(join(h.spool, 'tmpxted', 'X1'), 'x');
      const results = await session.check!();
      expect(byId(results)).toMatchObject({
        'tedeco.pairs.requestWithoutData': { status: 'fail', key: 'diagnose.tedeco.requestWithoutData' },
        'tedeco.pairs.dataWithoutRequest': { status: 'warn', key: 'diagnose.tedeco.dataWithoutRequest' },
        'tedeco.pending': { status: 'fail', key: 'diagnose.tedeco.staleRequests' },
        'tedeco.temporaries': { status: 'warn', key: 'diagnose.tedeco.staleTemporaries' },
        'tedeco.agentTemp': { status: 'fail', key: 'diagnose.tedeco.agentTemp' },
      });
      const find = (id: string) => results.find((result) => result.id === id)!;
      expect(find('tedeco.pairs.requestWithoutData').params).toMatchObject({ count: 1, names: 'rq0001.ECIVIL' });
      expect(find('tedeco.pairs.dataWithoutRequest').params).toMatchObject({ count: 1, names: 'fi0002.ECIVIL' });
      expect(find('tedeco.pending').params).toMatchObject({ count: 1, names: 'rq0003.ECIVIL', hours: 30, threshold: '12h' });
      expect(String(find('tedeco.agentTemp').params?.folders)).toContain('tmpxted (1)');
      for (const result of results.filter((r) => r.status !== 'ok')) expect(result.fixKey, result.id).toBeDefined();
    });

    it('half a pair younger than a minute may be one being written: not reported', async () => {
      await writeFile(join(h.requests, 'fi0009.ECIVIL'), 'x');
      const results = await (await h.open()).check!();
      expect(results.filter((result) => result.status !== 'ok')).toEqual([]);
    });

    it('non-empty agent folders alone are a warning (the agent may be at work)', async () => {
      await mkdir(join(h.spool, 't'));
      await writeFile(join(h.spool, 't', 'work'), 'x');
      const agent = (await (await h.open()).check!()).find((result) => result.id === 'tedeco.agentTemp');
      expect(agent?.status).toBe('warn');
    });

    it('a missing return folder is a warning with its fix; a write probe leaves nothing', async () => {
      await rm(h.returns[1]!, { recursive: true });
      const results = await (await h.open()).check!({ writeProbe: true });
      expect(byId(results)['tedeco.returns.a020']).toEqual({ status: 'warn', key: 'diagnose.tedeco.returnFolderMissing' });
      expect(byId(results)['tedeco.requests']).toEqual({ status: 'ok', key: 'diagnose.tedeco.requestFolderProbed' });
      expect(await readdir(h.requests)).toEqual([]);
    });
  });
});
