// The contract again, on a filesystem that refuses hard links (FAT, exFAT, some SMB mounts): `local`
// must then reserve the final name and rename onto it, still never overwriting.
import { link } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { createLocalHarness } from './local-harness.js';
import { defineContractSuite } from './suite.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs/promises')>();
  const link = async (): Promise<void> => {
    throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM', syscall: 'link' });
  };
  return { ...original, default: { ...original, link }, link };
});

defineContractSuite('local (no hard links)', () => createLocalHarness());
defineContractSuite('local (no hard links, afterRetrieve=move)', () =>
  createLocalHarness({ options: { afterRetrieve: 'move:done' } }),
);

describe('the simulated filesystem', () => {
  it('really refuses hard links', async () => {
    await expect(link('a', 'b')).rejects.toMatchObject({ code: 'EPERM' });
  });
});
