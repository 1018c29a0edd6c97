// The `xfb` protocol against the XFB gateway peer: the shared contract suite (over HTTPS with the test
// CA), then what only this protocol does — the gateway's refusals, its switches, states B/E, TLS,
// proxies, pacing, and credentials that never appear anywhere but in the request.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startXfbPeer } from '../../fixtures/peers/peers.mjs';
import type { ScenarioConfig } from '../../src/config/model.js';
import { retrieve } from '../../src/core/retrieve.js';
import { send } from '../../src/core/send.js';
import { t } from '../../src/i18n/index.js';
import type { ProtocolSession, SkippedEntry, TransferError } from '../../src/protocols/contract.js';
import { xfbProtocol } from '../../src/protocols/xfb/protocol.js';
import { gatewayWords, listedFiles } from '../../src/protocols/xfb/pages.js';
import { scenario, workspace, type Workspace } from '../helpers/workspace.js';
import { MiB, sendItem, sha256 } from './files.js';
import { defineContractSuite, expectTransferError, failure } from './suite.js';
import { createXfbHarness, type XfbHarness, type XfbPeer } from './xfb-harness.js';
import { mountTmpfs, unmountAll } from '../helpers/volumes.js';

let peer: XfbPeer;
beforeAll(async () => {
  peer = await startXfbPeer({ tls: true });
});
afterAll(async () => {
  await peer.close();
});

defineContractSuite('xfb', () => Promise.resolve(createXfbHarness(peer)), { faults: true, refusesEmptyFiles: true, downloadTakesEntry: true, unfetchableEntries: true });

/** Every text a failure can put in front of a person: the message, its params, the server's words. */
function everyText(error: TransferError): string[] {
  return [error.message, String(error), JSON.stringify(error.params), error.serverMessage ?? '', t(error.key, error.params, 'en'), t(error.key, error.params, 'fr')];
}

describe('xfb protocol', () => {
  let h: XfbHarness;
  let scratch: string;
  const sessions: ProtocolSession[] = [];
  const failures: TransferError[] = [];

  async function open(profile: Record<string, unknown> = {}, merge = true): Promise<ProtocolSession> {
    const session = await h.openWith(profile, merge);
    sessions.push(session);
    return session;
  }

  async function expectFailure(promise: Promise<unknown>, kind: 'transient' | 'permanent', key: string): Promise<TransferError> {
    const error = expectTransferError(await failure(promise), kind);
    expect(error.key).toBe(key);
    failures.push(error);
    return error;
  }

  beforeEach(async () => {
    h = createXfbHarness(peer);
    scratch = await mkdtemp(join(tmpdir(), 'ordo-xfb-test-'));
  });

  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close();
    await rm(scratch, { recursive: true, force: true });
  });

  afterAll(() => {
    // Whatever went wrong above, no secret reached a message, a parameter or the partner's words.
    expect(failures.length).toBeGreaterThan(10);
    for (const error of failures) {
      for (const text of everyText(error)) {
        expect(text).not.toContain(peer.account.password);
        expect(text).not.toContain(encodeURIComponent(peer.account.password));
        expect(text).not.toContain('wrong-password');
      }
    }
  });

  describe('settings', () => {
    it('accepts the documented forms, INI text included', () => {
      const base = { url: 'https://gateway.example/depot-xt', user: 'U', password: 'P', partner: 'X', application: 'Y' };
      expect(xfbProtocol.validate!(base, {})).toEqual([]);
      expect(xfbProtocol.validate!({ ...base, ca: 'ca.pem', cert: 'c.pem', key: 'k.pem', passphrase: 'p', proxy: 'http://proxy:3128', insecure: 'non', timeout: '2m' }, {})).toEqual([]);
      expect(xfbProtocol.validate!({ ...base, insecure: true, timeout: 90, url: 'http://10.0.0.1:8080/depot-xt/' }, {})).toEqual([]);
    });

    it('reports every wrong key at once, with what is accepted', () => {
      const problems = xfbProtocol.validate!({ url: 'https://u:p@gw/depot-xt?x=1', password: 5, cert: 'c.pem', proxy: 'socks://x', insecure: 'maybe', timeout: 'soon' }, {});
      expect(problems.map((p) => [p.key, p.messageKey])).toEqual([
        ['url', 'protocol.web.url.credentials'],
        ['user', 'protocol.web.setting.required'],
        ['password', 'protocol.web.setting.text'],
        ['partner', 'protocol.web.setting.required'],
        ['application', 'protocol.web.setting.required'],
        ['key', 'protocol.web.setting.certWithoutKey'],
        ['insecure', 'protocol.web.setting.boolean'],
        ['timeout', 'protocol.web.setting.timeout'],
        ['proxy', 'protocol.web.setting.proxy'],
      ]);
      expect(xfbProtocol.validate!({ url: 'ftp://gw/x', user: 'U', password: 'P', partner: 'X', application: 'Y' }, {})[0]?.messageKey).toBe('protocol.web.url.scheme');
      expect(xfbProtocol.validate!({ url: 'https://gw/depot-xt?user=U', user: 'U', password: 'P', partner: 'X', application: 'Y' }, {})[0]?.messageKey).toBe('protocol.web.url.query');
      for (const problem of problems) expect(JSON.stringify(problem.params)).not.toContain('u:p@');
    });

    it('refuses to open with wrong settings, and says which file it cannot read', async () => {
      await expectFailure(h.openWith({ partner: undefined }), 'permanent', 'protocol.web.setting.required');
      const error = await expectFailure(h.openWith({ ca: join(scratch, 'missing.pem') }), 'permanent', 'protocol.web.tlsFileUnreadable');
      expect(error.connection).toBe(true);
      expect(error.params.path).toBe(join(scratch, 'missing.pem'));
    });
  });

  describe('sending', () => {
    it('speaks the wire format: POST <url>?user&password with partner, application and the file', async () => {
      const session = await open();
      const data = Buffer.from('<PES_Aller/>');
      const receipt = await session.send!(await sendItem(scratch, 'PES.xml', data));
      expect(receipt).toMatchObject({ state: 'acknowledged', detail: { answer: 'File received correctly' } });
      expect(receipt.remoteId).toMatch(/^\/depot-xt\/PES\.xml@\d{4}-\d\d-\d\dT/);
      const [deposit] = peer.gateway.deposits;
      expect(deposit).toMatchObject({ name: 'PES.xml', size: data.length, partner: peer.account.partner, application: peer.account.application, user: peer.account.user });
      expect(peer.server.requests.map((r) => [r.method, r.path, r.query.join('&')])).toEqual([['POST', '/depot-xt', 'user&password']]);
    });

    it('logs the address with user=XXXXXXXX&password=XXXXXXXX, and the gateway’s answer', async () => {
      const session = await open();
      await session.send!(await sendItem(scratch, 'PES.xml', Buffer.from('x')));
      const [uploading, answered] = h.logged;
      expect(uploading).toMatchObject({ level: 'info', key: 'protocol.xfb.uploading', params: { name: 'PES.xml', size: 1 } });
      expect(String(uploading?.params?.url)).toBe(`${peer.url}?user=XXXXXXXX&password=XXXXXXXX`);
      expect(answered).toMatchObject({ key: 'protocol.xfb.answered', params: { status: 200, title: 'File received correctly' } });
      expect(JSON.stringify(h.logged)).not.toContain(encodeURIComponent(peer.account.password));
    });

    it('bad credentials are permanent, stop the scenario, and carry the gateway’s words', async () => {
      const session = await open({ password: 'wrong-password' });
      const error = await expectFailure(session.send!(await sendItem(scratch, 'PES.xml', Buffer.from('x'))), 'permanent', 'protocol.xfb.badCredentials');
      expect(error.connection).toBe(true);
      expect(error.serverMessage).toBe('Bad user or password');
      expect(peer.gateway.deposits).toEqual([]);
      await expectFailure(session.list!(), 'permanent', 'protocol.xfb.badCredentials');
    });

    it('a partner not authorised for this ordonnateur is permanent', async () => {
      const session = await open({ partner: 'SOMEONE-ELSE' });
      const error = await expectFailure(session.send!(await sendItem(scratch, 'PES.xml', Buffer.from('x'))), 'permanent', 'protocol.xfb.partnerNotAuthorised');
      expect(error).toMatchObject({ connection: true, serverMessage: 'Partner not authorised for this ordonnateur' });
      expect(error.params).toMatchObject({ partner: 'SOMEONE-ELSE', application: peer.account.application });
    });

    it('an empty file is refused by the gateway (400), permanently', async () => {
      const session = await open();
      const error = await expectFailure(session.send!(await sendItem(scratch, 'empty.xml', Buffer.alloc(0))), 'permanent', 'protocol.xfb.fileRefused');
      expect(error.serverMessage).toBe('The file is empty');
      expect(error.connection).toBe(false);
    });

    it('5xx is transient, keeps nothing at the gateway and honours Retry-After', async () => {
      const session = await open();
      peer.faults.failNext(1, 503, 7);
      const error = await expectFailure(session.send!(await sendItem(scratch, 'PES.xml', Buffer.from('x'))), 'transient', 'protocol.web.serverError');
      expect(error).toMatchObject({ retryAfterMs: 7000, uncertain: false, params: { status: 503 } });
      expect(error.serverMessage).toContain('The server is busy');
      expect(peer.gateway.deposits).toEqual([]);
    });

    it('an answer slower than the timeout is transient — and uncertain, since the whole file had left', async () => {
      const session = await open({ timeout: '300ms' });
      peer.faults.answerSlowly(1500);
      const error = await expectFailure(session.send!(await sendItem(scratch, 'PES.xml', Buffer.from('x'))), 'transient', 'protocol.web.timeoutAfterBody');
      expect(error.uncertain).toBe(true);
      expect(error.params.seconds).toBe(0.3);
    });

    it('a cut before the file left is a plain retry; a cut after it left is uncertain (the gateway may have it)', async () => {
      const session = await open();
      const large = await sendItem(scratch, 'large.bin', Buffer.alloc(64 * MiB, 1));
      peer.faults.cutUploadHalfway();
      const early = await expectFailure(session.send!(large), 'transient', 'protocol.web.cut');
      expect(early.uncertain).toBe(false);
      expect(peer.gateway.deposits).toEqual([]);

      peer.faults.dropNextAnswer();
      const late = await expectFailure(session.send!(await sendItem(scratch, 'PES.xml', Buffer.from('complete'))), 'transient', 'protocol.web.cutAfterBody');
      expect(late.uncertain).toBe(true);
      expect(peer.gateway.kept('PES.xml')).toHaveLength(1);
    });

    it('files sent too close together get lost at the gateway: the scenario’s delay is what prevents it', async () => {
      // Without a delay, a window no run of three small files can outlast however slow the machine (the
      // historical gateway lost uploads within 30 s of the previous one): the losses do not hang on timing.
      peer.gateway.loseUploadsCloserThan(60_000);
      const ws = xfbWorkspace(h.profile, 0);
      try {
        for (const name of ['a.xml', 'b.xml', 'c.xml']) ws.write(ws.source, name, name);
        await sendAll(ws);
        expect(peer.gateway.deposits.map((d) => d.name).sort()).toEqual(['a.xml', 'b.xml', 'c.xml']);
        expect(peer.gateway.deposits.filter((d) => d.lost)).toHaveLength(2);
      } finally {
        ws.cleanup();
      }

      peer.gateway.reset();
      peer.gateway.loseUploadsCloserThan(1000);
      // The scenario's delay between files is the thing under test (a real wait in the engine, at least
      // 1100 ms, so every gap exceeds the gateway's 1000 ms whatever the machine's speed): the minimum
      // above the gateway's window.
      const paced = xfbWorkspace(h.profile, 1100);
      try {
        for (const name of ['a.xml', 'b.xml', 'c.xml']) paced.write(paced.source, name, name);
        await sendAll(paced);
        expect(peer.gateway.deposits.filter((d) => d.lost)).toEqual([]);
        expect(peer.gateway.deposits.map((d) => d.name).sort()).toEqual(['a.xml', 'b.xml', 'c.xml']);
      } finally {
        paced.cleanup();
      }
    });

    it('a 5xx answer and a cut upload are retried by the engine: the gateway ends up with each file exactly once', async () => {
      const ws = xfbWorkspace(h.profile, 0, { attempts: 3, backoffMs: 10, maxDelayMs: 50, maxTimeMs: 10_000 });
      try {
        ws.write(ws.source, 'a.xml', 'a');
        ws.write(ws.source, 'b.bin', Buffer.alloc(32 * MiB, 2));
        peer.faults.failNext(1, 503);
        await sendAll(ws, 2);
        peer.faults.cutUploadHalfway();
        ws.write(ws.source, 'c.bin', Buffer.alloc(32 * MiB, 3));
        await sendAll(ws, 1);
        expect(peer.gateway.deposits.map((d) => d.name).sort()).toEqual(['a.xml', 'b.bin', 'c.bin']);
      } finally {
        ws.cleanup();
      }
    });

    it('the gateway’s words are masked like everything else', () => {
      const words = gatewayWords('<P class="reason">Go back to /depot-xt?user=VILLE&password=hunter2&amp;x=1</P>');
      expect(words).toBe('Go back to /depot-xt?user=XXXXXXXX&password=XXXXXXXX&x=1');
    });
  });

  describe('listing and downloading', () => {
    it('lists only what waits (state B), with a stable identifier and the size when announced', async () => {
      peer.gateway.addWaiting('RCT290G.txt', Buffer.from('retour'));
      peer.gateway.addWaiting('NOSIZE.xml', Buffer.from('unsized'), { announceSize: false });
      const taken = peer.gateway.addWaiting('OLD.xml', Buffer.from('old'));
      taken.state = 'E';
      const session = await open();
      const entries = await session.list!();
      expect(entries).toEqual([
        { id: '/depot-xt/RCT290G.txt?local_ident=' + peer.gateway.waiting[0]!.localIdent, name: 'RCT290G.txt', size: 6 },
        { id: '/depot-xt/NOSIZE.xml?local_ident=' + peer.gateway.waiting[1]!.localIdent, name: 'NOSIZE.xml' },
      ]);
      expect(await (await open()).list!()).toEqual(entries);
      expect(h.logged.find((line) => line.key === 'protocol.xfb.listed')?.params).toEqual({ waiting: 2, taken: 1 });
    });

    it('a download moves the file from B to E; asking again gets 410, reported as already taken', async () => {
      peer.gateway.addWaiting('ACQUIT.xml', Buffer.from('<acquit/>'));
      const session = await open();
      const [entry] = await session.list!();
      await session.fetch!(entry!, join(scratch, 'one'));
      expect(peer.gateway.waiting[0]).toMatchObject({ state: 'E', downloads: 1 });
      const error = await expectFailure(session.fetch!(entry!, join(scratch, 'two')), 'permanent', 'protocol.xfb.alreadyTaken');
      expect(error.serverMessage).toBe('File already taken (state E)');
      expect(t(`${error.key}.fix`, {}, 'en')).toMatch(/DGFiP support/);
      await session.acknowledge!(entry!);
      expect(peer.gateway.waiting[0]?.downloads).toBe(1);
    });

    it('downloads a file whose size is not announced (no Content-Length)', async () => {
      const data = Buffer.alloc(3 * MiB + 17, 9);
      peer.gateway.addWaiting('RETOUR.bin', data, { announceSize: false });
      const session = await open();
      const [entry] = await session.list!();
      expect(entry?.size).toBeUndefined();
      const result = await session.fetch!(entry!, join(scratch, 'retour'));
      expect(result.bytes).toBe(data.length);
      expect(sha256(await readFile(join(scratch, 'retour')))).toBe(sha256(data));
    });

    for (const announceSize of [true, false]) {
      it(`an interrupted download (${announceSize ? 'with' : 'without'} Content-Length) keeps what arrived and says DGFiP support may be needed`, async () => {
        peer.gateway.addWaiting('RETOUR.bin', Buffer.alloc(8 * MiB, 4), { announceSize });
        const session = await open();
        const [entry] = await session.list!();
        peer.faults.cutDownloadHalfway();
        const dest = join(scratch, 'partial');
        const error = await expectFailure(session.fetch!(entry!, dest), 'transient', 'protocol.xfb.fetchInterrupted');
        const kept = (await stat(dest)).size;
        expect(kept).toBeGreaterThan(0);
        expect(kept).toBeLessThan(8 * MiB);
        expect(error.params).toMatchObject({ name: 'RETOUR.bin', bytes: kept });
        expect(t(error.key, error.params, 'en')).toMatch(/state E.*DGFiP support/);
        expect(t(error.key, error.params, 'fr')).toMatch(/état E.*assistance DGFiP/);
        expect(peer.gateway.waiting[0]?.state).toBe('B');
      });
    }

    it('a listing line that is not in the gateway’s format is left out and reported, never guessed at', () => {
      const good = '<LI><A HREF="/depot-xt/a%2Fb%20c.xml?local_ident=12">a/b c.xml</A> <SPAN class="state">B</SPAN> <SPAN class="size">5</SPAN></LI>';
      expect(listedFiles(good, '/depot-xt')).toEqual({ files: [{ name: 'a/b c.xml', localIdent: '12', state: 'B', size: 5 }], skipped: [] });
      expect(listedFiles('<li><a href="/depot-xt/x&#38;y.xml?local_ident=3">x&amp;y.xml</a> <span class="state">E</span></li>', '/depot-xt').files).toEqual([
        { name: 'x&y.xml', localIdent: '3', state: 'E', size: undefined },
      ]);
      for (const bad of [
        '<LI><A HREF="/elsewhere/a.xml?local_ident=12">a.xml</A> <SPAN class="state">B</SPAN></LI>',
        '<LI><A HREF="/depot-xt/a.xml?local_ident=12">b.xml</A> <SPAN class="state">B</SPAN></LI>',
        '<LI><A HREF="/depot-xt/a.xml?local_ident=12&user=U">a.xml</A> <SPAN class="state">B</SPAN></LI>',
        '<LI><A HREF="/depot-xt/a.xml?local_ident=12">a.xml</A> <SPAN class="state">X</SPAN></LI>',
        '<LI><A HREF="/depot-xt/sub/a.xml?local_ident=12">sub/a.xml</A> <SPAN class="state">B</SPAN></LI>',
        '<LI><A HREF="/depot-xt/../a.xml?local_ident=12">a.xml</A> <SPAN class="state">B</SPAN></LI>',
        '<LI>a.xml</LI>',
      ]) {
        const alongside = listedFiles(`${good}\n${bad}`, '/depot-xt');
        expect(alongside.files.map((file) => file.name), bad).toEqual(['a/b c.xml']);
        expect(alongside.skipped, bad).toHaveLength(1);
        expect(alongside.unexpected, bad).toBeUndefined();
        const alone = listedFiles(bad, '/depot-xt');
        if (bad === '<LI>a.xml</LI>' || bad.includes('class="state">X<')) {
          // No line in the listing's format at all: no listing of this gateway.
          expect(alone.unexpected, bad).toBeDefined();
        } else {
          // A hostile entry in the gateway's format: skipped and reported even when it is the only one.
          expect(alone, bad).toMatchObject({ files: [], skipped: [expect.any(String)] });
          expect(alone.unexpected, bad).toBeUndefined();
        }
      }
    });

    it('a hostile line in the listing is reported; the other files are listed and fetched', async () => {
      peer.gateway.addWaiting('AVANT.xml', Buffer.from('<avant/>'));
      peer.gateway.addListingLine('<LI><A HREF="/depot-xt/../../etc/passwd?local_ident=7">passwd\u0007</A> <SPAN class="state">B</SPAN></LI>');
      peer.gateway.addWaiting('APRES.xml', Buffer.from('<apres/>'));
      const session = await open();
      const skipped: SkippedEntry[] = [];
      const entries = await session.list!({ onSkipped: (entry) => skipped.push(entry) });
      expect(entries.map((entry) => entry.name)).toEqual(['AVANT.xml', 'APRES.xml']);
      expect(skipped).toEqual([{ name: expect.stringContaining('/depot-xt/../../etc/passwd'), key: 'protocol.xfb.skippedLine', params: expect.objectContaining({ host: expect.any(String) }) }]);
      for (const entry of entries) await session.fetch!(entry, join(scratch, entry.name));
      expect(await readFile(join(scratch, 'APRES.xml'), 'utf8')).toBe('<apres/>');
    });

    it('retrieve: the hostile line is a logged warning, the other files are received, exit 0', async () => {
      peer.gateway.addWaiting('AVANT.xml', Buffer.from('<avant/>'));
      peer.gateway.addListingLine('<LI><A HREF="/depot-xt/%2E%2E%2Fpiege.xml?local_ident=7">../piege.xml\n</A> <SPAN class="state">B</SPAN></LI>');
      const ws = xfbWorkspace(h.profile, 0);
      ws.config.scenarios.PES!.retrieve = { enabled: true, afterSend: false, at: [] };
      try {
        const engine = ws.engine();
        const result = await retrieve(engine, { selection: { scenarios: [], profiles: [] }, listOnly: false }).finally(() => engine.close());
        expect(result.exitCode).toBe(0);
        expect(result.files.map((f) => [f.name, f.status])).toEqual([['AVANT.xml', 'received']]);
        const log = await readFile(join(ws.root, 'logs', 'last.log'), 'utf8');
        const warning = log.split('\n').find((line) => line.includes('piege'));
        expect(warning).toMatch(/WARN/);
        expect(warning).toContain('../piege.xml\\n');
      } finally {
        ws.cleanup();
      }
    });

    it('a full local disk while downloading is this machine’s failure, never the gateway’s', async () => {
      peer.gateway.addWaiting('GROS.bin', { size: 3 * MiB });
      const local = mountTmpfs(join(scratch, 'full'), 1 * MiB);
      try {
        const session = await open();
        const [entry] = await session.list!();
        const dest = join(local, '.partial');
        const error = await expectFailure(session.fetch!(entry!, dest), 'transient', 'protocol.common.localWrite');
        expect(error.local).toBe(true);
        expect(error.params).toMatchObject({ path: dest, code: 'ENOSPC' });
      } finally {
        await unmountAll();
      }
    });

    it('a listing whose only entry is hostile lists nothing and reports it; a page with no listing line is refused as a whole', async () => {
      peer.gateway.addListingLine('<LI><A HREF="/ailleurs/a.xml?local_ident=7">a.xml</A> <SPAN class="state">B</SPAN></LI>');
      const skipped: string[] = [];
      expect(await (await open()).list!({ onSkipped: (entry) => skipped.push(entry.name) })).toEqual([]);
      expect(skipped).toEqual([expect.stringContaining('/ailleurs/a.xml')]);
      peer.gateway.reset();
      peer.gateway.addListingLine('<LI>Session expired: log in again</LI>');
      const error = await expectFailure((await open()).list!(), 'permanent', 'protocol.xfb.unexpectedListing');
      expect(error.params).toMatchObject({ line: expect.stringContaining('Session expired') });
    });
  });

  describe('TLS and proxies', () => {
    it('refuses a certificate from an authority it was not given, permanently', async () => {
      const session = await open({ ca: undefined });
      const error = await expectFailure(session.list!(), 'permanent', 'protocol.web.tls');
      expect(error.connection).toBe(true);
      const checks = await session.check!();
      const tls = checks.find((c) => c.id === 'xfb.tls');
      expect(tls).toMatchObject({ status: 'fail', key: 'protocol.web.check.tlsRefused', fixKey: 'protocol.web.tls.fix' });
      expect(tls?.params).toMatchObject({ subject: '127.0.0.1', chain: expect.stringContaining('ordo TEST ONLY certificate authority') });
    });

    it('insecure works, and warns on every session and in diagnose', async () => {
      const session = await open({ ca: undefined, insecure: 'oui' });
      expect(await session.list!()).toEqual([]);
      expect(h.logged.filter((line) => line.key === 'protocol.web.insecure')).toHaveLength(1);
      await open({ ca: undefined, insecure: true });
      expect(h.logged.filter((line) => line.level === 'warn' && line.key === 'protocol.web.insecure')).toHaveLength(2);
      const tls = (await session.check!()).find((c) => c.id === 'xfb.tls');
      expect(tls).toMatchObject({ status: 'warn', key: 'protocol.web.check.tlsUnchecked' });
    });

    it('diagnose reports the certificate (chain, expiry, names), the credentials and the listing', async () => {
      peer.gateway.addWaiting('R.xml', Buffer.from('r'));
      const checks = await (await open()).check!();
      expect(checks.map((c) => [c.id, c.status])).toEqual([
        ['xfb.dns', 'ok'],
        ['xfb.tcp', 'ok'],
        ['xfb.tls', 'ok'],
        ['xfb.credentials', 'ok'],
        ['xfb.listing', 'ok'],
      ]);
      expect(checks[2]?.params).toMatchObject({ names: 'IP:127.0.0.1, DNS:localhost', chain: '127.0.0.1 ← ordo TEST ONLY certificate authority', until: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) });
      expect(checks[4]?.params).toEqual({ waiting: 1, taken: 0 });
      const refused = await (await open({ password: 'wrong-password' })).check!();
      expect(refused.find((c) => c.id === 'xfb.credentials')).toMatchObject({ status: 'fail', key: 'protocol.xfb.badCredentials', fixKey: 'protocol.xfb.badCredentials.fix' });
    });

    it('a gateway nobody listens on: unreachable, transient, and diagnose says where', async () => {
      const session = await open({ url: 'https://127.0.0.1:1/depot-xt' });
      const error = await expectFailure(session.list!(), 'transient', 'protocol.web.unreachable');
      expect(error).toMatchObject({ connection: true, params: { host: '127.0.0.1:1', code: 'ECONNREFUSED' } });
      const checks = await session.check!();
      expect(checks.find((c) => c.id === 'xfb.tcp')).toMatchObject({ status: 'fail', key: 'protocol.web.unreachable' });
    });
  });
});

describe('xfb through a proxy', () => {
  let proxied: XfbPeer;
  let scratch: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    proxied = await startXfbPeer({ tls: true, proxy: { user: 'proxy-user', password: 'proxy-secret' } });
  });
  afterAll(async () => {
    await proxied.close();
  });
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'ordo-xfb-proxy-'));
  });
  afterEach(async () => {
    process.env = { ...saved };
    await rm(scratch, { recursive: true, force: true });
  });

  const proxyWith = (credentials: string): string => proxied.proxy!.url.replace('http://', `http://${credentials}@`);

  it('a gateway behind a proxy cannot be reached directly', async () => {
    const session = await createXfbHarness(proxied).openWith({ proxy: undefined });
    const error = expectTransferError(await failure(session.list!()), 'transient');
    expect(error.key).toMatch(/^protocol\.web\.(cut|unreachable)$/);
    await session.close();
  });

  it('goes through the `proxy` setting, and diagnose reports the tunnel', async () => {
    const h = createXfbHarness(proxied);
    const session = await h.openWith({ proxy: proxyWith('proxy-user:proxy-secret') });
    await session.send!(await sendItem(scratch, 'PES.xml', Buffer.from('via proxy')));
    expect(proxied.gateway.kept('PES.xml')).toHaveLength(1);
    expect(proxied.server.requests.every((r) => r.viaProxy)).toBe(true);
    expect(proxied.proxy!.tunnels.at(-1)).toBe(new URL(proxied.url).host);
    const checks = await session.check!();
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['xfb.dns', 'ok'],
      ['xfb.proxy', 'ok'],
      ['xfb.tls', 'ok'],
      ['xfb.credentials', 'ok'],
      ['xfb.listing', 'ok'],
    ]);
    await session.close();
  });

  it('goes through HTTPS_PROXY from the environment', async () => {
    process.env.HTTPS_PROXY = proxyWith('proxy-user:proxy-secret');
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    const session = await createXfbHarness(proxied).openWith({ proxy: undefined });
    expect(await session.list!()).toEqual([]);
    await session.close();
  });

  it('a proxy that refuses ordo’s credentials is a permanent connection failure, its password never shown', async () => {
    const session = await createXfbHarness(proxied).openWith({ proxy: proxyWith('proxy-user:wrong-secret') });
    const error = expectTransferError(await failure(session.list!()), 'permanent');
    expect(error).toMatchObject({ key: 'protocol.web.proxyAuth', connection: true, params: { proxy: proxied.proxy!.url.replace('http://', '') } });
    for (const text of everyText(error)) expect(text).not.toContain('wrong-secret');
    const checks = await session.check!();
    expect(checks.find((c) => c.id === 'xfb.proxy')).toMatchObject({ status: 'fail', key: 'protocol.web.proxyAuth', fixKey: 'protocol.web.proxyAuth.fix' });
    await session.close();
  });
});

function xfbWorkspace(profile: Record<string, unknown>, sendMs: number, retries?: ScenarioConfig['retries']): Workspace {
  const ws = workspace((dir) => [
    scenario('PES', dir, {
      protocol: 'xfb',
      options: {},
      delays: { sendMs, retrieveMs: 0 },
      retrieve: { enabled: false, afterSend: false, at: [] },
      ...(retries === undefined ? {} : { retries }),
    }),
  ]);
  ws.config.profiles.VILLE = { name: 'VILLE', protocols: { xfb: profile } };
  return ws;
}

async function sendAll(ws: Workspace, count = 3): Promise<void> {
  const engine = ws.engine();
  try {
    const result = await send(engine, { selection: { scenarios: [], profiles: [] }, retrieveAfter: false });
    expect(result.files.map((f) => f.status)).toEqual(Array.from({ length: count }, () => 'sent'));
  } finally {
    await engine.close();
  }
}
