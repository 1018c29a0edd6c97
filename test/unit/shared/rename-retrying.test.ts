// A file another program holds for a moment on Windows (antivirus, editor): the rename is tried again,
// then the last error is given to the caller as it was.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renameRetrying } from '../../../src/shared/rename-retrying.js';

let dir: string;
let from: string;
let to: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ordo-rename-retrying-'));
  from = join(dir, 'mandat.xml');
  to = join(dir, 'queued.xml');
  writeFileSync(from, '<PES_Aller/>');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The real rename, refused with `code` the first `times` calls (as Windows refuses a held file). */
function heldFor(times: number, code: string) {
  const calls: number[] = [];
  const started = performance.now();
  return {
    calls,
    rename: async (a: string, b: string) => {
      calls.push(performance.now() - started);
      if (calls.length <= times) throw Object.assign(new Error(`${code}: resource busy or locked, rename '${a}'`), { code });
      await rename(a, b);
    },
  };
}

describe('renameRetrying', () => {
  it.each(['EBUSY', 'EPERM', 'EACCES'])('on Windows, waits for a file held a moment (%s) and renames it', async (code) => {
    const held = heldFor(3, code);
    await renameRetrying(from, to, { platform: 'win32', pauseMs: 5, rename: held.rename });
    expect(readFileSync(to, 'utf8')).toBe('<PES_Aller/>');
    expect(existsSync(from)).toBe(false);
    expect(held.calls).toHaveLength(4);
    // Growing pauses: 5, 10, 15 ms. Node's timers count whole milliseconds of libuv's clock, so each
    // may fire up to 1 ms early by a finer clock.
    const pauses = held.calls.slice(1).map((at, index) => at - held.calls[index]!);
    expect(pauses[0]).toBeGreaterThanOrEqual(4);
    expect(pauses[1]).toBeGreaterThanOrEqual(9);
    expect(pauses[2]).toBeGreaterThanOrEqual(14);
  });

  it('gives up after the attempts with the error as it was (the caller reports it as transient)', async () => {
    const held = heldFor(100, 'EBUSY');
    await expect(renameRetrying(from, to, { platform: 'win32', attempts: 4, pauseMs: 1, rename: held.rename })).rejects.toMatchObject({ code: 'EBUSY' });
    expect(held.calls).toHaveLength(4);
    expect(readFileSync(from, 'utf8')).toBe('<PES_Aller/>');
  });

  it('does not wait for errors a pause cannot cure, nor outside Windows', async () => {
    const missing = heldFor(0, 'ENOENT');
    await expect(renameRetrying(join(dir, 'absent.xml'), to, { platform: 'win32', rename: missing.rename })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(missing.calls).toHaveLength(1);

    const linux = heldFor(1, 'EACCES');
    await expect(renameRetrying(from, to, { platform: 'linux', rename: linux.rename })).rejects.toMatchObject({ code: 'EACCES' });
    expect(linux.calls).toHaveLength(1);
  });

  it('renames with the real file system by default', async () => {
    await renameRetrying(from, to);
    expect(readFileSync(to, 'utf8')).toBe('<PES_Aller/>');
  });
});
