// Receipts that come later, end to end: a real `ordo run` sends a PES Aller to the Pastell peer (a
// document created, filled, uploaded, its action triggered: each step journaled), the send is
// `pending`; later runs follow it at `receipts.every` and place the acquit in recus/<profile>/. A KO
// acquit is a refusal (exit code 1, with the reason); a run killed -9 in the middle of the steps is
// resumed on the same document; diagnose warns about a send pending for longer than `receipts.warnAfter`.
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PASTELL_ACCOUNT } from '../../fixtures/peers/peers.mjs';
import { ordoAsync, waitExit } from '../helpers/cli.js';
import { ACK_NAME, actionsOf, cleanUp, json, PES, PES_NAME, pastellPeer, questionsAbout, site, sleep } from '../fault/harness/pastell-site.js';

afterEach(cleanUp);

describe('receipts that come later (Pastell)', () => {
  it('a PES sent is pending, then its acquit is placed in recus/ by a later run, at receipts.every', { timeout: 120_000 }, async () => {
    const peer = await pastellPeer();
    const s = site(peer, { every: '4s', warnAfter: '1h' });
    copyFileSync(PES, join(s.source, PES_NAME));

    const first = json(await s.run(['run', '--json']));
    expect(first.exitCode).toBe(0);
    expect(first.files.map((f) => [f.name, f.status])).toEqual([[PES_NAME, 'pending']]);
    expect(peer.api.documents.size).toBe(1);
    const [doc] = [...peer.api.documents.values()];
    const pending = s.journal().find((line) => line.state === 'pending');
    expect(pending).toMatchObject({ file: PES_NAME, remoteId: doc!.id_d, follow: { id_e: PASTELL_ACCOUNT.id_e, id_d: doc!.id_d } });
    // Each step journaled before the next: created, fields, file, action.
    expect(s.journal().filter((line) => line.state === 'step').map((line) => (line.step as Record<string, unknown>).step)).toEqual(['creating', 'created', 'fields', 'file', 'action']);
    expect(readdirSync(s.source)).toEqual([]);
    expect(readdirSync(join(s.root, 'queue', 'PES'))).toEqual([]);

    // Right after: not due yet (receipts.every), the partner is not asked.
    const asked = questionsAbout(peer, doc!.id_d);
    const second = json(await s.run(['run', '--json']));
    expect(second.exitCode).toBe(0);
    expect(second.files).toEqual([]);
    expect(questionsAbout(peer, doc!.id_d)).toBe(asked);

    // Diagnose shows it awaiting its receipt (young: no warning).
    const young = json(await s.run(['diagnose', '--json']));
    expect(young.checks?.filter((c) => c.id === 'journal.pending').map((c) => c.status)).toEqual(['ok']);

    // Still pending at the partner: asked once, nothing journaled.
    await sleep(4_100);
    const lines = s.journal().length;
    expect(json(await s.run(['run', '--json'])).files).toEqual([]);
    expect(questionsAbout(peer, doc!.id_d)).toBe(asked + 1);
    expect(s.journal()).toHaveLength(lines);

    // The TdT answers: the next due run places the acquit.
    await peer.api.advance();
    await sleep(4_100);
    const third = json(await s.run(['run', '--json']));
    expect(third.exitCode).toBe(0);
    expect(third.files).toMatchObject([{ name: PES_NAME, status: 'acknowledged', followed: true, remoteId: doc!.id_d, receipt: join(s.recus, ACK_NAME) }]);
    expect(readdirSync(s.recus)).toEqual([ACK_NAME]);
    expect(readFileSync(join(s.recus, ACK_NAME), 'utf8')).toContain('EtatAck');
    const states = s.journal().filter((line) => line.file === PES_NAME).map((line) => line.state);
    expect(states.slice(-2)).toEqual(['placing', 'acknowledged']);

    // Closed: never asked again.
    const done = questionsAbout(peer, doc!.id_d);
    await sleep(4_100);
    expect(json(await s.run(['run', '--json'])).files).toEqual([]);
    expect(questionsAbout(peer, doc!.id_d)).toBe(done);
    expect(actionsOf(peer)).toBe(1);
  });

  it('a KO acquit is a refusal: exit code 1 with the partner’s reason, the acquit placed', { timeout: 120_000 }, async () => {
    const peer = await pastellPeer();
    const s = site(peer, { every: '1s' });
    peer.api.outcome = { result: 'ko', reason: 'Montant du bordereau incohérent' };
    copyFileSync(PES, join(s.source, PES_NAME));
    expect(json(await s.run(['run', '--json'])).files.map((f) => f.status)).toEqual(['pending']);
    await peer.api.advance();
    await sleep(1_100);
    // `retrieve` follows pending sends too.
    const result = await s.run(['retrieve', '--json']);
    expect(result.code).toBe(1);
    const doc = json(result);
    expect(doc.exitCode).toBe(1);
    expect(doc.files).toMatchObject([{ name: PES_NAME, status: 'refused', receipt: join(s.recus, ACK_NAME) }]);
    expect(String(doc.files[0]!.reason)).toContain('Montant du bordereau incohérent');
    expect(existsSync(join(s.recus, ACK_NAME))).toBe(true);
    expect(s.journal().at(-1)).toMatchObject({ state: 'refused', reason: expect.stringContaining('Montant du bordereau incohérent') as unknown });
    // Closed: the next run has nothing to say about it.
    await sleep(1_100);
    expect(await s.run(['run'])).toMatchObject({ code: 0 });
  });

  it('an error of the TdT after the send is a failure with its reason and fix (exit 1); the same PES is then no duplicate for ordo', { timeout: 60_000 }, async () => {
    const peer = await pastellPeer();
    const s = site(peer, { every: '1s' });
    peer.api.outcome = { result: 'tdt-error', message: 'Erreur lors de la transmission au TdT' };
    copyFileSync(PES, join(s.source, PES_NAME));
    expect(json(await s.run(['run', '--json'])).files.map((f) => f.status)).toEqual(['pending']);
    await peer.api.advance();
    await sleep(1_100);
    const result = await s.run(['run', '--json']);
    expect(result.code).toBe(1);
    expect(json(result).files).toMatchObject([{ name: PES_NAME, status: 'failed', followed: true }]);
    expect(String(json(result).files[0]!.reason)).toContain('Erreur lors de la transmission au TdT');
    const failed = s.journal().at(-1)!;
    expect(failed).toMatchObject({ state: 'failed', file: PES_NAME });
    expect(typeof failed.fix).toBe('string');
    // Its content no longer counts as sent here: put back, it is handed to the partner again (not set
    // aside as a duplicate by ordo) — whose TdT, holding this very file already, has its own say.
    copyFileSync(PES, join(s.source, PES_NAME));
    const again = json(await s.run(['run', '--json']));
    expect(again.files.map((f) => f.status)).not.toContain('duplicate');
    expect(peer.api.documents.size).toBe(2);
  });

  it('a document type without a receipt file: acknowledged by its end state alone, nothing placed', { timeout: 60_000 }, async () => {
    const peer = await pastellPeer();
    const generic = { type: 'custom', documentType: 'depot-generique', fileField: 'fichier', action: 'depot', acknowledgedStates: 'termine' };
    const s = site(peer, { every: '1s' }, { attempts: 2, backoff: '10ms' }, generic);
    writeFileSync(join(s.source, 'deliberation.pdf'), '%PDF-1.4 délibération');
    expect(json(await s.run(['run', '--json'])).files.map((f) => f.status)).toEqual(['pending']);
    await peer.api.advance();
    await sleep(1_100);
    const result = json(await s.run(['run', '--json']));
    expect(result.exitCode).toBe(0);
    expect(result.files).toEqual([expect.objectContaining({ name: 'deliberation.pdf', status: 'acknowledged', followed: true })]);
    expect(result.files[0]!.receipt).toBeUndefined();
    expect(existsSync(s.recus) ? readdirSync(s.recus) : []).toEqual([]);
    expect(s.journal().at(-1)).toMatchObject({ state: 'acknowledged', file: 'deliberation.pdf' });
  });

  it('a partner that asks to wait (429 Retry-After) is not asked again before that, nor more than the retries allow', { timeout: 60_000 }, async () => {
    const peer = await pastellPeer();
    const s = site(peer, { every: '1s' }, { attempts: 3, backoff: '10ms', maxDelay: '1s' });
    copyFileSync(PES, join(s.source, PES_NAME));
    expect(json(await s.run(['run', '--json'])).files.map((f) => f.status)).toEqual(['pending']);
    const [doc] = [...peer.api.documents.values()];
    await peer.api.advance();
    await sleep(1_100);
    // A Retry-After longer than retries.maxDelay: not waited in this run.
    peer.api.failNext(429, 30);
    const before = peer.api.requests.length;
    const refused = await s.run(['run', '--json']);
    expect(refused.code).toBe(4);
    expect(json(refused).files).toEqual([]);
    expect(peer.api.requests.length).toBe(before + 1);
    // The next run comes after receipts.every but within the partner's 30 s: not asked.
    await sleep(1_100);
    expect(json(await s.run(['run', '--json'])).files).toEqual([]);
    expect(peer.api.requests.length).toBe(before + 1);
    // A short 503 is retried within the run (backoff), then the acquit comes.
    const asked = JSON.parse(readFileSync(join(s.root, 'journal-index', 'follow-PES.json'), 'utf8')) as Record<string, { asked: string; until?: string }>;
    for (const times of Object.values(asked)) times.until = new Date(Date.now() - 1_000).toISOString();
    writeFileSync(join(s.root, 'journal-index', 'follow-PES.json'), JSON.stringify(asked));
    peer.api.failNext(503);
    const acquitted = json(await s.run(['run', '--json']));
    expect(acquitted.exitCode).toBe(0);
    expect(acquitted.files).toMatchObject([{ status: 'acknowledged', remoteId: doc!.id_d }]);
  });

  it('a run killed -9 between two steps of a send: the next run continues the same document, its action triggered once', { timeout: 120_000 }, async () => {
    const peer = await pastellPeer();
    const s = site(peer, { every: '1s' });
    copyFileSync(PES, join(s.source, PES_NAME));
    // The action request is held: the run waits for its answer, all steps before it journaled.
    peer.gate.hold = (request) => request.method === 'POST' && /\/action\/send-tdt$/.test(request.url ?? '');
    const child = ordoAsync(['run', '--json'], { cwd: s.dir });
    const exit = waitExit(child);
    await peer.gate.held;
    // Flushed before the next step started: the `file` step is in the journal while the action is held.
    expect(s.journal().filter((line) => line.state === 'step').map((line) => (line.step as Record<string, unknown>).step)).toEqual(['creating', 'created', 'fields', 'file']);
    child.kill('SIGKILL');
    expect((await exit).signal).toBe('SIGKILL');
    // The request had arrived: the peer carries it out once the client is gone.
    peer.gate.release?.();
    await sleep(200);

    const next = json(await s.run(['run', '--json']));
    expect(next.exitCode).toBe(0);
    expect(next.files.map((f) => [f.name, f.status, f.resumed])).toEqual([[PES_NAME, 'pending', true]]);
    expect(peer.api.documents.size).toBe(1);
    expect(actionsOf(peer)).toBe(1);
    const [doc] = [...peer.api.documents.values()];
    expect(s.journal().find((line) => line.state === 'pending')).toMatchObject({ remoteId: doc!.id_d });
    expect(readdirSync(join(s.root, 'queue', 'PES'))).toEqual([]);

    await peer.api.advance();
    await sleep(1_100);
    const acquitted = json(await s.run(['run', '--json']));
    expect(acquitted.files.map((f) => f.status)).toEqual(['acknowledged']);
    expect(peer.api.documents.size).toBe(1);
    expect(actionsOf(peer)).toBe(1);
  });

  it('a run killed -9 before the action was sent: the next run triggers it, on the same document', { timeout: 120_000 }, async () => {
    const peer = await pastellPeer();
    const s = site(peer, { every: '1s' });
    copyFileSync(PES, join(s.source, PES_NAME));
    peer.gate.hold = (request) => request.method === 'PATCH';
    const child = ordoAsync(['run', '--json'], { cwd: s.dir });
    const exit = waitExit(child);
    await peer.gate.held;
    expect(s.journal().filter((line) => line.state === 'step').map((line) => (line.step as Record<string, unknown>).step)).toEqual(['creating', 'created']);
    child.kill('SIGKILL');
    await exit;
    peer.gate.release?.();
    await sleep(200);
    const next = json(await s.run(['run', '--json']));
    expect(next.files.map((f) => [f.status, f.resumed])).toEqual([['pending', true]]);
    expect(peer.api.documents.size).toBe(1);
    expect(actionsOf(peer)).toBe(1);
  });

  it('an answer lost in the middle of the steps: the next attempt of the same run continues the same document', { timeout: 60_000 }, async () => {
    const peer = await pastellPeer();
    const s = site(peer, { every: '1s' });
    copyFileSync(PES, join(s.source, PES_NAME));
    // The upload is carried out, its answer never comes back.
    peer.api.dropAnswerOf({ method: 'POST', path: /\/file\/fichier_pes$/ });
    const result = json(await s.run(['run', '--json']));
    expect(result.files.map((f) => [f.status, f.attempts])).toEqual([['pending', 2]]);
    expect(peer.api.documents.size).toBe(1);
    expect(actionsOf(peer)).toBe(1);
    const uploads = peer.api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/file/fichier_pes'));
    expect(uploads).toHaveLength(1);
  });

  it('watch follows the pending sends on its cycles, at receipts.every', { timeout: 60_000 }, async () => {
    const peer = await pastellPeer();
    const s = site(peer, { every: '1s' });
    copyFileSync(PES, join(s.source, PES_NAME));
    const child = ordoAsync(['watch', '--interval', '300ms', '--json'], { cwd: s.dir });
    const exit = waitExit(child);
    const until = async (state: string) => {
      for (let i = 0; i < 200 && !s.journal().some((line) => line.state === state); i++) await sleep(50);
    };
    await until('pending');
    const [doc] = [...peer.api.documents.values()];
    await sleep(1_500);
    // Asked on cycles at most every second: a few times in 1.5 s of 300 ms cycles, not five.
    expect(questionsAbout(peer, doc!.id_d)).toBeLessThanOrEqual(2);
    await peer.api.advance();
    await until('acknowledged');
    child.kill('SIGTERM');
    const result = await exit;
    expect(result.code).toBe(130);
    expect(JSON.parse(result.stdout)).toMatchObject({ command: 'watch', files: [{ status: 'pending' }, { status: 'acknowledged', receipt: join(s.recus, ACK_NAME) }] });
    expect(readdirSync(s.recus)).toEqual([ACK_NAME]);
  });

  it('diagnose warns about a send pending for longer than receipts.warnAfter, naming the file and the document', { timeout: 60_000 }, async () => {
    const peer = await pastellPeer();
    const s = site(peer, { every: '1h', warnAfter: '1s' });
    copyFileSync(PES, join(s.source, PES_NAME));
    expect(json(await s.run(['run', '--json'])).files.map((f) => f.status)).toEqual(['pending']);
    const [doc] = [...peer.api.documents.values()];
    await sleep(1_200);
    const result = json(await s.run(['diagnose', '--json']));
    const late = result.checks?.filter((c) => c.id === 'journal.pending') ?? [];
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ status: 'warn', scope: 'PES' });
    expect(String(late[0]!.message)).toContain(PES_NAME);
    expect(String(late[0]!.message)).toContain(doc!.id_d);
    expect(String(late[0]!.fix)).toContain(`id_d=${doc!.id_d}`);
  });
});
