// Locks after a crash at any instant of their creation: a run killed while taking a lock leaves either
// no lock or a lock that names it (stale at once once its process is gone) — never one that looks held
// by nobody until its heartbeat is two minutes old.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, readLock } from '../../../src/shared/lock.js';
import { deadPid, ownTemporary } from '../../helpers/leftovers.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('locks and crashes', () => {
  it('killed after writing its owner but before linking it: no lock; the next run takes it at once and removes the leftover', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ordo-lock-'));
    const pid = deadPid();
    const leftover = join(dir, ownTemporary('scenario-PES.lock', pid));
    writeFileSync(leftover, JSON.stringify({ pid, host: hostname(), since: new Date().toISOString() }));
    const lock = await acquireLock(join(dir, 'scenario-PES.lock'), { command: 'test' });
    expect(lock.replaced).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['scenario-PES.lock']);
    lock.release();
  });

  it('killed after linking, before removing the temporary name: the lock names a dead process, taken over at once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ordo-lock-'));
    const pid = deadPid();
    const owner = JSON.stringify({ pid, host: hostname(), since: new Date().toISOString() });
    writeFileSync(join(dir, 'scenario-PES.lock'), owner);
    writeFileSync(join(dir, ownTemporary('scenario-PES.lock', pid)), owner);
    const lock = await acquireLock(join(dir, 'scenario-PES.lock'), { command: 'test' });
    expect(lock.replaced?.pid).toBe(pid);
    expect(readdirSync(dir)).toEqual(['scenario-PES.lock']);
    lock.release();
  });

  it('a lock file is never seen without its owner, even while it is being created', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ordo-lock-'));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'scenario-PES.lock');
    // Another process takes and releases the lock in a loop while this one looks at it as often as it can.
    const script = `
      const { acquireLock } = await import(${JSON.stringify(new URL('../../../dist/shared/lock.js', import.meta.url).href)});
      for (let i = 0; i < 300; i++) { const lock = await acquireLock(${JSON.stringify(path)}, { waitMs: 5000 }); lock.release(); }`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let looks = 0;
    let ownerless = 0;
    let running = true as boolean; // cleared by the exit callback: not narrowable
    void exited.then(() => (running = false));
    while (running) {
      if (!existsSync(path)) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const text = (() => {
        try {
          return readFileSync(path, 'utf8');
        } catch {
          return undefined;
        }
      })();
      if (text === undefined) continue;
      looks++;
      if (text === '') ownerless++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await exited).toBe(0);
    expect(looks).toBeGreaterThan(0);
    expect(ownerless).toBe(0);
    expect(readLock(path)).toBeUndefined();
  });
});
