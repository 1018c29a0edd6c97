// What an HTTP upload does with a file that is not the size the engine recorded (it grew or shrank
// since): the upload is refused as the file's problem, and the partner keeps nothing — as a raw body
// and as the file part of a form, for a small file and for one several reads long.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/protocols/registry.js';
import { MiB, sendItem } from './files.js';
import { createHttpHarness, startHttpTestPeer, type HttpPeer } from './http-harness.js';
import { expectTransferError } from './suite.js';

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
