// `diagnose` answers what support otherwise asks by hand: which ordo runs where and how it was started,
// when each scenario last transferred something (and whether that is later than its expected rhythm,
// `expectEvery`), temporaries and failed/ items older than a day, and which folders are on a network share.
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordo, site, type Site } from '../helpers/cli.js';

let s: Site | undefined;
afterEach(() => {
  s?.cleanup();
  s = undefined;
});

interface Check {
  id: string;
  status: string;
  scope?: string;
  message: string;
  fix?: string;
}

function diagnoseJson(dir: string, env: Record<string, string> = {}): { checks: Check[]; environment: Record<string, unknown> } {
  return JSON.parse(ordo(['diagnose', '--json'], { cwd: dir, env }).stdout) as ReturnType<typeof diagnoseJson>;
}

const version = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

describe('diagnose for support', () => {
  it('says which ordo runs where, as whom, and how it was started when it can tell', () => {
    s = site();
    const r = ordo(['diagnose'], { cwd: s.dir });
    expect(r.stdout).toContain(`ordo ${version} (Node.js ${process.versions.node}) on ${hostname()} (${process.platform} ${process.arch}), account ${userInfo().username}, started by hand or by a scheduler: cannot tell`);
    const json = diagnoseJson(s.dir, { INVOCATION_ID: '0123abcd' });
    expect(json.environment).toMatchObject({ version, host: hostname(), user: userInfo().username, startedBy: { how: 'scheduler', name: 'systemd' } });
    expect(json.checks.find((c) => c.id === 'environment')?.message).toContain('started by a scheduler (systemd)');
  });

  it('says it too when the configuration does not load', () => {
    s = site();
    writeFileSync(join(s.dir, 'ordo.config.json'), '{ "root": "./data", "scenarios": { "A": { "protocol": "nope" } } }');
    const r = ordo(['diagnose'], { cwd: s.dir });
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(new RegExp(`^✔ ordo ${version.replace(/\./g, '\\.')} \\(Node\\.js `, 'm'));
  });

  it('gives the last transfer its age, and warns when it is older than the scenario’s expectEvery', async () => {
    s = site({ expectEvery: '1s' });
    const { dir, source } = s;
    const none = diagnoseJson(dir).checks.find((c) => c.id === 'journal.lastTransfer');
    expect(none).toMatchObject({ status: 'warn', scope: 'PES' });
    expect(none?.message).toContain('although one is expected every 1s (expectEvery)');
    writeFileSync(join(source, 'a.xml'), '<a/>');
    expect(ordo(['send'], { cwd: dir }).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const late = diagnoseJson(dir).checks.find((c) => c.id === 'journal.lastTransfer');
    expect(late?.status).toBe('warn');
    expect(late?.message).toMatch(/^Last transfer \d s ago, longer than the expected rhythm of 1s \(expectEvery\): a\.xml sent/);
    expect(late?.fix).toMatch(/still started/);
  });

  it('without expectEvery, the last transfer is only shown, with its age', () => {
    s = site();
    writeFileSync(join(s.source, 'a.xml'), '<a/>');
    ordo(['send'], { cwd: s.dir });
    const last = diagnoseJson(s.dir).checks.find((c) => c.id === 'journal.lastTransfer');
    expect(last?.status).toBe('ok');
    expect(last?.message).toMatch(/^Last transfer: a\.xml sent, started .*, ended .* \(\d+ s ago\)$/);
  });

  it('refuses an expectEvery that is no duration', () => {
    s = site({ expectEvery: 'daily' });
    const r = ordo(['config', 'check'], { cwd: s.dir });
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toContain('expectEvery');
  });

  it('points out temporaries and failed/ items older than a day', () => {
    s = site();
    const { dir, root, target, source } = s;
    writeFileSync(join(target, 'b.xml'), 'already there');
    writeFileSync(join(source, 'b.xml'), '<b/>');
    ordo(['send'], { cwd: dir });
    // Left by a run that died two days ago, no run since (a run would have removed it).
    const queue = join(root, 'queue', 'PES');
    mkdirSync(queue, { recursive: true });
    const temp = join(queue, '.a.xml.0123456789ab-4242-deadbeef.ordo-part');
    writeFileSync(temp, 'half');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(temp, twoDaysAgo, twoDaysAgo);
    const [id] = readdirSync(join(root, 'failed', 'PES'));
    const record = join(root, 'failed', 'PES', id!, '.ordo-failed.json');
    const recorded = JSON.parse(readFileSync(record, 'utf8')) as { time: string };
    writeFileSync(record, JSON.stringify({ ...recorded, time: twoDaysAgo.toISOString() }));

    const { checks } = diagnoseJson(dir);
    const old = checks.find((c) => c.id === 'folders.oldTemporaries');
    expect(old).toMatchObject({ status: 'warn', scope: 'PES' });
    expect(old?.message).toContain(`${queue}: 1 temporary file(s) older than a day`);
    const failed = checks.find((c) => c.id === 'failed');
    expect(failed?.message).toMatch(/^b\.xml has been waiting in failed\/ for more than a day \(since .*, 2 d ago\): a file named b\.xml is already in the target folder/);
  });

  it('tells, for every folder, whether it is on a network share (here: local disks)', () => {
    s = site();
    const shares = diagnoseJson(s.dir).checks.filter((c) => c.id === 'folders.share');
    expect(shares.map((c) => c.status)).toEqual(['ok']);
    expect(shares[0]?.message).toMatch(/^Folders on local disks: /);
    for (const folder of [s.root, s.source, join(s.root, 'backup', 'PES'), join(s.root, 'recus', 'VILLE')]) expect(shares[0]?.message).toContain(`${folder} (`);
  });
});
