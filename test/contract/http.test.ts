// The `http` protocol against the AIREPPNET-style upload peer: the shared contract suite (multipart with
// Basic authentication, and raw body with a bearer token, both over HTTPS with the test CA), then what
// only this protocol does — one address per file type, form fields, authentication modes, what
// success looks like, and the failures it shares with `xfb`.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/index.js';
// The protocols' messages join the catalog with the registry.
import '../../src/protocols/registry.js';
import type { ProtocolSession, TransferError } from '../../src/protocols/contract.js';
import { httpProtocol } from '../../src/protocols/http/protocol.js';
import { MiB, sendItem, sha256 } from './files.js';
import { createHttpHarness, HTTP_PASSWORD, startHttpTestPeer, type HttpHarness, type HttpPeer } from './http-harness.js';
import { defineContractSuite, expectTransferError, failure, unable } from './suite.js';

const TOKEN = 'bearer-token-0123456789';

let multipartPeer: HttpPeer;
let rawPeer: HttpPeer;
beforeAll(async () => {
  multipartPeer = await startHttpTestPeer({ requiredFields: { insee: '40999' } });
  rawPeer = await startHttpTestPeer({ body: 'raw', method: 'PUT', auth: { type: 'bearer', token: TOKEN } });
});
afterAll(async () => {
  await multipartPeer.close();
  await rawPeer.close();
});

// The upload endpoint only receives: nothing waits there, so there is nothing to plant for the listing test.
const NOTHING_TO_LIST = unable('the http peer is an upload endpoint: nothing waits there to be listed, so no entry can be planted');
defineContractSuite('http (multipart, Basic)', () => Promise.resolve(createHttpHarness(multipartPeer, { options: { fields: { insee: '40999' } } })), {
  faults: true,
  unfetchableEntries: NOTHING_TO_LIST,
});
defineContractSuite(
  'http (raw body, bearer token)',
  () => Promise.resolve(createHttpHarness(rawPeer, { profile: { auth: { token: TOKEN }, body: 'raw', method: 'PUT' } })),
  { faults: true, unfetchableEntries: NOTHING_TO_LIST },
);

describe('http protocol', () => {
  let h: HttpHarness;
  let scratch: string;
  const sessions: ProtocolSession[] = [];
  const failures: TransferError[] = [];

  async function open(profile: Record<string, unknown> = {}, options: Record<string, unknown> = {}): Promise<ProtocolSession> {
    const session = await h.openWith(profile, options);
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
    h = createHttpHarness(multipartPeer, { options: { fields: { insee: '40999' } } });
    scratch = await mkdtemp(join(tmpdir(), 'ordo-http-test-'));
  });

  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close();
    await rm(scratch, { recursive: true, force: true });
  });

  afterAll(() => {
    expect(failures.length).toBeGreaterThan(5);
    for (const error of failures) {
      for (const text of [error.message, JSON.stringify(error.params), error.serverMessage ?? '', t(error.key, error.params, 'en')]) {
        expect(text).not.toContain(HTTP_PASSWORD);
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(Buffer.from(`mairie-40999:${HTTP_PASSWORD}`).toString('base64'));
      }
    }
  });

  describe('settings', () => {
    const urls = { electionsFR: 'https://insee.example/fr', electionsEU: 'https://insee.example/eu', etatCivil: 'https://insee.example/ec/{name}' };

    it('accepts the documented forms, INI text included', () => {
      expect(httpProtocol.validate!({ urls }, { fileType: 'electionsFR' })).toEqual([]);
      expect(httpProtocol.validate!({ urls: { one: 'https://x.example/up' } }, {})).toEqual([]);
      expect(
        httpProtocol.validate!(
          { urls, auth: { type: 'Basic', user: 'U', password: 'P' }, method: 'put', body: 'RAW', fileField: 'fichier', successStatus: '200;201', successPattern: 'OK \\d+', timeout: '45s', insecure: '0' },
          { fileType: 'etatCivil' },
        ),
      ).toEqual([]);
      expect(httpProtocol.validate!({ urls, auth: { token: 'T' }, cert: 'c.pem', key: 'k.pem' }, { fileType: 'electionsEU', fields: { insee: 40999, commune: 'Saint-Exemple' } })).toEqual([]);
      expect(httpProtocol.validate!({ urls, auth: { type: 'certificate' }, cert: 'c.pem', key: 'k.pem' }, { fileType: 'electionsEU' })).toEqual([]);
    });

    it('reports every wrong key at once, with what is accepted', () => {
      const keys = (profile: Record<string, unknown>, options: Record<string, unknown> = { fileType: 'electionsFR' }) =>
        httpProtocol.validate!(profile, options).map((p) => [p.where, p.key, p.messageKey]);
      expect(keys({}, {})).toEqual([['profile', 'urls', 'protocol.http.setting.urls']]);
      expect(keys({ urls: { electionsFR: 'insee.example/fr' } })).toEqual([['profile', 'urls.electionsFR', 'protocol.web.url.invalid']]);
      expect(keys({ urls, auth: { type: 'basic', user: 'U' } })).toEqual([['profile', 'auth.password', 'protocol.web.setting.required']]);
      expect(keys({ urls, auth: { type: 'basic', user: 'U', password: 'P', login: 'x' } })).toEqual([['profile', 'auth.login', 'protocol.http.setting.authKey']]);
      expect(keys({ urls, auth: { type: 'ntlm' } })).toEqual([['profile', 'auth.type', 'protocol.http.setting.authType']]);
      expect(keys({ urls, auth: { type: 'certificate' } })).toEqual([['profile', 'auth.type', 'protocol.http.setting.certificateAuth']]);
      expect(keys({ urls, auth: 'basic' })).toEqual([['profile', 'auth', 'protocol.http.setting.authGroup']]);
      expect(keys({ urls, method: 'GET', body: 'json', successStatus: '2xx', successPattern: '(' })).toEqual([
        ['profile', 'method', 'protocol.http.setting.method'],
        ['profile', 'body', 'protocol.http.setting.body'],
        ['profile', 'successStatus', 'protocol.http.setting.successStatus'],
        ['profile', 'successPattern', 'protocol.http.setting.successPattern'],
      ]);
      expect(keys({ urls }, {})).toEqual([['options', 'fileType', 'protocol.http.option.fileTypeNeeded']]);
      expect(keys({ urls }, { fileType: 'cadastre' })).toEqual([['options', 'fileType', 'protocol.http.option.fileType']]);
      expect(keys({ urls, body: 'raw' }, { fileType: 'electionsFR', fields: { insee: '1' } })).toEqual([['options', 'fields', 'protocol.http.option.fieldsNeedForm']]);
      expect(keys({ urls }, { fileType: 'electionsFR', fields: ['insee'] })).toEqual([['options', 'fields', 'protocol.http.option.fields']]);
    });
  });

  describe('sending', () => {
    it('sends each file type to its own address, with the form fields and the file name', async () => {
      for (const fileType of ['electionsFR', 'electionsEU', 'etatCivil']) {
        const session = await open({}, { fileType, fields: { insee: '40999', fichier: '{name}' } });
        const receipt = await session.send!(await sendItem(scratch, `${fileType}.txt`, Buffer.from(fileType)));
        expect(receipt.remoteId).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:\\d+/aireppnet/[a-z-]+/deposits/\\d+$`));
      }
      expect(multipartPeer.endpoint.deposits.map((d) => [d.fileType, d.name, d.fields])).toEqual([
        ['electionsFR', 'electionsFR.txt', { insee: '40999', fichier: 'electionsFR.txt' }],
        ['electionsEU', 'electionsEU.txt', { insee: '40999', fichier: 'electionsEU.txt' }],
        ['etatCivil', 'etatCivil.txt', { insee: '40999', fichier: 'etatCivil.txt' }],
      ]);
      const uploading = h.logged.find((line) => line.key === 'protocol.http.uploading');
      expect(uploading?.params).toMatchObject({ name: 'electionsFR.txt', fileType: 'electionsFR', url: multipartPeer.urls.electionsFR });
      expect(JSON.stringify(h.logged)).not.toContain(HTTP_PASSWORD);
    });

    it('a form the partner does not accept (a required field missing) is a permanent refusal with its words', async () => {
      const session = await open({}, { fields: {} });
      const error = await expectFailure(session.send!(await sendItem(scratch, 'a.txt', Buffer.from('a'))), 'permanent', 'protocol.web.rejected');
      expect(error.serverMessage).toBe('missing or wrong field(s): insee');
    });

    it('refused credentials are permanent and stop the scenario', async () => {
      const session = await open({ auth: { type: 'basic', user: 'mairie-40999', password: 'wrong-password' } });
      const error = await expectFailure(session.send!(await sendItem(scratch, 'a.txt', Buffer.from('a'))), 'permanent', 'protocol.web.authRefused');
      expect(error).toMatchObject({ connection: true, serverMessage: 'authentication required', params: { status: 401 } });
      expect(multipartPeer.endpoint.deposits).toEqual([]);
    });

    it('success is the expected status and, when asked, the expected words — anything else may or may not have arrived', async () => {
      const item = await sendItem(scratch, 'a.txt', Buffer.from('a'));
      expect((await (await open({ successStatus: '201', successPattern: 'deposit \\d+ received' })).send!(item)).state).toBe('acknowledged');
      const status = await expectFailure((await open({ successStatus: 200 })).send!(item), 'transient', 'protocol.http.notConfirmed');
      expect(status).toMatchObject({ uncertain: true, params: { status: 201 } });
      const words = await expectFailure((await open({ successPattern: '^ACCEPTED' })).send!(item), 'transient', 'protocol.http.notConfirmed');
      expect(words.uncertain).toBe(true);
      expect(words.serverMessage).toMatch(/^deposit \d+ received: a\.txt$/);
    });

    it('5xx is transient with Retry-After; a slow answer after the whole body is uncertain', async () => {
      const session = await open({ timeout: '300ms' });
      multipartPeer.faults.failNext(1, 502, 3);
      const busy = await expectFailure(session.send!(await sendItem(scratch, 'a.txt', Buffer.from('a'))), 'transient', 'protocol.web.serverError');
      expect(busy).toMatchObject({ retryAfterMs: 3000, uncertain: false });
      multipartPeer.faults.answerSlowly(1500);
      const slow = await expectFailure(session.send!(await sendItem(scratch, 'b.txt', Buffer.from('b'))), 'transient', 'protocol.web.timeoutAfterBody');
      expect(slow.uncertain).toBe(true);
    });

    it('without the partner’s certificate authority the TLS connection is refused, permanently', async () => {
      const session = await open({ ca: undefined });
      const error = await expectFailure(session.send!(await sendItem(scratch, 'a.txt', Buffer.from('a'))), 'permanent', 'protocol.web.tls');
      expect(error.connection).toBe(true);
    });

    it('diagnose: connection, certificate, address and credentials, without sending anything', async () => {
      const checks = await (await open()).check!();
      expect(checks.map((c) => [c.id, c.status])).toEqual([
        ['http.dns', 'ok'],
        ['http.tcp', 'ok'],
        ['http.tls', 'ok'],
        ['http.address', 'ok'],
        ['http.credentials', 'ok'],
      ]);
      const refused = await (await open({ auth: { type: 'basic', user: 'x', password: 'wrong-password' } })).check!();
      expect(refused.at(-1)).toMatchObject({ id: 'http.credentials', status: 'fail', key: 'protocol.http.check.credentialsRefused' });
      expect(multipartPeer.endpoint.deposits).toEqual([]);
    });
  });

  describe('raw body', () => {
    it('names the file in Content-Disposition (any name) or in the address with {name}', async () => {
      const raw = createHttpHarness(rawPeer, { profile: { auth: { token: TOKEN }, body: 'raw', method: 'PUT' } });
      const session = await raw.openWith();
      sessions.push(session);
      await session.send!(await sendItem(scratch, 'ÉTAT CIVIL (2024) n°1.txt', Buffer.from('civil')));
      const byPath = await raw.openWith({ urls: { ...rawPeer.urls, electionsFR: `${rawPeer.urls.electionsFR}/{name}` } });
      sessions.push(byPath);
      await byPath.send!(await sendItem(scratch, 'liste électorale #2.csv', Buffer.from('liste')));
      expect(rawPeer.endpoint.deposits.map((d) => d.name)).toEqual(['ÉTAT CIVIL (2024) n°1.txt', 'liste électorale #2.csv']);
      expect(await readFile(rawPeer.endpoint.deposits[1]!.path, 'utf8')).toBe('liste');
      const wrong = await raw.openWith({ auth: { token: 'not-the-token' } });
      sessions.push(wrong);
      const error = await expectFailure(wrong.send!(await sendItem(scratch, 'x.txt', Buffer.from('x'))), 'permanent', 'protocol.web.authRefused');
      expect(error.serverMessage).toBe('authentication required');
    });
  });
});

describe('http with a client certificate', () => {
  let peer: HttpPeer;
  let scratch: string;
  beforeAll(async () => {
    peer = await startHttpTestPeer({ auth: { type: 'certificate' } });
  });
  afterAll(async () => {
    await peer.close();
  });
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'ordo-http-cert-'));
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('authenticates with cert and key; without them, or with a stranger’s, access is refused', async () => {
    const pki = peer.pki!;
    const h = createHttpHarness(peer, { profile: { auth: { type: 'certificate' }, cert: pki.clientCert, key: pki.clientKey } });
    const session = await h.open();
    await session.send!(await sendItem(scratch, 'a.txt', Buffer.from('a')));
    expect(peer.endpoint.deposits.map((d) => d.name)).toEqual(['a.txt']);
    expect((await session.check!()).map((c) => c.status)).not.toContain('fail');
    await session.close();

    for (const profile of [{ auth: { type: 'none' }, cert: undefined, key: undefined }, { auth: { type: 'none' }, cert: pki.strangerCert, key: pki.strangerKey }]) {
      const refused = await h.openWith(profile);
      const error = expectTransferError(await failure(refused.send!(await sendItem(scratch, 'b.txt', Buffer.from('b')))), 'permanent');
      expect(error).toMatchObject({ key: 'protocol.web.forbidden', connection: true });
      await refused.close();
    }
    expect(peer.endpoint.deposits).toHaveLength(1);
  });
});

describe('http through a required proxy', () => {
  let peer: HttpPeer;
  let scratch: string;
  beforeAll(async () => {
    peer = await startHttpTestPeer({ proxy: true });
  });
  afterAll(async () => {
    await peer.close();
  });
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'ordo-http-proxy-'));
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('only the proxied session gets through', async () => {
    const h = createHttpHarness(peer);
    const direct = await h.openWith();
    expectTransferError(await failure(direct.send!(await sendItem(scratch, 'a.txt', Buffer.from('a')))), 'transient');
    await direct.close();
    const proxied = await h.openWith({ proxy: peer.proxy!.url });
    await proxied.send!(await sendItem(scratch, 'a.txt', Buffer.from('a')));
    expect(peer.endpoint.deposits.map((d) => d.name)).toEqual(['a.txt']);
    expect((await proxied.check!()).find((c) => c.id === 'http.proxy')).toMatchObject({ status: 'ok' });
    await proxied.close();
  });

  it('a file many reads long arrives byte for byte through the proxy', async () => {
    const h = createHttpHarness(peer);
    const data = randomBytes(9 * MiB + 5);
    const proxied = await h.openWith({ proxy: peer.proxy!.url });
    try {
      await proxied.send!(await sendItem(scratch, 'big.bin', data));
    } finally {
      await proxied.close();
    }
    expect(await h.sentSha256!('big.bin')).toBe(sha256(data));
  });
});
