// DILA télédossiers and flux retours through bin/ordo, against two real SFTP servers on 127.0.0.1:
// the commune's own server (OpenSSH sshd, key authentication) where DILA deposits citizens' requests,
// and DILA's server (ssh2's in-process server, password from the environment) that receives the
// status returns. ordo runs as a child process, the way a scheduled task runs it.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenSshServer, type OpenSshServer } from '../../fixtures/peers/sftp/openssh-server.mjs';
import { startSsh2SftpServer, type Ssh2SftpServer } from '../../fixtures/peers/sftp/ssh2-server.mjs';
import { ordoAsync, waitExit, type CliResult } from '../helpers/cli.js';

const DILA_PASSWORD_VARIABLE = 'ORDO_TEST_DILA_PASSWORD';

let commune: OpenSshServer;
let dila: Ssh2SftpServer;
let dilaFiles: string;
let dir: string;

beforeAll(async () => {
  commune = await startOpenSshServer();
  dilaFiles = mkdtempSync(join(tmpdir(), 'ordo-dila-'));
  dila = await startSsh2SftpServer({ root: dilaFiles, username: 'commune-40999', password: 'dila-e2e-secret' });
});

afterAll(async () => {
  // Undefined when beforeAll failed before starting them.
  await (dila as Ssh2SftpServer | undefined)?.stop();
  await (commune as OpenSshServer | undefined)?.stop();
  rmSync(dilaFiles, { recursive: true, force: true });
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ordo-e2e-sftp-'));
  mkdirSync(join(dir, 'retours'));
  mkdirSync(join(commune.files, 'teledossiers'), { recursive: true });
  mkdirSync(join(dilaFiles, 'flux-retours'), { recursive: true });
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(commune.files, 'teledossiers'), { recursive: true, force: true });
  rmSync(join(dilaFiles, 'flux-retours'), { recursive: true, force: true });
});

/** The configuration an integrator would write: one profile per SFTP server. */
function writeConfig(communeHostKey: string | undefined): void {
  const config = {
    root: './ordo-data',
    naming: { timestamp: false },
    profiles: {
      VILLE: {
        label: 'Ville de Saint-Exemple',
        sftp: {
          host: '127.0.0.1',
          port: commune.port,
          username: commune.username,
          privateKey: commune.privateKeyPath,
          ...(communeHostKey === undefined ? {} : { hostKey: communeHostKey }),
        },
      },
      VILLE_DILA: {
        sftp: { host: '127.0.0.1', port: dila.port, username: 'commune-40999', password: `\${${DILA_PASSWORD_VARIABLE}}`, hostKey: dila.hostKeyFingerprint },
      },
    },
    scenarios: {
      TELEDOSSIERS: {
        profile: 'VILLE',
        protocol: 'sftp',
        options: { inbox: 'teledossiers', filter: '*.xml;*.pdf', afterRetrieve: 'delete' },
      },
      FLUX_RETOURS: {
        profile: 'VILLE_DILA',
        protocol: 'sftp',
        source: './retours',
        settle: '0s',
        filter: ['*.xml'],
        retries: { attempts: 1 },
        // Send-only: nothing to fetch from DILA's server.
        retrieve: { enabled: false },
        options: { remoteDir: '/flux-retours' },
      },
    },
  };
  writeFileSync(join(dir, 'ordo.config.json'), JSON.stringify(config, null, 2));
}

function pinned(): string {
  return commune.hostKeys.map((key) => key.fingerprint).join(';');
}

/** Asynchronous: DILA's server runs in this process and must keep answering while ordo runs. */
async function ordo(args: string[]): Promise<CliResult> {
  return waitExit(ordoAsync(args, { cwd: dir, env: { [DILA_PASSWORD_VARIABLE]: 'dila-e2e-secret', LANG: 'fr_FR.UTF-8' } }));
}

const TELEDOSSIERS: Record<string, string> = {
  'ILE_2026_000123.xml': '<demande type="ILE"><commune>40999</commune></demande>',
  'ILE_2026_000123_justificatif_domicile.pdf': '%PDF-1.4 justificatif',
  'RCO_2026_000124.xml': '<demande type="RCO"><commune>40999</commune></demande>',
  'RCO_2026_000124_livret_famille.pdf': '%PDF-1.4 livret',
};

describe('DILA over SFTP, end to end', () => {
  it('retrieves the télédossiers into recus/<profile>/ and removes them from the server', async () => {
    writeConfig(pinned());
    for (const [name, content] of Object.entries(TELEDOSSIERS)) writeFileSync(join(commune.files, 'teledossiers', name), content);
    writeFileSync(join(commune.files, 'teledossiers', 'en_cours.xml.filepart'), '<demande');

    const result = await ordo(['retrieve', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const files = (JSON.parse(result.stdout) as { files: Array<{ name: string; status: string; sha256: string }> }).files;
    expect(files.map((file) => `${file.name}:${file.status}`).sort()).toEqual(Object.keys(TELEDOSSIERS).map((name) => `${name}:received`).sort());
    // The sha256 journaled and reported is the one the download computed as it wrote: the content's.
    for (const file of files) expect(file.sha256, file.name).toBe(createHash('sha256').update(Object.entries(TELEDOSSIERS).find(([name]) => name === file.name)?.[1] ?? '').digest('hex'));

    const received = join(dir, 'ordo-data', 'recus', 'VILLE');
    expect(readdirSync(received).sort()).toEqual(Object.keys(TELEDOSSIERS).sort());
    for (const [name, content] of Object.entries(TELEDOSSIERS)) expect(readFileSync(join(received, name), 'utf8')).toBe(content);
    // Only the file still being written is left on the server.
    expect(readdirSync(join(commune.files, 'teledossiers'))).toEqual(['en_cours.xml.filepart']);

    const again = await ordo(['retrieve', '--json']);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { files: unknown[] }).files).toEqual([]);
  });

  it('sends a status return to DILA under its final name, never visible partial, password never shown', async () => {
    writeConfig(pinned());
    const statusReturn = `<retour><teledossier>ILE_2026_000123</teledossier><statut>en cours de traitement</statut>${'x'.repeat(300_000)}</retour>`;
    writeFileSync(join(dir, 'retours', 'RETOUR_ILE_2026_000123.xml'), statusReturn);
    const before = dila.events.length;

    const result = await ordo(['run', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const sent = (JSON.parse(result.stdout) as { files: Array<{ name: string; status: string; remoteId?: string }> }).files;
    expect(sent).toEqual([expect.objectContaining({ name: 'RETOUR_ILE_2026_000123.xml', status: 'sent', remoteId: '/flux-retours/RETOUR_ILE_2026_000123.xml' })]);
    expect(readdirSync(join(dilaFiles, 'flux-retours'))).toEqual(['RETOUR_ILE_2026_000123.xml']);
    expect(readFileSync(join(dilaFiles, 'flux-retours', 'RETOUR_ILE_2026_000123.xml'), 'utf8')).toBe(statusReturn);

    const events = dila.events.slice(before);
    expect(events.filter((event) => event.type === 'open-write').map((event) => event.path)).not.toContain('/flux-retours/RETOUR_ILE_2026_000123.xml');
    expect(events.filter((event) => event.type === 'rename').map((event) => event.to)).toEqual(['/flux-retours/RETOUR_ILE_2026_000123.xml']);

    const log = readFileSync(join(dir, 'ordo-data', 'logs', 'last.log'), 'utf8');
    expect(log).toContain('RETOUR_ILE_2026_000123.xml');
    expect(`${log}${result.stdout}${result.stderr}`).not.toContain('dila-e2e-secret');
  });

  it('sends a batch of status returns in two round trips each: every temporary file is opened with the rename before it', async () => {
    writeConfig(pinned());
    const names = ['RETOUR_ILE_2026_000201.xml', 'RETOUR_ILE_2026_000202.xml', 'RETOUR_RCO_2026_000203.xml'];
    for (const name of names) writeFileSync(join(dir, 'retours', name), `<retour>${name}</retour>`);
    const before = dila.events.length;

    const result = await ordo(['send', '--scenario', 'FLUX_RETOURS', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const sent = (JSON.parse(result.stdout) as { files: Array<{ name: string; status: string }> }).files;
    expect(sent.map((file) => `${file.name}:${file.status}`)).toEqual(names.map((name) => `${name}:sent`));
    expect(readdirSync(join(dilaFiles, 'flux-retours')).sort()).toEqual(names);
    for (const name of names) expect(readFileSync(join(dilaFiles, 'flux-retours', name), 'utf8')).toBe(`<retour>${name}</retour>`);

    const requests = dila.events.slice(before).filter((event) => event.type === 'request');
    // One OPEN per file; only the first waited for its answer, the others went with a rename.
    expect(requests.filter((event) => event.name === 'OPEN').map((event) => event.roundTrip)).toEqual([true, false, false]);
  });

  it('refuses an unknown server (exit 4, fingerprint shown) until it is trusted explicitly', async () => {
    writeConfig(undefined);
    writeFileSync(join(commune.files, 'teledossiers', 'ILE_2026_000200.xml'), '<demande/>');

    const refused = await ordo(['retrieve']);
    expect(refused.code).toBe(4);
    const presented = commune.hostKeys.find((key) => refused.stderr.includes(key.fingerprint));
    expect(presented, refused.stderr).toBeDefined();
    expect(refused.stderr).toContain('REFUSÉ');
    expect(readdirSync(join(commune.files, 'teledossiers'))).toEqual(['ILE_2026_000200.xml']);

    const accepted = await ordo(['diagnose', '--accept-new-host-key', 'TELEDOSSIERS', '--json']);
    expect(accepted.code, accepted.stderr).toBe(0);
    const check = (JSON.parse(accepted.stdout) as { checks: Array<{ id: string; message: string }> }).checks[0]!;
    expect(check.id).toBe('sftp.hostKey');
    expect(check.message).toContain(presented!.fingerprint);
    expect(readFileSync(join(dir, 'ordo-data', 'known_hosts'), 'utf8')).toContain(`[127.0.0.1]:${commune.port} `);

    const retrieved = await ordo(['retrieve']);
    expect(retrieved.code, retrieved.stderr).toBe(0);
    expect(readdirSync(join(dir, 'ordo-data', 'recus', 'VILLE'))).toEqual(['ILE_2026_000200.xml']);
  });

  it('diagnose checks each step and the remote folders of every SFTP scenario', async () => {
    writeConfig(pinned());
    const result = await ordo(['diagnose', '--write-probe', '--json']);
    const checks = (JSON.parse(result.stdout) as { checks: Array<{ id: string; scope?: string; status: string }> }).checks;
    const sftp = checks.filter((check) => check.id.startsWith('sftp.')).map((check) => `${check.scope}:${check.id}:${check.status}`);
    for (const scenario of ['TELEDOSSIERS', 'FLUX_RETOURS']) {
      for (const step of ['dns', 'tcp', 'handshake', 'hostKey', 'auth']) expect(sftp).toContain(`${scenario}:sftp.${step}:ok`);
    }
    expect(sftp).toContain('TELEDOSSIERS:sftp.list:ok');
    expect(sftp).toContain('FLUX_RETOURS:sftp.write:ok');
    expect(readdirSync(join(dilaFiles, 'flux-retours'))).toEqual([]);
  });
});
