// The historical Hélios route through bin/ordo: a PES file sent to the XFB gateway peer (HTTPS, test
// CA), the waiting return brought back under the naming plan, the transcript with masked credentials,
// and an interrupted download that `diagnose` reports. ordo runs as a child process (asynchronously:
// the peer lives in this process and must keep answering).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startXfbPeer } from '../../fixtures/peers/peers.mjs';
import { ordoAsync, waitExit, type CliResult } from '../helpers/cli.js';

type XfbPeer = Awaited<ReturnType<typeof startXfbPeer>>;

const PASSWORD_VARIABLE = 'ORDO_TEST_XFB_PASSWORD';
const PES = '<?xml version="1.0" encoding="UTF-8"?>\n<PES_Aller><EnTetePES><IdColl V="21400999900017"/></EnTetePES></PES_Aller>\n';

let peer: XfbPeer;
let dir: string;

beforeAll(async () => {
  peer = await startXfbPeer({ tls: true });
});
afterAll(async () => {
  await peer.close();
});
beforeEach(() => {
  peer.gateway.reset();
  peer.faults.reset();
  dir = mkdtempSync(join(tmpdir(), 'ordo-e2e-xfb-'));
  mkdirSync(join(dir, 'export'));
  writeConfig();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** What an integrator writes: the gateway's address and codes, the password from the environment. */
function writeConfig(password = `\${${PASSWORD_VARIABLE}}`): void {
  const config = {
    root: './ordo-data',
    profiles: {
      VILLE: {
        label: 'Ville de Saint-Exemple',
        xfb: { ...peer.profile, password },
      },
    },
    scenarios: {
      MANDATS: {
        profile: 'VILLE',
        protocol: 'xfb',
        source: './export',
        filter: ['*.xml'],
        settle: '0s',
        retries: { attempts: 1 },
        delays: { send: '0s', retrieve: '0s' },
        retrieve: { afterSend: true },
        naming: { rename: true, format: 'LA[annee][numrec].020' },
      },
    },
  };
  writeFileSync(join(dir, 'ordo.config.json'), JSON.stringify(config, null, 2));
}

function run(args: string[]): Promise<CliResult> {
  return waitExit(ordoAsync(args, { cwd: dir, env: { [PASSWORD_VARIABLE]: peer.account.password } }));
}

function lastLog(): string {
  return readFileSync(join(dir, 'ordo-data', 'logs', 'last.log'), 'utf8');
}

function expectNoPassword(...texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(peer.account.password);
    expect(text).not.toContain(encodeURIComponent(peer.account.password));
  }
}

describe('ordo with the xfb protocol', () => {
  it('sends a PES file to the gateway and brings the waiting return back under the naming plan', async () => {
    writeFileSync(join(dir, 'export', 'PESALR2_21400999900017_261123_0930.xml'), PES);
    peer.gateway.addWaiting('ACQUIT_PESALR2_21400999900017_261122_1610.xml', Buffer.from('<PES_Acquit/>\n'));

    const result = await run(['run', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const outcome = JSON.parse(result.stdout) as { files: Array<{ name: string; direction: string; status: string; localPath?: string }> };
    expect(outcome.files.map((f) => [f.direction, f.name, f.status])).toEqual([
      ['send', 'PESALR2_21400999900017_261123_0930.xml', 'sent'],
      ['receive', 'ACQUIT_PESALR2_21400999900017_261122_1610.xml', 'received'],
    ]);

    expect(peer.gateway.kept('PESALR2_21400999900017_261123_0930.xml')).toHaveLength(1);
    expect(readFileSync(peer.gateway.deposits[0]!.path, 'utf8')).toBe(PES);
    expect(peer.gateway.waiting[0]?.state).toBe('E');

    const received = readdirSync(join(dir, 'ordo-data', 'recus', 'VILLE'));
    expect(received).toEqual([`LA${new Date().getFullYear()}0001.020`]);
    expect(readFileSync(join(dir, 'ordo-data', 'recus', 'VILLE', received[0]!), 'utf8')).toBe('<PES_Acquit/>\n');
    expect(readdirSync(join(dir, 'export'))).toEqual([]);

    const log = lastLog();
    expect(log).toContain('user=XXXXXXXX&password=XXXXXXXX');
    expect(log).toContain('File received correctly');
    expectNoPassword(log, result.stdout, result.stderr);

    const again = await run(['run', '--json']);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { files: unknown[] }).files).toEqual([]);
    expect(peer.gateway.deposits).toHaveLength(1);
  });

  it('an interrupted download is kept aside, logged loudly, and reported by diagnose', async () => {
    peer.gateway.addWaiting('RCT290G.txt', Buffer.alloc(8 * 1024 * 1024, 0x41));
    peer.faults.cutDownloadHalfway();

    const retrieval = await run(['retrieve']);
    expect(retrieval.code).not.toBe(0);
    const failed = join(dir, 'ordo-data', 'failed', 'MANDATS');
    const kept = readdirSync(failed, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('RCT290G.txt.incomplete'));
    expect(kept).toHaveLength(1);
    expect(lastLog()).toMatch(/RCT290G\.txt.*(state E|DGFiP support)/);
    const recus = join(dir, 'ordo-data', 'recus', 'VILLE');
    expect(existsSync(recus) ? readdirSync(recus) : []).toEqual([]);

    const diagnosis = await run(['diagnose', '--json']);
    expect(diagnosis.code).toBe(6);
    const checks = (JSON.parse(diagnosis.stdout) as { checks: Array<{ id: string; status: string; message: string; fix?: string }> }).checks;
    const fetchFailed = checks.find((c) => c.id === 'journal.fetchFailed');
    expect(fetchFailed?.status).toBe('fail');
    expect(`${fetchFailed?.message} ${fetchFailed?.fix ?? ''}`).toMatch(/RCT290G\.txt/);
    expect(`${fetchFailed?.message}`).toMatch(/DGFiP support/);
    expect(checks.filter((c) => c.id.startsWith('xfb.')).map((c) => [c.id, c.status])).toEqual([
      ['xfb.dns', 'ok'],
      ['xfb.tcp', 'ok'],
      ['xfb.tls', 'ok'],
      ['xfb.credentials', 'ok'],
      ['xfb.listing', 'ok'],
    ]);
    expectNoPassword(diagnosis.stdout, diagnosis.stderr);
  });

  it('refused credentials: exit 4 with the gateway’s words, the file kept queued for when they are fixed, never the password', async () => {
    writeConfig('wrong-password');
    writeFileSync(join(dir, 'export', 'PES.xml'), PES);
    const result = await run(['run']);
    expect(result.code).toBe(4);
    expect(`${result.stdout}${result.stderr}`).toContain('Bad user or password');
    expect(peer.gateway.deposits).toEqual([]);
    const queued = readdirSync(join(dir, 'ordo-data', 'queue', 'MANDATS'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('PES.xml'));
    expect(queued).toHaveLength(1);
    const log = lastLog();
    expect(log).toContain('user=XXXXXXXX&password=XXXXXXXX');
    for (const text of [log, result.stdout, result.stderr]) expect(text).not.toContain('wrong-password');
  });
});
