// Big files (8 MiB and more) over HTTP (`http`, `xfb`), whose partner takes a file only once its request's
// body is complete (its length is announced): the transfer starts while the engine hashes the file and
// makes its backup, and the body's last bytes (a raw body's last byte, a form's closing delimiter) wait
// until the duplicate check is done, the backup placed and the `sending` line flushed. Against the real
// upload peers of fixtures/peers: the partner never gets a file that is not journaled `sending`; a
// duplicate, or a failure of this machine before that line, cuts the request before its end and the
// partner keeps nothing of it.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHttpPeer, startXfbPeer } from '../../../fixtures/peers/peers.mjs';
import { readJournal } from '../../../src/core/journal.js';
import { onEvents, sendAll, sendContentTwice } from '../../helpers/engine-send.js';
import { scenario, workspace, type Workspace } from '../../helpers/workspace.js';

const MiB = 1024 * 1024;
const USER = 'mairie-40999';
const PASSWORD = 'Http&pass=w0rd!';
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

type HttpPeer = Awaited<ReturnType<typeof startHttpPeer>>;
let peers: Record<'raw' | 'multipart', HttpPeer>;
let xfb: Awaited<ReturnType<typeof startXfbPeer>>;
let ws: Workspace | undefined;

beforeAll(async () => {
  const auth = { type: 'basic', user: USER, password: PASSWORD } as const;
  peers = { raw: await startHttpPeer({ auth, body: 'raw' }), multipart: await startHttpPeer({ auth, body: 'multipart' }) };
  xfb = await startXfbPeer();
});
afterAll(async () => {
  await peers.raw.close();
  await peers.multipart.close();
  await xfb.close();
});
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
  peers.raw.endpoint.reset();
  peers.multipart.endpoint.reset();
  xfb.gateway.reset();
});

/** A site whose scenario PES sends its source with `http` (a raw body, or a multipart form). */
function httpSite(body: 'raw' | 'multipart'): Workspace {
  const site = workspace((dir) => [scenario('PES', dir, { protocol: 'http', retrieve: { enabled: false, afterSend: false, at: [] }, options: { fileType: 'electionsFR' } })]);
  site.config.profiles.VILLE = { name: 'VILLE', protocols: { http: { urls: peers[body].urls, body, auth: { type: 'basic', user: USER, password: PASSWORD } } } };
  return site;
}

/** A site whose scenario PES sends its source to the XFB gateway. */
function xfbSite(): Workspace {
  const site = workspace((dir) => [scenario('PES', dir, { protocol: 'xfb', retrieve: { enabled: false, afterSend: false, at: [] }, options: {} })]);
  site.config.profiles.VILLE = { name: 'VILLE', protocols: { xfb: { ...xfb.profile } } };
  return site;
}

function journalText(w: Workspace): string {
  const folder = join(w.root, 'journal');
  return existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.jsonl')).map((name) => readFileSync(join(folder, name), 'utf8')).join('') : '';
}

const queued = (w: Workspace): string[] => (existsSync(join(w.root, 'queue', 'PES')) ? readdirSync(join(w.root, 'queue', 'PES')) : []);

describe('a big file over HTTP starts its transfer while it is hashed', () => {
  // A raw body's last byte is what waits (its progress comes after the line); a form's last file byte may
  // leave before or after the line, as the hash goes: its closing delimiter is what waits.
  it.each(['raw', 'multipart'] as const)('%s body: delivered once, byte for byte; its bytes left before its `sending` line, its end after', async (body) => {
    ws = httpSite(body);
    const data = randomBytes(9 * MiB + 3);
    ws.write(ws.source, 'GROS.bin', data);
    let journaledAtFirstBytes: boolean | undefined;
    let journaledAtLastBytes: boolean | undefined;
    onEvents(ws, (event) => {
      if (event.type !== 'progress' || event.name !== 'GROS.bin') return;
      journaledAtFirstBytes ??= journalText(ws!).includes('GROS.bin');
      if (event.bytes === data.length) journaledAtLastBytes = journalText(ws!).includes('"state":"sending"');
    });
    const result = await sendAll(ws);
    expect(result.files.map((f) => `${f.name} ${f.status}`)).toEqual(['GROS.bin sent']);
    expect(journaledAtFirstBytes).toBe(false);
    if (body === 'raw') expect(journaledAtLastBytes).toBe(true);
    const deposits = peers[body].endpoint.received('GROS.bin');
    expect(deposits).toHaveLength(1);
    expect(readFileSync(deposits[0]!.path).equals(data)).toBe(true);
    const lines = (await readJournal(ws.root)).filter((entry) => entry.file === 'GROS.bin');
    expect(lines.map((entry) => entry.state)).toEqual(['sending', 'sent']);
    expect(lines[0]).toMatchObject({ sha256: sha256(data), size: data.length, backup: join(ws.root, 'backup', 'PES', 'GROS.bin') });
    expect(readFileSync(join(ws.root, 'backup', 'PES', 'GROS.bin')).equals(data)).toBe(true);
    expect(queued(ws)).toEqual([]);
  });

  it('content sent before: the request is cut before its last byte, the partner keeps nothing, the file is set aside', async () => {
    ws = httpSite('raw');
    const { data, result, progressed } = await sendContentTwice(ws, 'PES_1.bin', 'PES_1_copie.bin', 8 * MiB);
    expect(result.files.map((f) => `${f.name} ${f.status}`)).toEqual(['PES_1_copie.bin duplicate']);
    // Its bytes did travel, all but the last one: the check came before the body's end.
    expect(progressed).toBe(data.length - 1);
    expect(peers.raw.endpoint.received('PES_1_copie.bin')).toEqual([]);
    expect(peers.raw.endpoint.deposits.map((deposit) => deposit.name)).toEqual(['PES_1.bin']);
    const failedDir = join(ws.root, 'failed', 'PES');
    const [item] = readdirSync(failedDir);
    expect(readFileSync(join(failedDir, item!, 'PES_1_copie.bin')).equals(data)).toBe(true);
    expect((await readJournal(ws.root)).filter((entry) => entry.file === 'PES_1_copie.bin').map((entry) => entry.state)).toEqual(['duplicate']);
    expect(queued(ws)).toEqual([]);
  });

  it('xfb: content sent before never reaches the gateway (the form is cut before its closing delimiter)', async () => {
    ws = xfbSite();
    const data = randomBytes(8 * MiB + 17);
    ws.write(ws.source, 'PES_A.xml', data);
    const first = await sendAll(ws);
    expect(first.files.map((f) => `${f.name} ${f.status}`)).toEqual(['PES_A.xml sent']);
    ws.write(ws.source, 'PES_B.xml', data);
    const second = await sendAll(ws);
    expect(second.files.map((f) => `${f.name} ${f.status}`)).toEqual(['PES_B.xml duplicate']);
    expect(xfb.gateway.kept('PES_A.xml')).toHaveLength(1);
    expect(xfb.gateway.kept('PES_B.xml')).toEqual([]);
  });

  it('this machine fails before the `sending` line (its backup cannot be placed): the request is cut, nothing at the partner; the next run sends the file once', async () => {
    ws = httpSite('multipart');
    const data = randomBytes(10 * MiB);
    ws.write(ws.source, 'GROS.bin', data);
    // The scenario's backup folder is a file: the backup cannot be made.
    const backupDir = join(ws.root, 'backup', 'PES');
    ws.write(join(ws.root, 'backup'), 'PES', 'not a folder');
    const first = await sendAll(ws);
    expect(first.files.map((f) => f.status)).not.toContain('sent');
    expect(peers.multipart.endpoint.deposits).toEqual([]);
    expect(journalText(ws)).not.toContain('"state":"sending"');
    expect(queued(ws)).toHaveLength(1);

    rmSync(backupDir);
    const second = await sendAll(ws);
    expect(second.files.map((f) => `${f.name} ${f.status}`)).toEqual(['GROS.bin sent']);
    const deposits = peers.multipart.endpoint.received('GROS.bin');
    expect(deposits).toHaveLength(1);
    expect(readFileSync(deposits[0]!.path).equals(data)).toBe(true);
    expect((await readJournal(ws.root)).filter((entry) => entry.state === 'sent').map((entry) => entry.file)).toEqual(['GROS.bin']);
    expect(queued(ws)).toEqual([]);
  });
});
