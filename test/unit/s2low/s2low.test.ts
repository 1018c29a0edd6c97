// What only the `s2low` protocol does, against the S²LOW peer (a real HTTPS server with client
// certificates): a PES posted and followed to its acquit, refusals and errors, a lost answer and the
// doublon that follows it, certificates S²LOW refuses, diagnose, PES Retour, logins, secrets.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startS2lowPeer } from '../../../fixtures/peers/peers.mjs';
import { startConnectProxy } from '../../../fixtures/peers/proxy.mjs';
import { t } from '../../../src/i18n/index.js';
import type { FollowResult, PendingSend, ProtocolSession, Receipt, TransferError } from '../../../src/protocols/contract.js';
import { settingProblems } from '../../../src/protocols/options.js';
import { s2lowDeclaration } from '../../../src/protocols/s2low/options.js';
import { readAcquit } from '../../../src/protocols/common/pes-acquit.js';
import { createS2lowHarness, type S2lowHarness, type S2lowPeer } from '../../contract/s2low-harness.js';
import { sendItem } from '../../contract/files.js';
import { expectTransferError, failure } from '../../contract/suite.js';

const PES = (n: number): Buffer => Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?><PES_Aller><Enveloppe><Parametres><NomFic V="PES_${n}"/></Parametres></Enveloppe></PES_Aller>\n`);

let peer: S2lowPeer;
let h: S2lowHarness;
let scratch: string;
const sessions: ProtocolSession[] = [];

beforeAll(async () => {
  peer = await startS2lowPeer();
});
afterAll(async () => {
  await peer.close();
});
beforeEach(async () => {
  h = createS2lowHarness(peer);
  scratch = await mkdtemp(join(tmpdir(), 'ordo-s2low-'));
});
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
  await rm(scratch, { recursive: true, force: true });
});

async function open(profile: Record<string, unknown> = {}, options: Record<string, unknown> = {}, merge = true): Promise<ProtocolSession> {
  const session = await h.openWith(profile, options, merge);
  sessions.push(session);
  return session;
}

function pendingOf(name: string, receipt: Receipt): PendingSend {
  expect(receipt.state).toBe('pending');
  return { name, remoteId: receipt.remoteId, follow: receipt.follow!, since: new Date() };
}

/** Follows until the state is no longer pending (one status step per request, as the peer does by default). */
async function followToEnd(session: ProtocolSession, pending: PendingSend, receiptPath: string): Promise<{ result: FollowResult; seen: FollowResult[] }> {
  const seen: FollowResult[] = [];
  for (let i = 0; i < 10; i += 1) {
    const result = await session.follow!(pending, receiptPath);
    seen.push(result);
    if (result.state !== 'pending') return { result, seen };
  }
  throw new Error('still pending after 10 follow-ups');
}

/** Every text an error could show: its message, params, server words, in both languages. */
function everyText(error: TransferError): string[] {
  return [error.message, JSON.stringify(error.params), error.serverMessage ?? '', t(error.key, error.params, 'en'), t(error.key, error.params, 'fr'),
    ...(error.fixKey === undefined ? [] : [t(error.fixKey, error.params, 'en'), t(error.fixKey, error.params, 'fr')])];
}

describe('posting a PES and following it to its acquit', () => {
  it('upload → pending with the transaction → statuses 2, 3, 3 pending → 4: acknowledged, the acquit written', async () => {
    const session = await open();
    const receipt = await session.send!(await sendItem(scratch, 'PESALR2_21400999_261202_1.xml', PES(1)));
    expect(receipt).toMatchObject({ state: 'pending', remoteId: expect.stringMatching(/^\d+$/), follow: { transaction: receipt.remoteId } });
    expect(peer.s2low.transactions).toHaveLength(1);
    expect(peer.s2low.transactions[0]).toMatchObject({ name: 'PESALR2_21400999_261202_1.xml', status: 1 });
    const receiptPath = join(scratch, '.receipt');
    const { result, seen } = await followToEnd(session, pendingOf('PESALR2_21400999_261202_1.xml', receipt), receiptPath);
    expect(seen.slice(0, -1).map((step) => step.state === 'pending' && step.detail?.status)).toEqual([2, 3, 3]);
    expect(result).toMatchObject({ state: 'acknowledged', receipt: { name: 'PESALR2_21400999_261202_1_ACK.xml' }, detail: { status: 4, label: 'ACQUITTE', etatAck: '1' } });
    const acquit = await readFile(receiptPath);
    expect(result.state === 'acknowledged' && result.receipt?.bytes).toBe(acquit.length);
    expect(acquit.toString('latin1')).toContain('<PES_ACQUIT>');
    expect(readAcquit(acquit)).toEqual({ etatAck: '1', reason: undefined });
    // One certificate, one account: no login goes along.
    expect(peer.s2low.requests.every((request) => !request.basic && request.account === 'mairie')).toBe(true);
  });

  it('with time (the peer’s `everyMs` pace): a follow-up after the whole way finds the acquit at once', async () => {
    peer.s2low.setAdvance({ everyMs: 40 });
    const session = await open();
    const receipt = await session.send!(await sendItem(scratch, 'PES_TIME.xml', PES(13)));
    expect(await session.follow!(pendingOf('PES_TIME.xml', receipt), join(scratch, '.r'))).toMatchObject({ state: 'pending', detail: { status: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await session.follow!(pendingOf('PES_TIME.xml', receipt), join(scratch, '.r'))).toMatchObject({ state: 'acknowledged', detail: { status: 4 } });
  });

  it('status 4 with an acquit EtatAck 2: refused, with the reason the acquit gives', async () => {
    peer.s2low.nextOutcome('nack');
    const session = await open();
    const receipt = await session.send!(await sendItem(scratch, 'PES_KO.xml', PES(2)));
    const { result } = await followToEnd(session, pendingOf('PES_KO.xml', receipt), join(scratch, '.receipt'));
    expect(result).toMatchObject({ state: 'refused', reason: 'Bordereau 12 : le montant total ne correspond pas à la somme des pièces', receipt: { name: 'PES_KO_ACK.xml' } });
  });

  it('status 6 (refusé): refused, the acquit kept', async () => {
    peer.s2low.nextOutcome('refused');
    const session = await open();
    const receipt = await session.send!(await sendItem(scratch, 'PES_6.xml', PES(3)));
    const { result } = await followToEnd(session, pendingOf('PES_6.xml', receipt), join(scratch, '.receipt'));
    expect(result).toMatchObject({ state: 'refused', detail: { status: 6, label: 'REFUSE' }, receipt: { name: 'PES_6_ACK.xml' } });
  });

  it('status 8 (information disponible) with EtatAck 1: acknowledged', async () => {
    peer.s2low.nextOutcome('info');
    const session = await open();
    const receipt = await session.send!(await sendItem(scratch, 'PES_8.xml', PES(4)));
    const { result } = await followToEnd(session, pendingOf('PES_8.xml', receipt), join(scratch, '.receipt'));
    expect(result).toMatchObject({ state: 'acknowledged', detail: { status: 8 } });
  });

  it('status -1: failed, with S²LOW’s message read from its ISO-8859-1 answer', async () => {
    peer.s2low.nextOutcome('error');
    const session = await open();
    const receipt = await session.send!(await sendItem(scratch, 'PES_ERR.xml', PES(5)));
    const { result } = await followToEnd(session, pendingOf('PES_ERR.xml', receipt), join(scratch, '.receipt'));
    expect(result).toEqual({
      state: 'failed',
      key: 'protocol.s2low.transactionError',
      params: { name: 'PES_ERR.xml', transaction: receipt.remoteId },
      fixKey: 'protocol.s2low.transactionError.fix',
      serverMessage: 'Erreur : le fichier n’est pas un PES Aller conforme au schéma',
    });
  });

  for (const [outcome, expected] of [
    [{ status: 10, etatAck: 1 }, { state: 'acknowledged', detail: { status: 10, label: 'ACCEPTE_PAR_SAE', etatAck: '1' } }],
    [{ status: 10 }, { state: 'failed', key: 'protocol.s2low.archivedWithoutAcquit' }],
    [{ status: 0 }, { state: 'failed', key: 'protocol.s2low.transactionEnded', params: { label: 'ANNULE' } }],
    [{ status: 24 }, { state: 'acknowledged', detail: { status: 24, acquit: 'none' } }],
  ] as const) {
    it(`status ${outcome.status}${'etatAck' in outcome ? ' with its acquit' : ''}: ${expected.state}, never pending for ever`, async () => {
      peer.s2low.nextOutcome(outcome);
      const session = await open();
      const receipt = await session.send!(await sendItem(scratch, 'PES_LATE.xml', PES(100 + outcome.status)));
      const { result } = await followToEnd(session, pendingOf('PES_LATE.xml', receipt), join(scratch, '.receipt'));
      expect(result).toMatchObject(expected);
    });
  }

  it('a transaction S²LOW does not know: failed, not pending for ever', async () => {
    const session = await open();
    const result = await session.follow!({ name: 'X.xml', remoteId: '999999', follow: { transaction: '999999' }, since: new Date() }, join(scratch, '.receipt'));
    expect(result).toMatchObject({ state: 'failed', key: 'protocol.s2low.statusRefused', serverMessage: 'Transaction inconnue ou non autorisée' });
  });

  it('a 503 while following is transient; the next follow-up goes on', async () => {
    const session = await open();
    const receipt = await session.send!(await sendItem(scratch, 'PES_503.xml', PES(6)));
    peer.s2low.failNext(503, 'status');
    expectTransferError(await failure(session.follow!(pendingOf('PES_503.xml', receipt), join(scratch, '.r'))), 'transient');
    expect((await session.follow!(pendingOf('PES_503.xml', receipt), join(scratch, '.r'))).state).toBe('pending');
  });

  it('a page that is not S²LOW’s (a proxy’s, a portal’s, HTTP 200): never read as an answer', async () => {
    const session = await open();
    peer.s2low.failNext(200, 'import');
    const upload = expectTransferError(await failure(session.send!(await sendItem(scratch, 'PES_PAGE.xml', PES(9)))), 'transient');
    // The file may have arrived: uncertain (a second send would meet the doublon).
    expect(upload).toMatchObject({ key: 'protocol.s2low.unexpectedAnswer', uncertain: true });
    const receipt = await session.send!(await sendItem(scratch, 'PES_PAGE2.xml', PES(12)));
    peer.s2low.failNext(200, 'status');
    const follow = expectTransferError(await failure(session.follow!(pendingOf('PES_PAGE2.xml', receipt), join(scratch, '.r'))), 'permanent');
    expect(follow).toMatchObject({ key: 'protocol.s2low.notXml', connection: true, serverMessage: expect.stringContaining('Service indisponible') });
  });

  it('a download of the acquit cut half-way is transient; the next follow-up writes it whole', async () => {
    const session = await open();
    const receipt = await session.send!(await sendItem(scratch, 'PES_CUT.xml', PES(7)));
    peer.s2low.setAdvance('manual');
    peer.s2low.advanceAll();
    peer.faults.cutDownloadHalfway();
    const pending = pendingOf('PES_CUT.xml', receipt);
    expectTransferError(await failure(session.follow!(pending, join(scratch, '.r'))), 'transient');
    expect(await session.follow!(pending, join(scratch, '.r'))).toMatchObject({ state: 'acknowledged' });
    expect(readAcquit(await readFile(join(scratch, '.r'))).etatAck).toBe('1');
  });

  it('a certificate that is not RGS may not post: permanent, the account’s problem', async () => {
    const notRgs = await startS2lowPeer({ rgs: false });
    try {
      const other = createS2lowHarness(notRgs);
      const session = await other.openWith({});
      const error = expectTransferError(await failure(session.send!(await sendItem(scratch, 'PES.xml', PES(8)))), 'permanent');
      expect(error).toMatchObject({ key: 'protocol.s2low.notRgs', connection: true, serverMessage: expect.stringContaining('RGS') });
      expect(notRgs.s2low.transactions).toHaveLength(0);
      await session.close();
    } finally {
      await notRgs.close();
    }
  });
});

describe('only PES Aller leave (checkPes, on by default)', () => {
  const PES_DIR = new URL('../../../fixtures/pes/', import.meta.url);

  it('a real PES Aller is posted', async () => {
    const session = await open({}, { checkPes: true });
    const data = readFileSync(new URL('PESALR2_21400999900017_261123_0930.xml', PES_DIR));
    const receipt = await session.send!(await sendItem(scratch, 'PESALR2_21400999900017_261123_0930.xml', data));
    expect(receipt.state).toBe('pending');
    expect(peer.s2low.transactions).toHaveLength(1);
  });

  for (const [file, key] of [['pes-retour.xml', 'pes.notPesAller'], ['not-well-formed.xml', 'pes.notXml'], ['no-nomfic.xml', 'pes.noNomFic']] as const) {
    it(`${file} is refused before anything reaches S²LOW (${key}, permanent)`, async () => {
      // Without the harness's `checkPes=false`: the option's default.
      const session = await createS2lowHarness(peer, {}).openWith({});
      sessions.push(session);
      const data = readFileSync(new URL(file, PES_DIR));
      const error = expectTransferError(await failure(session.send!(await sendItem(scratch, file, data))), 'permanent');
      expect(error).toMatchObject({ key, fixKey: `${key}.fix`, params: expect.objectContaining({ name: file }) });
      expect(peer.s2low.requests).toEqual([]);
    });
  }
});

describe('a lost answer, then the doublon', () => {
  it('the upload arrives but its answer is lost: uncertain; the next send is refused as a doublon and nothing is transmitted twice', async () => {
    const item = await sendItem(scratch, 'PES_LOST.xml', PES(10));
    peer.s2low.dropAnswerOf('import');
    const first = await open();
    const error = expectTransferError(await failure(first.send!(item)), 'transient');
    expect(error.uncertain).toBe(true);
    expect(peer.s2low.transactions).toHaveLength(1);
    // What the engine does after an uncertain send without `verify`: send again, from a new session.
    const again = await open();
    const receipt = await again.send!(item);
    expect(receipt).toMatchObject({ state: 'acknowledged', remoteId: expect.stringMatching(/^sha1:[0-9a-f]{40}$/), detail: { doublon: 'doublon détecté. Ce fichier a déjà été posté.', acquit: 'not followed' } });
    expect(peer.s2low.transactions).toHaveLength(1);
    expect(h.logged).toContainEqual(expect.objectContaining({ level: 'warn', key: 'protocol.s2low.doublon' }));
  });

  it('a doublon of a file this session posted is that transaction, followed as before', async () => {
    const session = await open();
    const item = await sendItem(scratch, 'PES_TWICE.xml', PES(11));
    const receipt = await session.send!(item);
    const again = await session.send!(item);
    expect(again).toMatchObject({ state: 'pending', remoteId: receipt.remoteId, follow: { transaction: receipt.remoteId } });
    expect(peer.s2low.transactions).toHaveLength(1);
  });
});

describe('certificates', () => {
  it('a certificate from an authority S²LOW does not trust: the handshake is refused, a permanent connection error naming the certificate', async () => {
    const { stranger } = peer.certificates;
    const session = await open({ pfx: stranger.pfx });
    const error = expectTransferError(await failure(session.send!(await sendItem(scratch, 'PES.xml', PES(20)))), 'permanent');
    expect(error).toMatchObject({ key: 'protocol.s2low.certificateRefused', connection: true, fixKey: 'protocol.s2low.certificateRefused.fix' });
    expect(error.params).toMatchObject({ subject: stranger.subject, until: stranger.notAfter.toISOString().slice(0, 10), issuer: 'another TEST ONLY authority', path: stranger.pfx });
    expect(t(error.key, error.params, 'en')).toContain(stranger.subject);
    expect(peer.s2low.transactions).toHaveLength(0);
    const checks = await session.check!();
    expect(checks.find((check) => check.id === 's2low.connexion')).toMatchObject({ status: 'fail', key: 'protocol.s2low.certificateRefused' });
    expectTransferError(await failure(session.list!()), 'permanent');
  });

  it('PEM files from another authority are named the same way', async () => {
    const { stranger } = peer.certificates;
    const session = await open({ pfx: undefined, pfxPassword: undefined, cert: stranger.cert, key: stranger.key });
    const error = expectTransferError(await failure(session.list!()), 'permanent');
    expect(error).toMatchObject({ key: 'protocol.s2low.certificateRefused', params: { subject: stranger.subject, path: stranger.cert } });
  });

  it('an expired certificate: a permanent connection error naming it and its expiry, before any connection; diagnose says the same', async () => {
    const { expired } = peer.certificates;
    const session = await open({ pfx: expired.pfx });
    const error = expectTransferError(await failure(session.send!(await sendItem(scratch, 'PES.xml', PES(21)))), 'permanent');
    expect(error).toMatchObject({ key: 'protocol.s2low.certificateExpired', connection: true, params: { subject: expired.subject, until: expired.notAfter.toISOString().slice(0, 10) } });
    const checks = await session.check!();
    expect(checks).toEqual([expect.objectContaining({ id: 's2low.certificate', status: 'fail', key: 'protocol.s2low.certificateExpired', fixKey: 'protocol.s2low.certificateExpired.fix' })]);
  });

  it('S²LOW itself refuses an expired certificate at the handshake (what the check before connecting spares)', async () => {
    // The peer's own behaviour, shown with a raw TLS client: nothing ordo sends reaches it.
    const { expired } = peer.certificates;
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: Number(new URL(peer.url).port), ca: readFileSync(peer.profile.ca, 'utf8'), pfx: readFileSync(expired.pfx), passphrase: peer.pfxPassword });
      socket.on('secureConnect', () => socket.write('GET /api/test-connexion.php HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      socket.on('data', () => resolve('answered'));
      socket.on('error', () => resolve('refused'));
      socket.on('end', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
  });

  it('diagnose warns 30 days ahead, with the date; everything else is fine', async () => {
    const { expiringSoon } = peer.certificates;
    const checks = await (await open({ pfx: expiringSoon.pfx })).check!();
    expect(checks.map((check) => [check.id, check.status])).toEqual([
      ['s2low.certificate', 'warn'],
      ['s2low.dns', 'ok'],
      ['s2low.tcp', 'ok'],
      ['s2low.tls', 'ok'],
      ['s2low.connexion', 'ok'],
      ['s2low.helios', 'ok'],
    ]);
    const [warning] = checks;
    expect(warning).toMatchObject({ key: 'protocol.s2low.check.certificateExpiresSoon', fixKey: 'protocol.s2low.check.certificateExpiresSoon.fix', params: { subject: expiringSoon.subject, until: expiringSoon.notAfter.toISOString().slice(0, 10), days: expect.any(Number) } });
    expect(warning!.params!.days).toBeLessThanOrEqual(10);
    expect(t(warning!.key, warning!.params, 'fr')).toContain(expiringSoon.notAfter.toISOString().slice(0, 10));
  });

  it('diagnose on a healthy account: the certificate named, test-connexion, the Hélios API', async () => {
    peer.s2low.addRetour('PES_RETOUR_1.xml', Buffer.from('<PES_Retour/>'));
    const checks = await (await open()).check!();
    expect(checks[3], JSON.stringify(checks[3])).toMatchObject({ status: 'ok' });
    expect(checks.map((check) => [check.id, check.status])).toEqual([
      ['s2low.certificate', 'ok'],
      ['s2low.dns', 'ok'],
      ['s2low.tcp', 'ok'],
      ['s2low.tls', 'ok'],
      ['s2low.connexion', 'ok'],
      ['s2low.helios', 'ok'],
    ]);
    expect(checks[3], JSON.stringify(checks[3])).toMatchObject({ status: 'ok' });
    expect(checks[0]?.params).toMatchObject({ subject: peer.certificates.valid.subject, issuer: 'ordo TEST ONLY certificate authority' });
    expect(checks[5]?.params).toMatchObject({ unread: 1 });
  });

  it('a wrong PKCS#12 password: refused when the session opens, the password never shown', async () => {
    const error = expectTransferError(await failure(h.openWith({ pfxPassword: 'wrong p12 password' })), 'permanent');
    expect(error).toMatchObject({ key: 'protocol.s2low.pfxUnusable', connection: true, params: { path: peer.certificates.valid.pfx } });
    for (const text of everyText(error)) expect(text).not.toContain('wrong p12 password');
  });

  it('PEM certificate and key work as well as PKCS#12', async () => {
    const { valid } = peer.certificates;
    const session = await open({ pfx: undefined, pfxPassword: undefined, cert: valid.cert, key: valid.key });
    expect(await session.list!()).toEqual([]);
  });
});

describe('several accounts on one certificate: HTTP Basic login', () => {
  let shared: S2lowPeer;
  beforeAll(async () => {
    shared = await startS2lowPeer({ sharedCertificate: true });
  });
  afterAll(async () => {
    await shared.close();
  });

  it('with the login: accepted, and S²LOW knows which account posted', async () => {
    const session = await createS2lowHarness(shared).openWith({});
    await session.send!(await sendItem(scratch, 'PES.xml', PES(30)));
    expect(shared.s2low.transactions[0]?.account).toBe('mairie');
    const checks = await session.check!();
    expect(checks.find((check) => check.id === 's2low.connexion')).toMatchObject({ status: 'ok', key: 'protocol.s2low.check.loginOk', params: { user: 'mairie-40999' } });
    await session.close();
  });

  it('without a login: S²LOW’s plain-text KO is an authentication failure (permanent, connection) that says to set the login', async () => {
    const session = await createS2lowHarness(shared).openWith({ user: undefined, password: undefined });
    const error = expectTransferError(await failure(session.send!(await sendItem(scratch, 'PES.xml', PES(31)))), 'permanent');
    expect(error).toMatchObject({ key: 'protocol.s2low.authRefused', connection: true, fixKey: 'protocol.s2low.authRefused.fix', serverMessage: expect.stringContaining('login et mot de passe requis') });
    expect(t(error.fixKey!, error.params, 'en')).toContain('s2low.user');
    expect(shared.s2low.transactions).toHaveLength(0);
    await session.close();
  });

  it('a wrong password: refused, the password never shown anywhere', async () => {
    const h2 = createS2lowHarness(shared);
    const session = await h2.openWith({ password: 'not-the-password' });
    const error = expectTransferError(await failure(session.list!()), 'permanent');
    expect(error).toMatchObject({ key: 'protocol.s2low.loginRefused', connection: true, params: { user: 'mairie-40999' } });
    for (const text of [...everyText(error), JSON.stringify(h2.logged)]) {
      expect(text).not.toContain('not-the-password');
      expect(text).not.toContain(shared.pfxPassword);
    }
    const checks = await session.check!();
    expect(checks.find((check) => check.id === 's2low.connexion')).toMatchObject({ status: 'fail', key: 'protocol.s2low.loginRefused' });
    await session.close();
  });
});

describe('PES Retour', () => {
  it('lists the unread ones, fetches one, marks it read: it leaves the list', async () => {
    const retour = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><PES_Retour><Enveloppe/></PES_Retour>\n', 'latin1');
    peer.s2low.addRetour('PESRETOUR_DEP_21400999_2026.xml', retour);
    peer.s2low.addRetour('PESRETOUR_REC_21400999_2026.xml', Buffer.from('<PES_Retour>2</PES_Retour>'));
    const session = await open();
    const entries = await session.list!();
    expect(entries.map((entry) => entry.name)).toEqual(['PESRETOUR_DEP_21400999_2026.xml', 'PESRETOUR_REC_21400999_2026.xml']);
    expect(entries[0]?.mtime).toBeInstanceOf(Date);
    const dest = join(scratch, '.partial');
    expect(await session.fetch!(entries[0]!, dest)).toEqual({ bytes: retour.length });
    expect(await readFile(dest)).toEqual(retour);
    await session.acknowledge!(entries[0]!);
    expect((await session.list!()).map((entry) => entry.name)).toEqual(['PESRETOUR_REC_21400999_2026.xml']);
    expect(peer.s2low.retours[0]?.read).toBe(true);
  });

  it('afterRetrieve=keep leaves it unread at S²LOW', async () => {
    peer.s2low.addRetour('R.xml', Buffer.from('<PES_Retour/>'));
    const session = await open({}, { afterRetrieve: 'keep' });
    const [entry] = await session.list!();
    await session.acknowledge!(entry!);
    expect((await session.list!()).map((listed) => listed.name)).toEqual(['R.xml']);
    expect(peer.s2low.requests.some((request) => request.endpoint === 'changeStatus')).toBe(false);
  });

  it('a PES Retour S²LOW will not give (<get_retour>…KO): permanent, nothing left in the partial file', async () => {
    const session = await open();
    const dest = join(scratch, '.partial');
    const error = expectTransferError(await failure(session.fetch!({ id: '424242', name: 'GONE.xml' }, dest)), 'permanent');
    expect(error).toMatchObject({ key: 'protocol.s2low.retourRefused', serverMessage: 'Fichier inexistant ou non autorisé' });
    await expect(readFile(dest)).rejects.toThrow();
  });
});

describe('through a proxy', () => {
  it('the client certificate goes through the CONNECT tunnel; diagnose reports the tunnel', async () => {
    const proxy = await startConnectProxy();
    try {
      const session = await open({ proxy: proxy.url });
      await session.send!(await sendItem(scratch, 'PES_PROXY.xml', PES(40)));
      expect(peer.s2low.transactions).toHaveLength(1);
      expect(proxy.tunnels).toContain(new URL(peer.url).host);
      const checks = await session.check!();
      expect(checks.map((check) => [check.id, check.status])).toEqual([
        ['s2low.certificate', 'ok'],
        ['s2low.dns', 'ok'],
        ['s2low.proxy', 'ok'],
        ['s2low.tls', 'ok'],
        ['s2low.connexion', 'ok'],
        ['s2low.helios', 'ok'],
      ]);
    } finally {
      await proxy.close();
    }
  });
});

describe('settings', () => {
  const problems = (profile: Record<string, unknown>, options: Record<string, unknown> = {}) =>
    settingProblems(s2lowDeclaration, { profile: { url: 'https://s2low.example.fr', ...profile }, options }).map((problem) => `${problem.key}:${problem.messageKey}`);

  it('a client certificate is required, given once, with its password where it belongs', () => {
    expect(problems({})).toEqual(['pfx:protocol.s2low.setting.noCertificate']);
    expect(problems({ pfx: 'a.p12', cert: 'c.pem', key: 'k.pem' })).toEqual(['pfx:protocol.s2low.setting.twoCertificates']);
    expect(problems({ cert: 'c.pem' })).toEqual(['key:protocol.web.setting.certWithoutKey']);
    expect(problems({ pfx: 'a.p12', passphrase: 'x' })).toEqual(['passphrase:protocol.s2low.setting.passphraseWithPfx']);
    expect(problems({ cert: 'c.pem', key: 'k.pem', pfxPassword: 'x' })).toEqual(['pfxPassword:protocol.s2low.setting.pfxPasswordAlone']);
    expect(problems({ pfx: 'a.p12', user: 'u' })).toEqual(['password:protocol.s2low.setting.userWithPassword']);
    expect(problems({ pfx: 'a.p12', pfxPassword: 'x', user: 'u', password: 'p' }, { afterRetrieve: 'markread', checkPes: 'non' })).toEqual([]);
    expect(problems({ pfx: 'a.p12' }, { afterRetrieve: 'delete' })).toEqual(['afterRetrieve:protocol.s2low.setting.afterRetrieve']);
  });
});
