// A full or failing disk on this machine concerns one file and one folder: that file is deferred with a
// message naming the folder (and, when full, the bytes needed and free), the others go, retrieval goes,
// and diagnose shows what to do. Also: queued files of scenarios without a source, and leftovers.
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCycle } from '../../../src/core/cycle.js';
import { diagnose } from '../../../src/core/diagnose.js';
import { Journal, readJournal } from '../../../src/core/journal.js';
import { send } from '../../../src/core/send.js';
import { temporaryName } from '../../../src/shared/temp-names.js';
import { otherVolumeDir, smallVolume } from '../../helpers/volumes.js';
import { deadPid } from '../../helpers/leftovers.js';
import { scenario, workspace, type Workspace } from '../../helpers/workspace.js';

const selection = { scenarios: [], profiles: [] };
let ws: Workspace | undefined;
const cleanups: Array<() => void> = [];
afterEach(() => {
  ws?.cleanup();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function track<T extends { cleanup(): void }>(volume: T): T {
  cleanups.unshift(() => volume.cleanup());
  return volume;
}

async function cycle(w: Workspace) {
  const engine = w.engine();
  try {
    return await runCycle(engine, selection);
  } finally {
    await engine.close();
  }
}

async function sendOnly(w: Workspace) {
  const engine = w.engine();
  try {
    return await send(engine, { selection, retrieveAfter: false });
  } finally {
    await engine.close();
  }
}

const BIG = 3 * 1024 * 1024;

describe('a full disk', () => {
  it('on the backup volume: that file stays queued and is deferred; the others are sent, retrieval goes; diagnose shows the fix', async () => {
    const volume = track(smallVolume('1m'));
    ws = workspace((dir) => [scenario('PES', dir, { backup: { dir: join(volume.dir, 'bk'), ifExists: 'rename' } })]);
    ws.write(ws.source, 'a-big.xml', Buffer.alloc(BIG, 1));
    ws.write(ws.source, 'b-small.xml', 'small');
    ws.write(ws.inbox, 'reply.xml', 'reply');
    const result = await cycle(ws);
    const byName = Object.fromEntries(result.files.map((f) => [f.name, f]));
    expect(byName['b-small.xml']?.status).toBe('sent');
    expect(byName['reply.xml']?.status).toBe('received');
    expect(byName['a-big.xml']?.status).toBe('deferred');
    expect(byName['a-big.xml']?.reason).toContain(join(volume.dir, 'bk'));
    expect(byName['a-big.xml']?.reason).toContain(`${BIG} bytes`);
    expect(byName['a-big.xml']?.reason).toMatch(/needed, .* free \(ENOSPC\)/);
    expect(result.exitCode).toBe(1);
    // Safely queued, no temporary left in the backup folder.
    const queued = readdirSync(join(ws.root, 'queue', 'PES'));
    expect(queued).toHaveLength(1);
    expect(readdirSync(join(volume.dir, 'bk'))).toEqual(['b-small.xml']);
    const deferred = (await readJournal(ws.root)).find((e) => e.state === 'deferred');
    expect(deferred).toMatchObject({ file: 'a-big.xml', code: 'ENOSPC', folder: join(volume.dir, 'bk') });
    expect(readFileSync(join(ws.root, 'logs', 'last.log'), 'utf8')).toContain('a-big.xml');

    const report = await diagnose(ws.config, { scenarios: [], writeProbe: false, version: '0.0.0-test' });
    const shown = report.checks.find((c) => c.message.includes('a-big.xml'));
    expect(shown?.status).toBe('warn');
    expect(shown?.fix).toContain('backup.dir');
    expect(shown?.fix).toContain(join(volume.dir, 'bk'));

    // Space freed: the next run makes the backup it could not make, then sends.
    volume.resize('16m');
    const again = await sendOnly(ws);
    expect(again.files.map((f) => [f.name, f.status])).toEqual([['a-big.xml', 'sent']]);
    expect(readdirSync(join(volume.dir, 'bk')).sort()).toEqual(['a-big.xml', 'b-small.xml']);
  });

  it('on the queue volume (cross-volume claim): the file goes back under its name in the source, nothing is left behind', async () => {
    const volume = track(smallVolume('2m'));
    const other = track(otherVolumeDir());
    ws = workspace((dir) => [scenario('PES', dir, { source: other.dir })]);
    ws.config.root = join(volume.dir, 'data');
    ws.config.scenarios.PES!.backup.dir = join(ws.dir, 'bk');
    writeFileSync(join(other.dir, 'a-big.xml'), Buffer.alloc(BIG, 2));
    writeFileSync(join(other.dir, 'b-small.xml'), 'small');
    ws.write(ws.inbox, 'reply.xml', 'reply');
    const result = await cycle(ws);
    const byName = Object.fromEntries(result.files.map((f) => [f.name, f]));
    expect(byName['b-small.xml']?.status).toBe('sent');
    expect(byName['reply.xml']?.status).toBe('received');
    expect(byName['a-big.xml']).toMatchObject({ status: 'deferred', localPath: join(other.dir, 'a-big.xml') });
    expect(byName['a-big.xml']?.reason).toContain(join(volume.dir, 'data', 'queue', 'PES'));
    expect(readdirSync(other.dir)).toEqual(['a-big.xml']);
    expect(readFileSync(join(other.dir, 'a-big.xml')).equals(Buffer.alloc(BIG, 2))).toBe(true);
    expect(readdirSync(join(volume.dir, 'data', 'queue', 'PES'))).toEqual([]);

    const report = await diagnose(ws.config, { scenarios: [], writeProbe: false, version: '0.0.0-test' });
    const shown = report.checks.find((c) => c.message.includes('a-big.xml'));
    expect(shown?.fix).toContain('backup.dir');
  });
});

describe('other system errors', () => {
  it('a read-only backup volume defers each file with the system code; the cycle goes on to retrieval', async () => {
    const volume = track(smallVolume('1m', { readOnly: true }));
    ws = workspace((dir) => [scenario('PES', dir, { backup: { dir: volume.dir, ifExists: 'rename' } })]);
    ws.write(ws.source, 'a.xml', 'a');
    ws.write(ws.inbox, 'reply.xml', 'reply');
    const result = await cycle(ws);
    expect(result.files.map((f) => [f.name, f.status])).toEqual([
      ['a.xml', 'deferred'],
      ['reply.xml', 'received'],
    ]);
    expect(result.files[0]?.reason).toContain('EROFS');
    expect(readdirSync(join(ws.root, 'queue', 'PES'))).toHaveLength(1);
  });
});

describe('queued work', () => {
  it('a file queued for a scenario without a source is taken up by the next run', async () => {
    ws = workspace((dir) => {
      const { source: _source, ...withoutSource } = scenario('PES', dir);
      return [withoutSource];
    });
    const dir = join(ws.root, 'queue', 'PES', '20261123101010-abcdef');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.xml'), 'queued');
    const journal = new Journal(ws.root, 'old');
    await journal.append({ scenario: 'PES', direction: 'send', state: 'deferred', file: 'a.xml', path: join(dir, 'a.xml'), reason: 'partner down' });
    await journal.close();
    const result = await sendOnly(ws);
    expect(result.files.map((f) => [f.name, f.status])).toEqual([['a.xml', 'sent']]);
    expect(readFileSync(join(ws.target, 'a.xml'), 'utf8')).toBe('queued');
    // No source folder is nothing to look at, not an unreadable one.
    expect(result.problems).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('temporaries of dead runs are removed from the backup folder and the queue; those of live ones stay', async () => {
    ws = workspace();
    const pid = deadPid();
    const backup = join(ws.root, 'backup', 'PES');
    const queue = join(ws.root, 'queue', 'PES');
    const dead = temporaryName('a.xml').replace(`-${process.pid}-`, `-${pid}-`);
    const live = temporaryName('b.xml');
    ws.write(backup, dead, 'half');
    ws.write(backup, live, 'in progress');
    const deadItem = temporaryName('20261123101010-abcdef').replace(`-${process.pid}-`, `-${pid}-`);
    ws.write(join(queue, deadItem), 'c.xml', 'half');
    const old = ws.write(backup, temporaryName('d.xml').replace(/-\d+-([0-9a-f]{8})\.ordo-part$/, '-1-00000000.ordo-part'), 'old');
    utimesSync(old, new Date(Date.now() - 48 * 3600_000), new Date(Date.now() - 48 * 3600_000));
    ws.write(ws.source, 'e.xml', 'e');
    const result = await sendOnly(ws);
    expect(result.files.map((f) => [f.name, f.status])).toEqual([['e.xml', 'sent']]);
    expect(readdirSync(backup).sort()).toEqual([live, 'e.xml'].sort());
    expect(existsSync(join(queue, deadItem))).toBe(false);
  });
});
