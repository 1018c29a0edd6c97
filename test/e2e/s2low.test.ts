// `s2low` end to end, through a real `ordo run` (the built CLI) against the S²LOW peer: a PES Aller is
// posted and pending, a later run follows it and places the acquit in recus/<profile>/, a refused acquit
// is a refusal with its reason, a lost answer is not a second transmission, and the PES Retour are
// received and marked read.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startS2lowPeer } from '../../fixtures/peers/peers.mjs';
import { ordoAsync, waitExit, type CliResult } from '../helpers/cli.js';

const PES = fileURLToPath(new URL('../../fixtures/pes/PESALR2_21400999900017_261123_0930.xml', import.meta.url));
const PES_NAME = 'PESALR2_21400999900017_261123_0930.xml';
const ACK_NAME = 'PESALR2_21400999900017_261123_0930_ACK.xml';

type Peer = Awaited<ReturnType<typeof startS2lowPeer>>;
let peer: Peer;
const dirs: string[] = [];

beforeAll(async () => {
  peer = await startS2lowPeer();
});
afterAll(async () => {
  await peer.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  peer.s2low.reset();
  peer.faults.reset();
  // The Trésorerie answers when the test says so.
  peer.s2low.setAdvance('manual');
});

function site(retrieve = false) {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-e2e-s2low-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'export'));
  writeFileSync(
    join(dir, 'ordo.config.json'),
    JSON.stringify({
      root: './ordo-data',
      profiles: { VILLE: { s2low: peer.profile } },
      scenarios: {
        PES: {
          profile: 'VILLE',
          protocol: 's2low',
          source: './export',
          settle: '0s',
          retries: { attempts: 2, backoff: '10ms' },
          receipts: { every: '1s' },
          naming: { timestamp: false },
          retrieve: { enabled: retrieve, afterSend: retrieve },
        },
      },
    }),
  );
  const root = join(dir, 'ordo-data');
  return {
    dir,
    root,
    source: join(dir, 'export'),
    recus: join(root, 'recus', 'VILLE'),
    run: (args: string[]): Promise<CliResult> => waitExit(ordoAsync(args, { cwd: dir })),
    journal: (): Array<Record<string, unknown>> => {
      const folder = join(root, 'journal');
      if (!existsSync(folder)) return [];
      return readdirSync(folder)
        .flatMap((name) => readFileSync(join(folder, name), 'utf8').split('\n'))
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
  };
}

function json(result: CliResult): { exitCode: number; files: Array<Record<string, unknown>> } {
  try {
    return JSON.parse(result.stdout) as ReturnType<typeof json>;
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ordo run with s2low', () => {
  it('posted and pending; a later run places the acquit in recus/', { timeout: 120_000 }, async () => {
    const s = site();
    copyFileSync(PES, join(s.source, PES_NAME));
    const first = json(await s.run(['run', '--json']));
    expect(first.exitCode).toBe(0);
    expect(first.files.map((f) => [f.name, f.status])).toEqual([[PES_NAME, 'pending']]);
    const [transaction] = peer.s2low.transactions;
    expect(s.journal().find((line) => line.state === 'pending')).toMatchObject({ file: PES_NAME, remoteId: transaction!.id, follow: { transaction: transaction!.id } });
    // Still at status 1: asked, nothing placed.
    await sleep(1_100);
    expect(json(await s.run(['run', '--json'])).files).toEqual([]);
    peer.s2low.advanceAll();
    await sleep(1_100);
    const third = json(await s.run(['run', '--json']));
    expect(third.exitCode).toBe(0);
    expect(third.files).toMatchObject([{ name: PES_NAME, status: 'acknowledged', remoteId: transaction!.id, receipt: join(s.recus, ACK_NAME) }]);
    expect(readFileSync(join(s.recus, ACK_NAME), 'latin1')).toContain('<EtatAck V="1"/>');
    expect(peer.s2low.transactions).toHaveLength(1);
  });

  it('a refused acquit: exit code 1, the Trésorerie’s reason, the acquit placed', { timeout: 120_000 }, async () => {
    const s = site();
    peer.s2low.nextOutcome('nack');
    copyFileSync(PES, join(s.source, PES_NAME));
    expect(json(await s.run(['run', '--json'])).files.map((f) => f.status)).toEqual(['pending']);
    peer.s2low.advanceAll();
    await sleep(1_100);
    const result = await s.run(['run', '--json']);
    expect(result.code).toBe(1);
    const [file] = json(result).files;
    expect(file).toMatchObject({ name: PES_NAME, status: 'refused', receipt: join(s.recus, ACK_NAME) });
    expect(String(file!.reason)).toContain('le montant total ne correspond pas');
  });

  it('the answer to the upload is lost: the next run sends again, meets the doublon, and the file is not transmitted twice', { timeout: 120_000 }, async () => {
    const s = site();
    peer.s2low.dropAnswerOf('import');
    copyFileSync(PES, join(s.source, PES_NAME));
    const lost = json(await s.run(['run', '--json']));
    expect(lost.exitCode).toBe(1);
    expect(lost.files.map((f) => [f.name, f.status])).toEqual([[PES_NAME, 'uncertain']]);
    expect(peer.s2low.transactions).toHaveLength(1);
    // S²LOW cannot be asked (no verify): the engine sends again; S²LOW refuses the doublon.
    const again = json(await s.run(['run', '--json']));
    expect(again.exitCode).toBe(0);
    expect(again.files.map((f) => [f.name, f.status])).toEqual([[PES_NAME, 'sent']]);
    expect(peer.s2low.transactions).toHaveLength(1);
    expect(peer.s2low.requests.filter((request) => request.endpoint === 'import')).toHaveLength(2);
    const log = readFileSync(join(s.root, 'logs', 'last.log'), 'utf8');
    expect(log).toMatch(/WARN .*doublon/);
  });

  it('PES Retour are received and marked read at S²LOW', { timeout: 120_000 }, async () => {
    const s = site(true);
    peer.s2low.addRetour('PESRETOUR_DEP_21400999900017.xml', Buffer.from('<PES_Retour>dep</PES_Retour>'));
    const result = json(await s.run(['retrieve', '--json']));
    expect(result.exitCode).toBe(0);
    expect(result.files.map((f) => [f.name, f.status])).toEqual([['PESRETOUR_DEP_21400999900017.xml', 'received']]);
    expect(peer.s2low.retours[0]?.read).toBe(true);
  });

  it('config check accepts the profile; config show masks the PKCS#12 password', { timeout: 60_000 }, async () => {
    const s = site();
    expect((await s.run(['config', 'check'])).code).toBe(0);
    const shown = await s.run(['config', 'show']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('pfxPassword');
    expect(shown.stdout + shown.stderr).not.toContain(peer.pfxPassword);
  });

  it('ordo diagnose warns 30 days before the certificate expires, with the date', { timeout: 60_000 }, async () => {
    const s = site();
    const config = JSON.parse(readFileSync(join(s.dir, 'ordo.config.json'), 'utf8')) as { profiles: { VILLE: { s2low: Record<string, unknown> } } };
    config.profiles.VILLE.s2low.pfx = peer.certificates.expiringSoon.pfx;
    writeFileSync(join(s.dir, 'ordo.config.json'), JSON.stringify(config));
    const result = await s.run(['diagnose', '--json']);
    const checks = (JSON.parse(result.stdout) as { checks: Array<Record<string, unknown>> }).checks;
    const certificate = checks.find((check) => String(check.id).endsWith('s2low.certificate'));
    expect(certificate, JSON.stringify(checks)).toMatchObject({ status: 'warn' });
    expect(JSON.stringify(certificate)).toContain(peer.certificates.expiringSoon.notAfter.toISOString().slice(0, 10));
    const human = await s.run(['diagnose']);
    expect(human.stdout).toContain(peer.certificates.expiringSoon.notAfter.toISOString().slice(0, 10));
  });

  it('an expired certificate: exit code 4, the certificate named, the file still queued', { timeout: 60_000 }, async () => {
    const s = site();
    const config = JSON.parse(readFileSync(join(s.dir, 'ordo.config.json'), 'utf8')) as { profiles: { VILLE: { s2low: Record<string, unknown> } } };
    config.profiles.VILLE.s2low.pfx = peer.certificates.expired.pfx;
    writeFileSync(join(s.dir, 'ordo.config.json'), JSON.stringify(config));
    copyFileSync(PES, join(s.source, PES_NAME));
    const result = await s.run(['run', '--json']);
    expect(result.code).toBe(4);
    expect(result.stdout + result.stderr).toContain(peer.certificates.expired.subject);
    expect(result.stdout + result.stderr).not.toContain(peer.pfxPassword);
    expect(peer.s2low.transactions).toHaveLength(0);
  });
});
