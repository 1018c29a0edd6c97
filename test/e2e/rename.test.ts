// `ordo rename` with a [numrec] plan, as scripts call it: the counter lives in automate.ini, two
// processes at once never share a number, and a killed process never causes a number to be reused.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cp1252 } from '../helpers/automate-ini.js';
import { ordo, ordoAsync, waitExit } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const INI = [
  '; automate.ini — compteur des retours (Windows-1252, CRLF)',
  '[general]',
  'root=ordo-data',
  '',
  '[DIR:REC]',
  '; dernier numéro utilisé',
  'numrec=0041',
  '',
].join('\r\n');

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(files: Record<string, number>): void {
  dir = mkdtempSync(join(tmpdir(), 'ordo-rename-'));
  writeFileSync(join(dir, 'automate.ini'), cp1252(INI));
  for (const [folder, count] of Object.entries(files)) {
    mkdirSync(join(dir, folder));
    for (let i = 0; i < count; i++) writeFileSync(join(dir, folder, `RCT290G-${i}.txt`), `${folder} ${i}`);
  }
}

const numbersIn = (folder: string) =>
  readdirSync(join(dir, folder)).map((name) => {
    const match = /^LA(\d+)\.020$/.exec(name);
    if (!match) throw new Error(`not renamed: ${name}`);
    return Number(match[1]);
  });

describe('ordo rename with [numrec]', () => {
  it('--dry-run prints old → new and uses no number', () => {
    setup({ a: 1 });
    const r = ordo(['rename', '--dry-run', '--format', 'LA[numrec].020', join('a', 'RCT290G-0.txt')], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/RCT290G-0\.txt → .*LA0042\.020/);
    expect(readFileSync(join(dir, 'automate.ini')).equals(cp1252(INI))).toBe(true);
    expect(readdirSync(join(dir, 'a'))).toEqual(['RCT290G-0.txt']);
  });

  it('two processes renaming 200 files each get 400 distinct numbers; only numrec changed in automate.ini', async () => {
    setup({ a: 200, b: 200 });
    const args = (folder: string) => ['rename', '--format', 'LA[numrec].020', ...readdirSync(join(dir, folder)).map((n) => join(folder, n))];
    const [ra, rb] = await Promise.all([waitExit(ordoAsync(args('a'), { cwd: dir })), waitExit(ordoAsync(args('b'), { cwd: dir }))]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    const all = [...numbersIn('a'), ...numbersIn('b')].sort((x, y) => x - y);
    expect(new Set(all).size).toBe(400);
    expect(all[0]).toBe(42);
    expect(all[399]).toBe(441);
    expect(readFileSync(join(dir, 'automate.ini')).equals(cp1252(INI.replace('numrec=0041', 'numrec=0441')))).toBe(true);
  });

  it('a process killed mid-way never causes a number to be reused', async () => {
    setup({ a: 300, b: 5 });
    const child = ordoAsync(['rename', '--format', 'LA[numrec].020', ...readdirSync(join(dir, 'a')).map((n) => join('a', n))], { cwd: dir });
    let exited = false;
    const done = waitExit(child).finally(() => (exited = true));
    await waitFor(() => readdirSync(join(dir, 'a')).filter((n) => n.startsWith('LA')).length >= 20, {
      what: '20 files renamed',
      gaveUp: () => (exited ? 'ordo rename exited before' : undefined),
    });
    child.kill('SIGKILL');
    expect((await done).signal, 'killed mid-way, not finished').toBe('SIGKILL');
    const usedBeforeKill = readdirSync(join(dir, 'a')).filter((n) => n.startsWith('LA')).map((n) => Number(/\d+/.exec(n)![0]));
    expect(usedBeforeKill.length).toBeGreaterThan(0);
    const stored = Number(/numrec=(\d+)/.exec(readFileSync(join(dir, 'automate.ini'), 'latin1'))![1]);
    expect(stored).toBeGreaterThanOrEqual(Math.max(...usedBeforeKill));
    const after = ordo(['rename', '--format', 'LA[numrec].020', ...readdirSync(join(dir, 'b')).map((n) => join('b', n))], { cwd: dir });
    expect(after.code).toBe(0);
    const next = numbersIn('b');
    for (const n of next) expect(usedBeforeKill).not.toContain(n);
    expect(Math.min(...next)).toBeGreaterThan(stored);
  });
});
