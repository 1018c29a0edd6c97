// What only the `pastell` protocol does, against the Pastell API v2 peer (HTTPS, test CA): a PES sent
// in four steps, followed until the TdT answers (acquit OK, KO, tdt-error), resumed after a crash at
// every step without a second document or a second sending, a lost answer, Pastell's refusals and
// rate limits, the form-urlencoded PATCH, PES Retour retrieval and diagnose.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPastellPeer } from '../../fixtures/peers/peers.mjs';
import { t } from '../../src/i18n/index.js';
import type { PendingSend, ProtocolSession, Receipt, SendItem, SendSteps, TransferError } from '../../src/protocols/contract.js';
import { pastellProtocol } from '../../src/protocols/pastell/protocol.js';
import { documentSubject } from '../../src/protocols/pastell/send.js';
import { sendItem, sha256 } from './files.js';
import { createPastellHarness, type PastellHarness, type PastellPeer } from './pastell-harness.js';
import { expectTransferError, failure } from './suite.js';

const PES_NAME = 'PESALR2_21400999900017_261123_0930.xml';
const PES_FIXTURE = new URL(`../../fixtures/pes/${PES_NAME}`, import.meta.url);
const HELIOS = { type: 'helios-generique' };

/** An `onStep` that keeps every step (a list) or merges them (as the engine's journal does). */
function journalInto(into: SendSteps | SendSteps[]): (step: SendSteps) => Promise<void> {
  return (step) => {
    if (Array.isArray(into)) into.push(step);
    else Object.assign(into, step);
    return Promise.resolve();
  };
}

let peer: PastellPeer;
beforeAll(async () => {
  peer = await startPastellPeer({ tls: true, delayMs: 1e9 });
});
afterAll(async () => {
  await peer.close();
});

describe('pastell protocol', () => {
  let h: PastellHarness;
  let scratch: string;
  const sessions: ProtocolSession[] = [];
  const failures: TransferError[] = [];

  async function open(profile: Record<string, unknown> = {}, options: Record<string, unknown> = HELIOS): Promise<ProtocolSession> {
    const session = await h.openWith(profile, options, true);
    sessions.push(session);
    return session;
  }

  /** The PES fixture under its own name, or with a comment appended (another SHA-1 for the TdT). */
  async function pes(variant = ''): Promise<SendItem> {
    const path = join(scratch, `${variant}${PES_NAME}`);
    await copyFile(PES_FIXTURE, path);
    if (variant !== '') await writeFile(path, `${(await readFile(path)).toString('latin1')}<!-- ${variant} -->\n`, 'latin1');
    const data = await readFile(path);
    return { path, name: PES_NAME, size: data.length, sha256: sha256(data) };
  }

  async function expectFailure(promise: Promise<unknown>, kind: 'transient' | 'permanent', key: string): Promise<TransferError> {
    const error = expectTransferError(await failure(promise), kind);
    expect(error.key).toBe(key);
    failures.push(error);
    return error;
  }

  const pendingOf = (receipt: Receipt): PendingSend => ({ name: PES_NAME, remoteId: receipt.remoteId, follow: receipt.follow!, since: new Date() });
  const actionRequests = (action = 'send-tdt') => peer.api.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/action/${action}`));
  const heliosDocuments = () => h.documentsOf('helios-generique');

  beforeEach(async () => {
    h = createPastellHarness(peer, {});
    scratch = await mkdtemp(join(tmpdir(), 'ordo-pastell-test-'));
  });

  afterEach(async () => {
    // Neither the password nor the token (nor the Basic header made of them) ever reaches the log.
    const logged = JSON.stringify(h.logged);
    for (const secret of [peer.account.password, peer.account.token, Buffer.from(`${peer.account.login}:${peer.account.password}`).toString('base64')]) expect(logged).not.toContain(secret);
    for (const session of sessions.splice(0)) await session.close();
    await rm(scratch, { recursive: true, force: true });
  });

  afterAll(() => {
    expect(failures.length).toBeGreaterThan(5);
    for (const error of failures) {
      for (const text of [error.message, JSON.stringify(error.params), error.serverMessage ?? '', t(error.key, error.params, 'en'), t(error.key, error.params, 'fr')]) {
        expect(text).not.toContain(peer.account.password);
        expect(text).not.toContain(peer.account.token);
      }
    }
  });

  describe('settings', () => {
    const base = { url: 'https://pastell.example', entity: '42', user: 'u', password: 'p' };
    it('accepts Basic or a token, and the presets; custom says what it needs', () => {
      expect(pastellProtocol.validate!(base, {})).toEqual([]);
      expect(pastellProtocol.validate!({ url: 'https://pastell.example/', entity: 42, token: 'T' }, { type: 'LS-HELIOS', envoi_ged: 'oui', subject: '{nomfic}' })).toEqual([]);
      expect(pastellProtocol.validate!({ url: 'https://pastell.example', entity: '42' }, {}).map((p) => [p.key, p.messageKey])).toEqual([['token', 'protocol.pastell.setting.credentials']]);
      expect(pastellProtocol.validate!({ ...base, token: 'T' }, {})[0]?.messageKey).toBe('protocol.pastell.setting.twoCredentials');
      expect(pastellProtocol.validate!({ ...base, entity: 'mairie' }, {})[0]?.messageKey).toBe('protocol.pastell.setting.entity');
      expect(pastellProtocol.validate!(base, { type: 'custom', documentType: 'x' }).map((p) => p.key)).toEqual(['fileField', 'action', 'acknowledgedStates']);
      expect(pastellProtocol.validate!(base, { afterRetrieve: 'move:done' })[0]?.messageKey).toBe('protocol.pastell.setting.afterRetrieve');
      expect(pastellProtocol.validate!(base, { type: 'helios' })[0]?.messageKey).toBe('protocol.pastell.setting.type');
    });

    it('the title: NomFic by default, a template, cleaned and cut', () => {
      expect(documentSubject(undefined, 'f.xml', 'PESALR2_X.xml')).toBe('PESALR2_X.xml');
      expect(documentSubject(undefined, 'f.xml', undefined)).toBe('f');
      expect(documentSubject('PES {stem} ({nomfic})', 'f.xml', 'N')).toBe('PES f (N)');
      expect(documentSubject('a\n\tb   c', 'f.xml', undefined)).toBe('a b c');
      expect(documentSubject('é'.repeat(400), 'f.xml', undefined)).toHaveLength(250);
      expect(documentSubject('a'.repeat(249) + '😀', 'f.xml', undefined)).toBe('a'.repeat(249));
    });
  });

  describe('helios-generique', () => {
    it('sends in four reported steps, then follows: pending, then acknowledged with the acquit written', async () => {
      const session = await open();
      const steps: SendSteps[] = [];
      const receipt = await session.send!(await pes(), { onStep: journalInto(steps) });
      expect(steps.map((step) => step.step)).toEqual(['creating', 'created', 'fields', 'file', 'action']);
      const id_d = receipt.remoteId;
      expect(receipt).toMatchObject({ state: 'pending', follow: { id_e: '42', id_d, type: 'helios-generique' } });
      expect(steps.slice(1).every((step) => step.id_d === id_d && step.id_e === '42')).toBe(true);
      expect(peer.api.requests.map((r) => `${r.method} ${r.path.replace(id_d, 'ID')}`)).toEqual([
        'POST /api/v2/entite/42/document',
        'PATCH /api/v2/entite/42/document/ID',
        'POST /api/v2/entite/42/document/ID/file/fichier_pes',
        'POST /api/v2/entite/42/document/ID/action/send-tdt',
      ]);
      const patch = peer.api.requests.find((r) => r.method === 'PATCH')!;
      expect(patch.contentType).toBe('application/x-www-form-urlencoded');
      const doc = peer.documents.get(id_d)!;
      expect(doc.data).toMatchObject({ objet: PES_NAME, envoi_tdt: 'on', envoi_ged: 'off', envoi_sae: 'off', envoi_signature_check: 'off' });
      expect(peer.api.state(doc)).toBe('send-tdt');

      const receiptPath = join(scratch, '.partial-acquit');
      expect(await session.follow!(pendingOf(receipt), receiptPath)).toMatchObject({ state: 'pending', detail: { state: 'send-tdt' } });
      await peer.api.advance();
      const followed = await session.follow!(pendingOf(receipt), receiptPath);
      const acquit = await peer.api.readFile(doc, 'fichier_reponse');
      expect(followed).toEqual({ state: 'acknowledged', receipt: { name: 'PESALR2_21400999900017_261123_0930_ACK.xml', bytes: acquit!.length }, detail: { id_d, state: 'info-tdt', etat_ack: '1' } });
      expect(await readFile(receiptPath)).toEqual(acquit);
    });

    it('the daemon’s steps come with time: followed again after the delay, acknowledged', async () => {
      const session = await open();
      peer.api.delayMs = 40;
      try {
        const receipt = await session.send!(await pes());
        expect((await session.follow!(pendingOf(receipt), join(scratch, 'a'))).state).toBe('pending');
        await new Promise((resolve) => setTimeout(resolve, 60));
        expect((await session.follow!(pendingOf(receipt), join(scratch, 'a'))).state).toBe('acknowledged');
      } finally {
        peer.api.delayMs = 1e9;
      }
    });

    it('verify: present once sent (same bytes, action triggered), absent for other content', async () => {
      const session = await open();
      const item = await pes();
      expect(await session.verify!(item)).toBe('absent');
      await session.send!(item);
      expect(await session.verify!(item)).toBe('present');
      expect(await session.verify!(await pes('other'))).toBe('absent');
    });

    it('works with a Bearer token too', async () => {
      const session = await open({ user: undefined, password: undefined, token: peer.account.token });
      expect((await session.send!(await pes())).state).toBe('pending');
      expect(heliosDocuments()).toHaveLength(1);
    });

    it('a KO acquit is a refusal, with the reason written in the acquit', async () => {
      const session = await open();
      peer.api.outcome = { result: 'ko', reason: 'Bordereau 412 : montant incohérent' };
      const receipt = await session.send!(await pes());
      await peer.api.advance();
      const followed = await session.follow!(pendingOf(receipt), join(scratch, 'ack'));
      expect(followed).toMatchObject({ state: 'refused', reason: 'Bordereau 412 : montant incohérent', receipt: { name: 'PESALR2_21400999900017_261123_0930_ACK.xml' } });
    });

    it('refus-tdt (Pastell 2.0) is a refusal with Pastell’s message', async () => {
      const session = await open();
      peer.api.outcome = { result: 'refus-tdt', message: 'Transaction refusée' };
      const receipt = await session.send!(await pes());
      await peer.api.advance();
      expect(await session.follow!(pendingOf(receipt), join(scratch, 'ack'))).toMatchObject({ state: 'refused', reason: 'Transaction refusée' });
    });

    it('tdt-error is a failure with Pastell’s words and a fix', async () => {
      const session = await open();
      peer.api.outcome = { result: 'tdt-error', message: 'Erreur S²LOW : statut -1' };
      const receipt = await session.send!(await pes());
      await peer.api.advance();
      expect(await session.follow!(pendingOf(receipt), join(scratch, 'ack'))).toEqual({
        state: 'failed',
        key: 'protocol.pastell.tdtError',
        params: { name: PES_NAME, id_d: receipt.remoteId, state: 'tdt-error' },
        fixKey: 'protocol.pastell.tdtError.fix',
        serverMessage: 'Erreur S²LOW : statut -1',
      });
    });

    it('refuses a file that is not a PES Aller before anything is created', async () => {
      const session = await open();
      const retour = join(scratch, 'pes-retour.xml');
      await copyFile(new URL('../../fixtures/pes/pes-retour.xml', import.meta.url), retour);
      const item = { path: retour, name: 'pes-retour.xml', size: 552, sha256: '' };
      await expectFailure(session.send!(item), 'permanent', 'pes.notPesAller');
      const broken = join(scratch, 'broken.xml');
      await copyFile(new URL('../../fixtures/pes/not-well-formed.xml', import.meta.url), broken);
      await expectFailure(session.send!({ ...item, path: broken, name: 'broken.xml' }), 'permanent', 'pes.notXml');
      expect(peer.api.requests).toEqual([]);
    });
  });

  describe('resuming an interrupted send', () => {
    for (const stop of ['creating', 'created', 'fields', 'file', 'action']) {
      it(`after step ${stop}: the same document, the action triggered once`, async () => {
        const session = await open();
        const item = await pes();
        const journal: SendSteps = {};
        const crash = new Error('crash');
        const error = await failure(
          session.send!(item, {
            onStep: (step) => {
              Object.assign(journal, step);
              return step.step === stop ? Promise.reject(crash) : Promise.resolve();
            },
          }),
        );
        expect(error).toBe(crash);
        const receipt = await session.send!({ ...item, resume: { ...journal } }, { onStep: journalInto(journal) });
        expect(receipt.state).toBe('pending');
        expect(heliosDocuments()).toHaveLength(1);
        expect(receipt.remoteId).toBe(heliosDocuments()[0]!.id_d);
        expect(actionRequests()).toHaveLength(1);
        expect(peer.api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/file/fichier_pes'))).toHaveLength(1);
        expect(journal.step).toBe('action');
      });
    }

    it('a lost answer to the create request: the untitled document is found and continued', async () => {
      const session = await open();
      const item = await pes();
      const journal: SendSteps = {};
      peer.api.dropAnswerOf({ method: 'POST', path: '/entite/42/document' });
      const error = await expectFailure(session.send!(item, { onStep: journalInto(journal) }), 'transient', 'protocol.web.cutAfterBody');
      expect(error.uncertain).toBe(true);
      expect(journal.step).toBe('creating');
      expect(heliosDocuments()).toHaveLength(1);
      await session.send!({ ...item, resume: { ...journal } });
      expect(heliosDocuments()).toHaveLength(1);
      expect(actionRequests()).toHaveLength(1);
      expect(h.logged.some((line) => line.key === 'protocol.pastell.adopted')).toBe(true);
    });

    it('a lost answer to send-tdt: resumed, the action is not triggered again', async () => {
      const session = await open();
      const item = await pes();
      const journal: SendSteps = {};
      peer.api.dropAnswerOf({ method: 'POST', path: '/action/send-tdt' });
      const error = await expectFailure(session.send!(item, { onStep: journalInto(journal) }), 'transient', 'protocol.web.cutAfterBody');
      expect(error.uncertain).toBe(true);
      const receipt = await session.send!({ ...item, resume: { ...journal } });
      expect(receipt).toMatchObject({ state: 'pending', remoteId: heliosDocuments()[0]!.id_d });
      expect(actionRequests()).toHaveLength(1);
    });

    it('a lost answer to send-tdt, sent again from scratch: the TdT’s “doublon” means already sent (pending, one document)', async () => {
      const session = await open();
      const item = await pes();
      peer.api.dropAnswerOf({ method: 'POST', path: '/action/send-tdt' });
      await expectFailure(session.send!(item), 'transient', 'protocol.web.cutAfterBody');
      const original = heliosDocuments()[0]!.id_d;
      const receipt = await session.send!(item);
      expect(receipt).toMatchObject({ state: 'pending', remoteId: original, follow: { id_d: original } });
      expect(actionRequests()).toHaveLength(2);
      expect(heliosDocuments().map((doc) => doc.id_d)).toEqual([original]);
      expect(h.logged.some((line) => line.key === 'protocol.pastell.doublon')).toBe(true);
    });

    it('the same PES sent again, its first document gone: the doublon is a permanent refusal', async () => {
      const session = await open();
      const item = await pes();
      const first = await session.send!(item);
      peer.documents.delete(first.remoteId);
      const error = await expectFailure(session.send!(item), 'permanent', 'protocol.pastell.alreadyPosted');
      expect(error.serverMessage).toBe('doublon détecté. Ce fichier a déjà été posté.');
    });
  });

  describe('errors', () => {
    it('429 with Retry-after and 5xx are transient, with the delay asked', async () => {
      const session = await open();
      peer.api.failNext(429, 60);
      const busy = await expectFailure(session.send!(await pes()), 'transient', 'protocol.web.busy');
      expect(busy.retryAfterMs).toBe(60_000);
      peer.api.failNext(503);
      const down = await expectFailure(session.send!(await pes('b')), 'transient', 'protocol.web.serverError');
      expect(down.serverMessage).toBe('Erreur interne du serveur');
    });

    it('wrong credentials: permanent connection error (401); after 5 failed logins a minute, 429 Retry-after 60', async () => {
      const session = await open({ password: 'wrong-password' });
      const refused = await expectFailure(session.send!(await pes()), 'permanent', 'protocol.pastell.authRefused');
      expect(refused).toMatchObject({ connection: true, serverMessage: 'Accès interdit' });
      const token = await open({ user: undefined, password: undefined, token: 'not-a-token' });
      await expectFailure(token.send!(await pes()), 'permanent', 'protocol.pastell.authRefused');
      for (let i = 0; i < 3; i += 1) await failure(session.send!(await pes()));
      const locked = await expectFailure((await open()).send!(await pes()), 'transient', 'protocol.web.busy');
      expect(locked.retryAfterMs).toBe(60_000);
      expect(heliosDocuments()).toEqual([]);
    });

    it('an entity the account cannot see is a permanent connection error', async () => {
      const session = await open({ entity: '43' });
      const error = await expectFailure(session.send!(await pes()), 'permanent', 'protocol.pastell.forbidden');
      expect(error.serverMessage).toContain('Acces interdit id_e=43');
    });

    it('an action Pastell does not allow is permanent, with its message as written', async () => {
      const session = await open({}, { ...HELIOS, envoi_tdt: 'non' });
      const error = await expectFailure(session.send!(await pes()), 'permanent', 'protocol.pastell.actionRefused');
      expect(error.serverMessage).toBe('L\'action « send-tdt »  n\'est pas permise : or_1 n\'est pas vérifiée');
    });

    it('a required field left empty is permanent, with Pastell’s message', async () => {
      const session = await open({}, { type: 'custom', documentType: 'actes-generique', fileField: 'aractes', action: 'send-tdt', acknowledgedStates: 'acquiter-tdt' });
      const error = await expectFailure(session.send!(await sendItem(scratch, 'acte.pdf', Buffer.from('%PDF-1.4'))), 'permanent', 'protocol.pastell.formIncomplete');
      expect(error.serverMessage).toContain('arrete');
    });
  });

  describe('the peer, as Pastell', () => {
    const auth = () => ({ authorization: `Basic ${Buffer.from(`${peer.account.login}:${peer.account.password}`).toString('base64')}` });

    it('ignores a multipart PATCH body, as Pastell (parse_str of the raw body) does', async () => {
      const created = peer.api.plant('42', 'helios-generique', {});
      const { Agent, request } = await import('undici');
      const dispatcher = new Agent({ connect: { ca: await readFile(peer.pki!.caCert, 'utf8') } });
      const form = (parts: string[]) => ({ 'content-type': 'multipart/form-data; boundary=XyZ', body: `${parts.map((part) => `--XyZ\r\n${part}\r\n`).join('')}--XyZ--\r\n` });
      const patchForm = form(['Content-Disposition: form-data; name="objet"\r\n\r\ntitre']);
      const multipart = await request(`${peer.url}/api/v2/entite/42/document/${created.id_d}`, {
        method: 'PATCH',
        body: patchForm.body,
        headers: { ...auth(), 'content-type': patchForm['content-type'] },
        dispatcher,
      });
      expect(multipart.statusCode).toBe(200);
      expect(await multipart.body.json()).toMatchObject({ result: 'ok', formulaire_ok: 0 });
      expect(created.data.objet).toBeUndefined();
      const encoded = await request(`${peer.url}/api/v2/entite/42/document/${created.id_d}`, {
        method: 'PATCH',
        body: 'objet=titre',
        headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
        dispatcher,
      });
      await encoded.body.dump();
      expect(created.data.objet).toBe('titre');
      const notXml = form(['Content-Disposition: form-data; name="file_name"\r\n\r\nx.xml', 'Content-Disposition: form-data; name="file_content"; filename="x.xml"\r\n\r\n<a><b></a>']);
      const upload = await request(`${peer.url}/api/v2/entite/42/document/${created.id_d}/file/fichier_pes`, {
        method: 'POST',
        body: notXml.body,
        headers: { ...auth(), 'content-type': notXml['content-type'] },
        dispatcher,
      });
      expect(upload.statusCode).toBe(400);
      expect(((await upload.body.json()) as Record<string, string>)['error-message']).toMatch(/^Le fichier x\.xml n'est pas un XML correct : /);
      await dispatcher.close();
    });
  });

  describe('ls-helios', () => {
    it('orientation, then termine with pes_acquit and pes_etat_ack', async () => {
      const session = await open({}, { type: 'ls-helios' });
      const receipt = await session.send!(await pes());
      const doc = peer.documents.get(receipt.remoteId)!;
      expect(doc.data).toMatchObject({ envoi_tdt_helios: 'on', envoi_depot: 'off' });
      expect(actionRequests('orientation')).toHaveLength(1);
      expect((await session.follow!(pendingOf(receipt), join(scratch, 'a'))).state).toBe('pending');
      await peer.api.advance();
      const followed = await session.follow!(pendingOf(receipt), join(scratch, 'a'));
      expect(followed).toMatchObject({ state: 'acknowledged', receipt: { name: 'PESALR2_21400999900017_261123_0930_ACK.xml' }, detail: { state: 'termine', etat_ack: '1' } });
    });
  });

  describe('PES Retour', () => {
    it('lists the documents waiting, fetches their file, and deletes them once taken (or keeps them)', async () => {
      const data = await readFile(new URL('../../fixtures/pes/pes-retour.xml', import.meta.url));
      peer.api.plant('42', 'helios-pes-retour', { objet: 'PES_RETOUR_1' }, { fichier_pes: { name: 'PES_RETOUR_1.xml', content: data } });
      const session = await open({}, { ...HELIOS, inbox: 'helios-pes-retour' });
      const [entry] = await session.list!();
      expect(entry).toMatchObject({ name: 'PES_RETOUR_1.xml' });
      await session.fetch!(entry!, join(scratch, 'r'));
      expect(await readFile(join(scratch, 'r'))).toEqual(data);
      const kept = await open({}, { ...HELIOS, inbox: 'helios-pes-retour', afterRetrieve: 'keep' });
      await kept.acknowledge!(entry!);
      expect(h.documentsOf('helios-pes-retour')).toHaveLength(1);
      await session.acknowledge!(entry!);
      expect(h.documentsOf('helios-pes-retour')).toEqual([]);
      expect(peer.api.requests.at(-1)).toMatchObject({ method: 'DELETE', status: 204 });
    });

    it('without an inbox, listing is a permanent error that says what to set', async () => {
      await expectFailure((await open()).list!(), 'permanent', 'protocol.pastell.noInbox');
    });
  });

  describe('diagnose', () => {
    it('reports the certificate, the credentials, the version, the entity and the document types', async () => {
      const checks = await (await open({}, { ...HELIOS, inbox: 'helios-pes-retour' })).check!();
      expect(checks.filter((c) => c.status !== 'ok')).toEqual([]);
      expect(checks.map((c) => [c.id, c.status])).toEqual([
        ['pastell.dns', 'ok'],
        ['pastell.tcp', 'ok'],
        ['pastell.tls', 'ok'],
        ['pastell.credentials', 'ok'],
        ['pastell.version', 'ok'],
        ['pastell.entity', 'ok'],
        ['pastell.type.helios-generique', 'ok'],
        ['pastell.type.helios-pes-retour', 'ok'],
      ]);
      const wrong = await (await open({ password: 'wrong-password' })).check!();
      expect(wrong.find((c) => c.id === 'pastell.credentials')).toMatchObject({ status: 'fail', key: 'protocol.pastell.authRefused', fixKey: 'protocol.pastell.authRefused.fix' });
      peer.api.reset();
      const unknown = await (await open({}, { type: 'custom', documentType: 'nope', fileField: 'f', action: 'a', acknowledgedStates: 'x' })).check!();
      expect(unknown.find((c) => c.id === 'pastell.type.nope')).toMatchObject({ status: 'fail', fixKey: 'protocol.pastell.check.typeMissing.fix' });
      const otherEntity = await (await open({ entity: '43' })).check!();
      expect(otherEntity.find((c) => c.id === 'pastell.entity')).toMatchObject({ status: 'fail', params: { entity: '43', visible: '42' } });
    });
  });
});
