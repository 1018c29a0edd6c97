// A download is flushed to disk while it arrives (every 64 MiB written), so that the flush before the file
// is reported received has little left; the file's handle, Node's own, is observed.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackgroundFlush } from '../../../src/protocols/common/background-flush.js';
import { writeBodyToFile } from '../../../src/protocols/web/body-to-file.js';
import { TransferError } from '../../../src/protocols/contract.js';

const MiB = 1024 * 1024;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ordo-background-flush-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('BackgroundFlush', () => {
  it('flushes once per 64 MiB written, never two at once, and everything at the end', async () => {
    const handle = await open(join(dir, 'file'), 'w');
    const datasync = vi.spyOn(handle, 'datasync');
    const sync = vi.spyOn(handle, 'sync');
    const flush = new BackgroundFlush(handle);
    flush.progress(63 * MiB);
    expect(datasync).not.toHaveBeenCalled();
    flush.progress(64 * MiB);
    flush.progress(129 * MiB); // the first one still runs: no second flush on top of it
    expect(datasync).toHaveBeenCalledTimes(1);
    await flush.finish();
    flush.progress(129 * MiB);
    expect(datasync).toHaveBeenCalledTimes(2);
    await flush.finish();
    expect(sync).toHaveBeenCalledTimes(2);
    await flush.close();
    await expect(handle.stat()).rejects.toMatchObject({ code: 'EBADF' });
  });
});

describe('an HTTP body written to a file', () => {
  it('is flushed while it arrives, and whole when the promise resolves', async () => {
    // The handle is opened inside: every FileHandle's datasync is observed.
    const probe = await open(join(dir, 'probe'), 'w');
    const fileHandles = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const datasync = vi.spyOn(fileHandles, 'datasync');
    const chunk = Buffer.alloc(MiB, 7);
    const body = Readable.from((function* () {
      for (let i = 0; i < 140; i += 1) yield chunk;
    })());
    const dest = join(dir, 'download');
    const written = await writeBodyToFile(body, dest, { sha256: true }, { interrupted: (error) => new TransferError('transient', 'protocol.http.interrupted', {}, { cause: error }) });
    expect(written.bytes).toBe(140 * MiB);
    // Hashed as it arrived: the digest of what the file holds.
    expect(written.sha256).toBe(createHash('sha256').update(readFileSync(dest)).digest('hex'));
    expect(datasync.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(readFileSync(dest).length).toBe(140 * MiB);
  });
});
