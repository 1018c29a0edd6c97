// The contract again, on a filesystem that refuses hard links (FAT, exFAT, some SMB mounts): `local`
// must then reserve the final name and rename onto it, still never overwriting.
import { link } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { createLocalHarness } from './local-harness.js';
import { defineContractSuite, unable } from './suite.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs/promises')>();
  const link = (): Promise<void> => Promise.reject(Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM', syscall: 'link' }));
  return { ...original, default: { ...original, link }, link };
});

const NO_CUT = unable('the local peer is a folder of this machine: there is no transfer for it to cut half-way');
defineContractSuite('local (no hard links)', () => createLocalHarness(), { faults: NO_CUT, unfetchableEntries: true });
defineContractSuite('local (no hard links, afterRetrieve=move)', () =>
  createLocalHarness({ options: { afterRetrieve: 'move:done' } }),
  { faults: NO_CUT, unfetchableEntries: true },
);

describe('the simulated filesystem', () => {
  it('really refuses hard links', async () => {
    await expect(link('a', 'b')).rejects.toMatchObject({ code: 'EPERM' });
  });
});
