// ordo.exe as a mairie runs it on Windows: copied alone (no Node.js), an automate.ini written by Notepad
// (Windows-1252, CRLF, accents, C:\ paths, %VAR%), a full run on the local protocol, an SFTP send to a
// real OpenSSH server on 127.0.0.1, and the documented exit codes. Windows is Wine (Debian's wine64);
// the test fails, never skips, when Wine is missing (.ci/run installs it).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSshServer, type OpenSshServer } from '../../fixtures/peers/sftp/openssh-server.mjs';
import { cp1252 } from '../helpers/automate-ini.js';
import { buildExecutables, root, Wine } from './harness.js';

let wine: Wine;
let work: string;
let sshd: OpenSshServer;

beforeAll(async () => {
  buildExecutables();
  work = mkdtempSync(join(tmpdir(), 'ordo-exe-wine-'));
  wine = Wine.create(join(work, 'prefix'));
  sshd = await startOpenSshServer();
}, 600_000);

afterAll(async () => {
  // Undefined when beforeAll failed before creating them.
  (wine as Wine | undefined)?.stop();
  await (sshd as OpenSshServer | undefined)?.stop();
  if ((work as string | undefined) !== undefined) rmSync(work, { recursive: true, force: true });
});

/** An automate.ini as Notepad saves it: Windows-1252, CRLF. */
function writeIni(path: string, lines: string[]): void {
  writeFileSync(path, cp1252(`${lines.join('\r\n')}\r\n`));
}

/** A folder under C:\ordo\<name>: its Linux path and its Windows one. */
function folder(...parts: string[]): { linux: string; windows: string } {
  const linux = join(wine.driveC, 'ordo', ...parts);
  mkdirSync(linux, { recursive: true });
  return { linux, windows: ['C:\\ordo', ...parts].join('\\') };
}

describe('ordo.exe under Wine', () => {
  it('prints its version, and with --verbose the Node.js inside, the commit and that it is the executable', async () => {
    const site = folder('version');
    const plain = await wine.ordo(['--version'], site.linux);
    expect(plain.code, plain.stderr).toBe(0);
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    expect(plain.stdout).toBe(`${version}\n`);

    const verbose = await wine.ordo(['--version', '--verbose'], site.linux);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stdout).toMatch(new RegExp(`^${version.replaceAll('.', '\\.')}\\nNode\\.js 22\\.\\d+\\.\\d+\\ncommit [0-9a-f]{7,}`));
    expect(verbose.stdout).toContain('single executable');
  });

  it('checks a Windows-1252 CRLF automate.ini with C:\\ paths and accents (exit 0), and names the faulty line (exit 3)', async () => {
    const site = folder('Mairie de Saint-Célestin', 'config');
    folder('Exporté', 'Finances');
    const lines = [
      '; automate.ini — mairie de Saint-Célestin (écrit par le Bloc-notes)',
      '[general]',
      'root=C:\\ordo\\Données ordo',
      'lang=fr',
      '',
      '[profile:VILLE]',
      'label=Mairie de Saint-Célestin — hôtel de ville',
      '',
      '[scenario:MANDATS]',
      'profile=VILLE',
      'protocol=local',
      'source=C:\\ordo\\Exporté\\Finances',
      'settle=2s',
      'options.target=C:\\ordo\\Dépôt',
      'options.inbox=C:\\ordo\\Retours',
    ];
    writeIni(join(site.linux, 'automate.ini'), lines);
    const valid = await wine.ordo(['config', 'check', '--lang', 'en'], site.linux);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toContain('Configuration valid: automate.ini (profiles: 1, scenarios: 1)');

    writeIni(join(site.linux, 'automate.ini'), [...lines, 'backup.ifExists=écraser']);
    const invalid = await wine.ordo(['config', 'check', '--lang', 'en'], site.linux);
    expect(invalid.code, invalid.stdout).toBe(3);
    expect(invalid.stderr).toContain('automate.ini:16 [scenario:MANDATS] backup.ifExists');
    expect(invalid.stderr).toContain('"écraser"');
  });

  it('runs a full cycle on the local protocol from C:\\ to a \\\\?\\ folder: backup, journal, logs, [numrec] naming; exit 5 when another run holds the lock', async () => {
    const site = folder('cycle');
    const source = folder('cycle', 'Exporté', 'Finances');
    const target = folder('cycle', 'Dépôt', 'Trésorerie');
    const inbox = folder('cycle', 'Retours');
    writeIni(join(site.linux, 'automate.ini'), [
      '[general]',
      'root=C:\\ordo\\cycle\\Données',
      '',
      '[profile:VILLE]',
      'label=Mairie de Saint-Célestin',
      '',
      '[scenario:MANDATS]',
      'profile=VILLE',
      'protocol=local',
      'source=%ORDO_EXPORT%\\Finances',
      'filter=MANDAT*.XML',
      'settle=0s',
      `options.target=\\\\?\\${target.windows}`,
      `options.inbox=${inbox.windows}`,
      'naming.rename=oui',
      'naming.format=LA[annee][numrec].020',
      '',
      '[DIR:REC]',
      'numrec=0041 ; compteur des retours',
    ]);
    writeFileSync(join(source.linux, 'mandat_0001.xml'), '<PES_Aller>mandat</PES_Aller>');
    writeFileSync(join(source.linux, 'notes.txt'), 'pas pour le comptable');
    writeFileSync(join(inbox.linux, 'PES_ACK_0001.xml'), '<PES_ACK/>');
    const env = { ORDO_EXPORT: 'C:\\ordo\\cycle\\Exporté' };

    const result = await wine.ordo(['run', '--lang', 'en'], site.linux, env);
    expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('Done: 1 sent, 1 received');

    expect(readdirSync(target.linux)).toEqual(['mandat_0001.xml']);
    expect(readFileSync(join(target.linux, 'mandat_0001.xml'), 'utf8')).toBe('<PES_Aller>mandat</PES_Aller>');
    expect(readdirSync(source.linux)).toEqual(['notes.txt']);
    const data = join(site.linux, 'Données');
    expect(readFileSync(join(data, 'backup', 'MANDATS', 'mandat_0001.xml'), 'utf8')).toBe('<PES_Aller>mandat</PES_Aller>');
    const year = new Date().getFullYear();
    expect(readdirSync(join(data, 'recus', 'VILLE'))).toEqual([`LA${year}0042.020`]);
    const journal = readdirSync(join(data, 'journal')).map((name) => readFileSync(join(data, 'journal', name), 'utf8')).join('');
    expect(journal).toMatch(/"state":"sent"/);
    expect(journal).toContain('mandat_0001.xml');
    // The log is opened in Notepad: CRLF line ends, every one of them.
    const log = readFileSync(join(data, 'logs', 'last.log'), 'utf8');
    expect(log).toContain('mandat_0001.xml');
    expect(log.endsWith('\r\n')).toBe(true);
    expect(log.split('\r\n').join('')).not.toContain('\n');
    // The counter is written back in place, the file still Windows-1252 and CRLF, its comment kept.
    const ini = readFileSync(join(site.linux, 'automate.ini'));
    expect(ini.toString('latin1')).toContain('[DIR:REC]\r\nnumrec=0042 ; compteur des retours\r\n');
    expect(ini.includes(Buffer.from('Données', 'latin1'))).toBe(true);

    // Another run (here: on another server, its heartbeat fresh) holds the scenario's lock.
    writeFileSync(join(source.linux, 'mandat_0002.xml'), '<PES_Aller>mandat 2</PES_Aller>');
    const lock = join(data, 'locks', 'scenario-MANDATS.lock');
    writeFileSync(lock, JSON.stringify({ pid: 4242, host: 'SERVEUR-COMPTA', since: new Date().toISOString(), command: 'run' }));
    const now = new Date();
    utimesSync(lock, now, now);
    const held = await wine.ordo(['run', '--lang', 'en'], site.linux, env);
    expect(held.code, `${held.stdout}${held.stderr}`).toBe(5);
    expect(held.stderr).toContain('SERVEUR-COMPTA');
    expect(readdirSync(target.linux)).toEqual(['mandat_0001.xml']);

    // The report support asks for: written with Windows line ends, it says this is the executable.
    const diagnose = await wine.ordo(['diagnose', '--report', 'C:\\ordo\\cycle\\Support\\diagnostic.txt', '--lang', 'en'], site.linux, env);
    expect(diagnose.code, `${diagnose.stdout}${diagnose.stderr}`).toBe(0);
    const report = readFileSync(join(site.linux, 'Support', 'diagnostic.txt'), 'utf8');
    expect(report).toMatch(/Node\.js 22\.\d+\.\d+\) on .*; single executable, commit [0-9a-f]{7,}/);
    expect(report).toContain('SERVEUR-COMPTA');
    expect(report.split('\r\n').join('')).not.toContain('\n');
  });

  it('sends over SFTP to OpenSSH on 127.0.0.1 (ssh2 without its native parts), and exits 4 when the server cannot be reached', async () => {
    const site = folder('sftp');
    const source = folder('sftp', 'Export');
    mkdirSync(join(sshd.files, 'depot'), { recursive: true });
    const ini = (port: number) => [
      '[general]',
      'root=C:\\ordo\\sftp\\Données',
      '',
      '[profile:TRESORERIE]',
      'sftp.host=127.0.0.1',
      `sftp.port=${port}`,
      `sftp.username=${sshd.username}`,
      'sftp.privateKey=%ORDO_SFTP_KEY%',
      `sftp.hostKey=${sshd.hostKeys.map((key) => key.fingerprint).join(';')}`,
      '',
      '[scenario:PES]',
      'profile=TRESORERIE',
      'protocol=sftp',
      `source=${source.windows}`,
      'settle=0s',
      'retries.attempts=1',
      'retrieve.enabled=non',
      'options.remoteDir=depot',
    ];
    // The key is on the Linux side: Wine shows / as Z:\.
    const env = { ORDO_SFTP_KEY: `Z:${sshd.privateKeyPath.replaceAll('/', '\\')}` };
    writeIni(join(site.linux, 'automate.ini'), ini(sshd.port));
    const content = `<PES_Aller>${'é'.repeat(100_000)}</PES_Aller>`;
    writeFileSync(join(source.linux, 'PES_titres.xml'), content);

    const sent = await wine.ordo(['run', '--lang', 'en'], site.linux, env);
    expect(sent.code, `${sent.stdout}${sent.stderr}`).toBe(0);
    expect(readFileSync(join(sshd.files, 'depot', 'PES_titres.xml'), 'utf8')).toBe(content);

    writeIni(join(site.linux, 'automate.ini'), ini(await closedPort()));
    writeFileSync(join(source.linux, 'PES_titres_2.xml'), `${content}\n`);
    const refused = await wine.ordo(['run', '--lang', 'en'], site.linux, env);
    expect(refused.code, `${refused.stdout}${refused.stderr}`).toBe(4);
    expect(readdirSync(join(sshd.files, 'depot'))).toEqual(['PES_titres.xml']);
  });
});

/** A loopback port nothing listens on (it was free a moment ago). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
