// A full local disk while downloading (recus/ on a small tmpfs): the file that does not fit stays at the
// partner, deferred with a message naming the local folder, the bytes needed and free; nothing is kept
// aside as if the partner had failed; the other files still come.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/core/diagnose.js';
import { readJournal } from '../../../src/core/journal.js';
import { retrieve } from '../../../src/core/retrieve.js';
import { workspace, type Workspace } from '../../helpers/workspace.js';
import { mountTmpfs, unmountAll } from '../../helpers/volumes.js';

const MiB = 1024 * 1024;
let ws: Workspace | undefined;
afterEach(async () => {
  await unmountAll();
  ws?.cleanup();
});
afterAll(unmountAll);

describe('retrieving onto a full local disk (local protocol)', () => {
  it('defers the file that does not fit, leaves it at the partner, and retrieves the others', async () => {
    const w = (ws = workspace());
    const recus = mountTmpfs(join(w.root, 'recus', 'VILLE'), 2 * MiB);
    const big = w.write(w.inbox, 'GROS.bin', Buffer.alloc(3 * MiB, 7));
    w.write(w.inbox, 'PETIT.xml', '<petit/>');
    utimesSync(big, 1000, 1000);
    const engine = w.engine();
    const result = await retrieve(engine, { selection: { scenarios: [], profiles: [] }, listOnly: false }).finally(() => engine.close());

    expect(result.files.map((f) => [f.name, f.status])).toEqual([
      ['GROS.bin', 'deferred'],
      ['PETIT.xml', 'received'],
    ]);
    const reason = result.files[0]!.reason ?? '';
    expect(reason).toContain(recus);
    expect(reason).toContain(String(3 * MiB));
    expect(reason).toMatch(/ENOSPC/);
    expect(reason).toMatch(/\d+ bytes free|\d+ octets libres/);
    expect(result.exitCode).toBe(1);
    // Still at the partner, nothing half-written anywhere, nothing "kept aside" as a partner's failure.
    expect(readdirSync(w.inbox)).toEqual(['GROS.bin']);
    expect(readdirSync(recus)).toEqual(['PETIT.xml']);
    expect(existsSync(join(w.root, 'failed'))).toBe(false);
    expect((await readJournal(w.root)).map((e) => e.state)).not.toContain('fetch-failed');
    expect(readFileSync(join(w.root, 'logs', 'last.log'), 'utf8')).toMatch(/ERROR.*GROS\.bin.*ENOSPC/);
    // diagnose blames nobody at the partner: no failed download to ask the partner about.
    const checks = (await diagnose(w.config, { scenarios: [], writeProbe: false, version: '0.0.0-test' })).checks;
    expect(checks.filter((check) => check.id === 'journal.fetchFailed')).toEqual([]);

    // Space freed: the next run fetches it.
    execFileSync('mount', ['-o', 'remount,size=8m', recus]);
    const again = w.engine();
    const second = await retrieve(again, { selection: { scenarios: [], profiles: [] }, listOnly: false }).finally(() => again.close());
    expect(second.files.map((f) => [f.name, f.status])).toEqual([['GROS.bin', 'received']]);
    expect(readdirSync(w.inbox)).toEqual([]);
  });
});
