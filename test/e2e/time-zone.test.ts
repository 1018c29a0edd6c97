// One time zone for people (issue 14, item 9): a lock holder's time is shown as local time with its
// offset in human output, the way the logs show time; --json keeps the ISO UTC value.
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordo, site, type Site } from '../helpers/cli.js';

const SINCE = '2026-12-02T10:40:05.000Z';
const PARIS = { TZ: 'Europe/Paris' };

let s: Site | undefined;
afterEach(() => s?.cleanup());

/** A lock on scenario PES held by a live process on this host (this test's own process). */
function holdLock(site: Site): void {
  const locks = join(site.root, 'locks');
  mkdirSync(locks, { recursive: true });
  writeFileSync(join(locks, 'scenario-PES.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: SINCE, command: 'run' }));
  writeFileSync(join(site.source, 'PES1.xml'), '<PES/>');
}

describe('lock holders in local time', () => {
  it('a held lock: local time with its offset in the message, never the UTC …Z form', () => {
    s = site();
    holdLock(s);
    const r = ordo(['send', '--scenario', 'PES'], { cwd: s.dir, env: PARIS });
    expect(r.code).toBe(5);
    const text = r.stdout + r.stderr;
    expect(text).toContain('2026-12-02 11:40:05 +01:00');
    expect(text).not.toContain(SINCE);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/);
  });

  it('in French too', () => {
    s = site();
    holdLock(s);
    const r = ordo(['--lang', 'fr', 'send', '--scenario', 'PES'], { cwd: s.dir, env: PARIS });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('depuis 02/12/2026 11:40 +01:00');
  });

  it('--json keeps the ISO UTC value, unchanged', () => {
    s = site();
    holdLock(s);
    const r = ordo(['--json', 'send', '--scenario', 'PES'], { cwd: s.dir, env: PARIS });
    expect(r.code).toBe(5);
    const doc = JSON.parse(r.stdout) as { problems: { message: string; lockHeld?: boolean }[] };
    expect(doc.problems).toHaveLength(1);
    expect(doc.problems[0]?.lockHeld).toBe(true);
    expect(doc.problems[0]?.message).toContain(`since ${SINCE}`);
    expect(r.stdout).not.toContain('+01:00');

    const d = ordo(['--json', 'diagnose'], { cwd: s.dir, env: PARIS });
    const checks = (JSON.parse(d.stdout) as { checks: { id: string; message: string }[] }).checks.filter((c) => c.id === 'locks');
    expect(checks.map((c) => c.message)).toEqual([expect.stringContaining(`since ${SINCE}`)]);
  });

  it('diagnose shows the holder in local time with its offset', () => {
    s = site();
    holdLock(s);
    const r = ordo(['diagnose'], { cwd: s.dir, env: PARIS });
    const text = r.stdout + r.stderr;
    expect(text).toContain('since 2026-12-02 11:40:05 +01:00 (run)');
    expect(text).not.toContain(SINCE);
  });
});
