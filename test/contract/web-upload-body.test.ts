// What an HTTP upload does with a file that is not the size the engine recorded (it grew or shrank
// since, or while it was being sent): the upload is refused as the file's problem, and the partner keeps
// nothing — as a raw body and as the file part of a form, for a small file and for one several reads
// long. And a file read into reused buffers arrives byte for byte, however many times they are reused;
// a small one, read whole before the request, too.
import { randomBytes } from 'node:crypto';
import { appendFileSync, readdirSync, readlinkSync, truncateSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/protocols/registry.js';
import { freePort } from '../../fixtures/peers/sftp/server-tools.mjs';
import { MiB, sendItem, sha256 } from './files.js';
import { createHttpHarness, startHttpTestPeer, type HttpPeer } from './http-harness.js';
import { expectTransferError } from './suite.js';
import { READ_WHOLE_MAX } from '../../src/protocols/common/whole-source.js';

const TOKEN = 'bearer-token-0123456789';

let scratch: string;
let peers: Record<'raw' | 'multipart', HttpPeer>;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ordo-web-upload-body-'));
  peers = {
    raw: await startHttpTestPeer({ body: 'raw', method: 'PUT', auth: { type: 'bearer', token: TOKEN } }),
    multipart: await startHttpTestPeer(),
  };
});
afterAll(async () => {
  await peers.raw.close();
  await peers.multipart.close();
  await rm(scratch, { recursive: true, force: true });
});

const harness = (body: 'raw' | 'multipart') =>
  createHttpHarness(peers[body], body === 'raw' ? { profile: { auth: { token: TOKEN }, body: 'raw', method: 'PUT' } } : {});

describe.each(['raw', 'multipart'] as const)('an http upload (%s body) of a file that changed size', (body) => {
  for (const size of [1000, 3 * MiB + 17]) {
    it(`${size} bytes recorded, more on disk: refused, nothing received`, async () => {
      const h = harness(body);
      const item = await sendItem(scratch, `grew-${body}-${size}.bin`, Buffer.alloc(size + 5, 7));
      const session = await h.open();
      try {
        const error = await session.send!({ ...item, size }).then(() => undefined, (failure: unknown) => failure);
        expect(expectTransferError(error, 'permanent').key).toBe('protocol.common.sourceChanged');
        expect(expectTransferError(error, 'permanent').params).toMatchObject({ expected: size, actual: size + 5 });
      } finally {
        await session.close();
      }
      expect(peers[body].endpoint.deposits).toEqual([]);
    });

    it(`${size} bytes recorded, fewer on disk: refused, nothing received`, async () => {
      const h = harness(body);
      const item = await sendItem(scratch, `shrank-${body}-${size}.bin`, Buffer.alloc(size, 7));
      const session = await h.open();
      try {
        const error = await session.send!({ ...item, size: size + 5 }).then(() => undefined, (failure: unknown) => failure);
        expect(expectTransferError(error, 'permanent').key).toBe('protocol.common.sourceChanged');
      } finally {
        await session.close();
      }
      expect(peers[body].endpoint.deposits).toEqual([]);
    });
  }
});

/** Several reads long: the change comes while most of the file is still to be read. */
const SIZE = 6 * MiB + 3;

describe.each(['raw', 'multipart'] as const)('an http upload (%s body) read into reused buffers', (body) => {
  it('a file eleven reads long, every byte random, arrives byte for byte', async () => {
    const h = harness(body);
    const data = randomBytes(11 * MiB + 17);
    const session = await h.open();
    try {
      await session.send!(await sendItem(scratch, `random-${body}.bin`, data));
    } finally {
      await session.close();
    }
    const [deposit] = peers[body].endpoint.deposits;
    expect(sha256(await readFile(deposit!.path))).toBe(sha256(data));
  });

  /** A file of SIZE bytes sent with `change` made to it at the first progress report: the send's error, and the file. */
  const sendChangedMidway = async (label: string, change: (path: string) => void) => {
    const h = harness(body);
    const item = await sendItem(scratch, `${label}-${body}.bin`, Buffer.alloc(SIZE, 4));
    const session = await h.open();
    try {
      const onProgress = once(() => change(item.path));
      return { item, error: await session.send!(item, { onProgress }).then(() => undefined, (failure: unknown) => failure) };
    } finally {
      await session.close();
    }
  };

  it('a file that grows while it is being sent: refused, nothing received', async () => {
    const { item, error } = await sendChangedMidway('growing', (path) => appendFileSync(path, Buffer.alloc(2 * MiB, 5)));
    expect(expectTransferError(error, 'permanent').key).toBe('protocol.common.sourceChanged');
    expect(expectTransferError(error, 'permanent').params).toMatchObject({ expected: SIZE });
    expect(peers[body].endpoint.deposits).toEqual([]);
    expect(openDescriptorsOf(item.path)).toBe(0);
  });

  it('a file that shrinks while it is being sent: refused, nothing received', async () => {
    const { item, error } = await sendChangedMidway('shrinking', (path) => truncateSync(path, 3 * MiB));
    expect(expectTransferError(error, 'permanent').key).toBe('protocol.common.sourceChanged');
    expect(expectTransferError(error, 'permanent').params).toMatchObject({ expected: SIZE, actual: 3 * MiB });
    expect(peers[body].endpoint.deposits).toEqual([]);
    expect(openDescriptorsOf(item.path)).toBe(0);
  });

  it('a request that never reaches the partner closes the file it had opened', async () => {
    const closedPort = await freePort();
    const url = `http://127.0.0.1:${closedPort}/depot/{name}`;
    const h = createHttpHarness(peers[body], { profile: { urls: { electionsFR: url }, ...(body === 'raw' ? { auth: { token: TOKEN }, body: 'raw', method: 'PUT' } : {}) } });
    const item = await sendItem(scratch, `unsent-${body}.bin`, Buffer.alloc(2 * MiB, 6));
    const session = await h.open();
    try {
      expectTransferError(await session.send!(item).then(() => undefined, (failure: unknown) => failure), 'transient');
    } finally {
      await session.close();
    }
    expect(openDescriptorsOf(item.path)).toBe(0);
  });
});

describe.each(['raw', 'multipart'] as const)('an http upload (%s body) of a small file, read whole before the request', (body) => {
  // At, below and above the size up to which a file is read whole instead of streamed.
  for (const size of [0, 1, 4096, READ_WHOLE_MAX - 1, READ_WHOLE_MAX, READ_WHOLE_MAX + 1]) {
    it(`${size} bytes arrive byte for byte, the file closed after`, async () => {
      const h = harness(body);
      const data = randomBytes(size);
      const item = await sendItem(scratch, `small-${body}-${size}.bin`, data);
      const progress: number[] = [];
      const session = await h.open();
      try {
        await session.send!(item, { onProgress: (bytes) => progress.push(bytes) });
      } finally {
        await session.close();
      }
      const deposit = peers[body].endpoint.deposits.find((d) => d.name === item.name);
      expect(sha256(await readFile(deposit!.path))).toBe(sha256(data));
      expect(progress.at(-1)).toBe(size);
      expect(openDescriptorsOf(item.path)).toBe(0);
    });
  }

  it('a small file gone from the queue: refused as missing, nothing received', async () => {
    const h = harness(body);
    const item = await sendItem(scratch, `gone-${body}.bin`, Buffer.alloc(100, 1));
    await rm(item.path);
    const before = peers[body].endpoint.deposits.length;
    const session = await h.open();
    try {
      const error = await session.send!(item).then(() => undefined, (failure: unknown) => failure);
      expect(expectTransferError(error, 'permanent').key).toBe('protocol.local.sourceMissing');
    } finally {
      await session.close();
    }
    expect(peers[body].endpoint.deposits.length).toBe(before);
  });
});

function once(action: () => void): (bytes: number) => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}

/** How many of this process's descriptors are open on `path` (Linux's /proc). */
function openDescriptorsOf(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;
}
