// One line per event, on one stream (docs/cli.md, "Output streams"): the result on stdout, every
// problem once on stderr, the scenario's name once at the start of its line. What cron mails carry.
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ordo, site, type CliResult, type Site } from '../helpers/cli.js';

let s: Site | undefined;
afterEach(() => s?.cleanup());

/** A loopback port nothing listens on (taken, then released). */
let closedPort = 0;
beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  closedPort = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise((done) => server.close(done));
});

const RETRIES = { attempts: 1, backoff: '10ms' };

/**
 * A site where every scenario fails a different way: PES has a file the partner already holds under
 * that name (refused) next to a good one, TELE sends by SFTP without a remote folder (the destination
 * is wrong: the scenario stops), DEPOT sends by SFTP to a closed port, WEB posts to a closed port.
 */
function failingSite(): Site {
  const s = site();
  const sftp = (source: string, options: Record<string, unknown>) => ({ profile: 'VILLE', protocol: 'sftp', source, settle: '0s', retries: RETRIES, options });
  s.writeConfig({
    root: './ordo-data',
    profiles: {
      VILLE: {
        label: 'Ville',
        sftp: { host: '127.0.0.1', port: closedPort, username: 'mairie', password: 'not-a-real-secret' },
        http: { urls: { default: `http://127.0.0.1:${closedPort}/upload` } },
      },
    },
    scenarios: {
      PES: { profile: 'VILLE', protocol: 'local', source: './export', settle: '0s', retries: RETRIES, options: { target: './partner/in' } },
      TELE: sftp('./tele', {}),
      DEPOT: sftp('./depot', { remoteDir: '/in', inbox: '/out' }),
      WEB: { profile: 'VILLE', protocol: 'http', source: './web', settle: '0s', retries: RETRIES },
    },
  });
  writeFileSync(join(s.source, 'good.xml'), 'good');
  writeFileSync(join(s.source, 'clash.xml'), 'mine');
  writeFileSync(join(s.target, 'clash.xml'), 'theirs');
  for (const [folder, name] of [['tele', 'T1.xml'], ['depot', 'D1.xml'], ['web', 'W1.xml']] as const) {
    mkdirSync(join(s.dir, folder));
    writeFileSync(join(s.dir, folder, name), name);
  }
  return s;
}

const FAILING = ['clash.xml', 'T1.xml', 'D1.xml', 'W1.xml'];

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

function expectOneLinePerEvent(r: CliResult): void {
  const all = [...lines(r.stdout), ...lines(r.stderr)];
  // Each failing file is told once, in both streams together, and only on stderr.
  for (const name of FAILING) {
    expect(all.filter((l) => l.includes(name)), name).toHaveLength(1);
    expect(r.stdout).not.toContain(name);
  }
  // Every problem line (and its fix) exactly once; none on stdout.
  for (const line of lines(r.stderr)) expect(all.filter((l) => l === line), line).toHaveLength(1);
  expect(r.stdout).not.toMatch(/^[✖⚠]/m);
  // The scenario's name once, at the start of the line.
  for (const line of all) expect(line).not.toMatch(/^(?:[✖⚠✔] )?([A-Z]+)\s?:\s(?:Scenario |Scénario )?\1\b/);
}

describe('exit codes of failing runs', () => {
  it('4 when nothing could be transferred because the partner could not be reached; 1 once something went through', () => {
    s = failingSite();
    const unreachable = ordo(['run', 'DEPOT', 'WEB'], { cwd: s.dir });
    expect([unreachable.code, unreachable.stdout]).toEqual([4, expect.stringMatching(/^Done: 2 deferred in /)]);
    expect(ordo(['send', '--scenario', 'DEPOT'], { cwd: s.dir }).code).toBe(4);
    // Something sent (PES) next to the unreachable partner: not everything was done, exit 1.
    const partial = ordo(['run', 'PES', 'DEPOT'], { cwd: s.dir });
    expect(partial.code).toBe(1);
  });
});

describe('output streams', () => {
  it('a run with failures: the result on stdout, each problem once on stderr, the summary on stdout', () => {
    s = failingSite();
    const r = ordo(['run', '--lang', 'en'], { cwd: s.dir });
    expect(r.code).toBe(1);
    expectOneLinePerEvent(r);
    expect(lines(r.stdout)).toEqual([expect.stringMatching(/^✔ PES: good\.xml sent/), expect.stringMatching(/^Done: 1 sent, 3 deferred, 1 refused in /)]);
    expect(r.stderr).toMatch(/^✖ PES: clash\.xml refused: /m);
    expect(r.stderr).toMatch(/^⚠ DEPOT: D1\.xml not sent: /m);
    expect(r.stderr).toMatch(/^⚠ WEB: W1\.xml not sent: /m);
    // The destination is wrong: one line says what happens to the file and to the scenario, then the fix.
    expect(r.stderr).toMatch(
      /^✖ TELE: T1\.xml not sent: .*options\.remoteDir.*\. The file is not at fault and stays queued; this scenario sends nothing more in this run, and the next run tries again \(with the same failure until that is fixed\)\.\n {2}→ /m,
    );
    expect(r.stderr).not.toMatch(/stops until/);
  });

  it('the same in French, and with --quiet: nothing on stdout, the same problem lines on stderr', () => {
    s = failingSite();
    const r = ordo(['run', '--lang', 'fr', '-q'], { cwd: s.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expectOneLinePerEvent(r);
    expect(r.stderr).toMatch(/^✖ TELE\u00a0: T1\.xml non envoyé\u00a0: /m);
    expect(r.stderr).toMatch(/^✖ PES\u00a0: clash\.xml refusé\u00a0: /m);
  });

  it('a scenario that cannot connect at all: one problem line, its name once', () => {
    s = failingSite();
    // Retrieval only: the SFTP session to the closed port cannot open.
    const r = ordo(['retrieve', '--scenario', 'DEPOT', '--lang', 'en'], { cwd: s.dir });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^Nothing was transferred/m);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^✖ DEPOT: could not list the files waiting: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/), expect.stringMatching(/^ {2}→ /)]);
  });

  it('the same with a historical automate.ini (where `TELE: TELE:` was seen)', () => {
    s = site();
    const ini = ['[general]', 'root=./data', '[profile:VILLE]', 'sftp.host=127.0.0.1', `sftp.port=${closedPort}`, 'sftp.username=mairie', 'sftp.password=not-a-real-secret'];
    ini.push('[scenario:TELE]', 'profile=VILLE', 'protocol=sftp', 'source=./tele', 'settle=0', 'retries.attempts=1');
    ini.push('[scenario:PES]', 'profile=VILLE', 'protocol=local', 'source=./export', 'settle=0', 'options.target=./partner/in');
    writeFileSync(join(s.dir, 'automate.ini'), `${ini.join('\r\n')}\r\n`);
    mkdirSync(join(s.dir, 'tele'));
    writeFileSync(join(s.dir, 'tele', 'T1.xml'), 't');
    writeFileSync(join(s.source, 'clash.xml'), 'mine');
    writeFileSync(join(s.target, 'clash.xml'), 'theirs');
    const r = ordo(['run', '-c', 'automate.ini', '--lang', 'fr'], { cwd: s.dir });
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual([expect.stringMatching(/^Terminé\u00a0: 1 reporté, 1 refusé en /)]);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(/^✖ PES\u00a0: clash\.xml refusé\u00a0: /),
      expect.stringMatching(/^✖ TELE\u00a0: T1\.xml non envoyé\u00a0: .*ce scénario n’envoie plus rien lors de ce passage, et le prochain passage réessaiera/),
      expect.stringMatching(/^ {2}→ /),
    ]);
  });

  it('--json: one valid document on stdout, nothing on stderr, messages without the scenario in them', () => {
    s = failingSite();
    const r = ordo(['run', '--json', '--lang', 'en'], { cwd: s.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { files: Array<{ name: string; status: string }>; problems: Array<{ scenario: string; file?: string; message: string; connection?: boolean }> };
    expect(doc.files.map((f) => `${f.name}:${f.status}`).sort()).toEqual(['D1.xml:deferred', 'T1.xml:deferred', 'W1.xml:deferred', 'clash.xml:failed', 'good.xml:sent']);
    expect(doc.problems).toEqual([
      expect.objectContaining({ scenario: 'TELE', file: 'T1.xml', connection: true, message: expect.stringMatching(/^T1\.xml not sent: /) }),
      expect.objectContaining({ scenario: 'DEPOT', connection: true, message: expect.stringMatching(/^could not list the files waiting: /) }),
    ]);
  });
});
