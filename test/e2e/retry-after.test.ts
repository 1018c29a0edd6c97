// The engine and a partner that answers "busy, come back in N s" (503 + Retry-After): never called back
// sooner than it asks, and a Retry-After longer than the scenario lets a run wait is not waited for —
// the file stays queued, the scenario stops for this run, and a later run tries again (docs/engine.md,
// "Retries"). The real engine (`send`) with the `http` protocol against the AIREPPNET-style upload peer
// of fixtures/peers (HTTPS with the test CA, Basic authentication) on 127.0.0.1, its 503 switch on.
import { subscribe, unsubscribe, type ChannelListener } from 'node:diagnostics_channel';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/core/journal.js';
import { send } from '../../src/core/send.js';
import { setLang } from '../../src/i18n/index.js';
import { HTTP_PASSWORD, HTTP_USER, startHttpTestPeer, type HttpPeer } from '../contract/http-harness.js';
import { scenario, workspace, type Workspace } from '../helpers/workspace.js';

const ALWAYS = 1_000;

let peer: HttpPeer;
/** When each request reached the peer (Node's own report of the requests its HTTP server starts). */
let arrivals: number[] = [];
const onRequest: ChannelListener = (message) => {
  if ((message as { socket: Socket }).socket.localPort === peer.server.port) arrivals.push(performance.now());
};

beforeAll(async () => {
  peer = await startHttpTestPeer();
  subscribe('http.server.request.start', onRequest);
});
afterAll(async () => {
  unsubscribe('http.server.request.start', onRequest);
  await peer.close();
});

describe('the engine and Retry-After', () => {
  let ws: Workspace | undefined;
  beforeEach(() => {
    setLang('en');
    peer.faults.reset();
    peer.endpoint.reset();
    peer.server.requests.splice(0);
    arrivals = [];
  });
  afterEach(() => {
    ws?.cleanup();
    ws = undefined;
  });

  /** a.xml then b.xml to a peer that answers every upload with 503 (and `Retry-After: retryAfterSeconds`). */
  async function sendBusy(retries: { attempts: number; backoffMs: number; maxDelayMs: number; maxTimeMs: number }, retryAfterSeconds?: number) {
    peer.faults.failNext(ALWAYS, 503, retryAfterSeconds);
    ws = workspace((dir) => [scenario('PES', dir, { protocol: 'http', options: { fileType: 'electionsFR' }, retries, retrieve: { enabled: false, afterSend: false, at: [] } })]);
    ws.config.profiles.VILLE = {
      name: 'VILLE',
      protocols: { http: { urls: peer.urls, auth: { type: 'basic', user: HTTP_USER, password: HTTP_PASSWORD }, ca: peer.pki!.caCert } },
    };
    ws.write(ws.source, 'a.xml', '<a/>');
    ws.write(ws.source, 'b.xml', '<b/>');
    const engine = ws.engine();
    try {
      return await send(engine, { selection: { scenarios: [], profiles: [] }, retrieveAfter: false });
    } finally {
      await engine.close();
    }
  }

  const waits = () => ws!.events.filter((event) => event.type === 'wait').map((event) => (event as { ms: number }).ms);
  const uploads = () => peer.server.requests.filter((request) => request.method === 'POST' && request.path === '/aireppnet/elections-fr');
  const lastLog = () => readFileSync(join(ws!.root, 'logs', 'last.log'), 'utf8');

  it('never calls the partner back sooner than its Retry-After', async () => {
    const result = await sendBusy({ attempts: 3, backoffMs: 10, maxDelayMs: 2_000, maxTimeMs: 60_000 }, 1);
    // The backoff (10 ms, 20 ms) gives way to the partner's 1 s, twice.
    expect(waits()).toEqual([1_000, 1_000]);
    // Three attempts reached the peer, each at least 1 s after the one before (timers count whole
    // milliseconds: a few ms of slack, far below any backoff that would ignore Retry-After).
    expect(uploads()).toHaveLength(3);
    expect(arrivals).toHaveLength(3);
    for (let i = 1; i < arrivals.length; i += 1) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(995);
    expect(peer.endpoint.deposits).toEqual([]);
    // All three were a.xml: given up while the partner still asks to wait, b.xml is not sent right after.
    expect(result.files.map((file) => [file.name, file.status, file.attempts])).toEqual([['a.xml', 'deferred', 3]]);
    expect(readdirSync(ws!.source)).toEqual(['b.xml']);
    expect((await readJournal(ws!.root)).map((entry) => [entry.file, entry.state])).toEqual([
      ['a.xml', 'sending'],
      ['a.xml', 'deferred'],
    ]);
    expect(lastLog()).toMatch(/PES: the partner asks not to be called again for 1 s, longer than this run may wait .*: a\.xml stays queued/);
  });

  it('a Retry-After longer than retries.maxDelay is not waited: the file stays queued for a later run', async () => {
    const result = await sendBusy({ attempts: 5, backoffMs: 10, maxDelayMs: 1_000, maxTimeMs: 60_000 }, 3_600);
    expect(waits()).toEqual([]);
    expect(uploads()).toHaveLength(1);
    expect(arrivals).toHaveLength(1);
    expect(result.files.map((file) => [file.name, file.status, file.attempts])).toEqual([['a.xml', 'deferred', 1]]);
    expect(result.exitCode).toBe(1);
    // Queued (not in failed/), journaled deferred; b.xml untouched in the source folder.
    const queued = readdirSync(join(ws!.root, 'queue', 'PES'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('a.xml'));
    expect(queued).toHaveLength(1);
    expect(existsSync(join(ws!.root, 'failed', 'PES'))).toBe(false);
    expect(readdirSync(ws!.source)).toEqual(['b.xml']);
    expect((await readJournal(ws!.root)).map((entry) => [entry.file, entry.state])).toEqual([
      ['a.xml', 'sending'],
      ['a.xml', 'deferred'],
    ]);
    const log = lastLog();
    expect(log).toMatch(/asks not to be called again for 3600 s.*a\.xml stays queued/);
    expect(log).not.toMatch(/next try in/);
  }, 30_000);

  it('without Retry-After, the backoff and the next file go on as before', async () => {
    const result = await sendBusy({ attempts: 2, backoffMs: 10, maxDelayMs: 50, maxTimeMs: 60_000 });
    expect(waits()).toEqual([10, 10]);
    // Two attempts at a.xml, then two at b.xml.
    expect(uploads()).toHaveLength(4);
    expect(result.files.map((file) => [file.name, file.status, file.attempts])).toEqual([
      ['a.xml', 'deferred', 2],
      ['b.xml', 'deferred', 2],
    ]);
    expect(lastLog()).not.toMatch(/asks not to be called again/);
  });
});
