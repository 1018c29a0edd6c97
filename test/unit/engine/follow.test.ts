// Receipts that come later: the pure parts of the follow-up (which steps a resumed send continues from,
// when a pending send is due), the journal index's open pending sends, and the `receipts` settings.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/config/load.js';
import { receiptsOf } from '../../../src/config/build.js';
import { isDue, pendingSendOf, type OpenPending } from '../../../src/core/follow.js';
import { Journal, type JournalEntry } from '../../../src/core/journal.js';
import { JournalIndex } from '../../../src/core/journal-index.js';
import { ackKey, entryKeys } from '../../../src/core/journal-index-keys.js';
import { diagnosePendings } from '../../../src/core/journal-index-recent.js';
import { stepsOf } from '../../../src/core/send.js';
import { ConfigError } from '../../../src/shared/errors.js';

let root: string;
const opened: JournalIndex[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ordo-follow-'));
});
afterEach(() => {
  for (const index of opened.splice(0)) index.close();
  rmSync(root, { recursive: true, force: true });
});

function line(state: JournalEntry['state'], extra: Partial<JournalEntry> = {}): JournalEntry {
  return { time: '2026-12-01T10:00:00.000Z', run: 'r', scenario: 'PES', direction: 'send', state, file: 'a.xml', path: '/q/PES/1/a.xml', size: 3, sha256: 'abc', ...extra };
}

describe('stepsOf', () => {
  it('merges the steps since the sending line that named the backup, later keys winning', () => {
    const steps = stepsOf([
      line('sending', { backup: '/b/a.xml' }),
      line('step', { step: { id_e: 1, id_d: 'X1', step: 'created' } }),
      line('deferred', { reason: 'réseau' }),
      // A later attempt of the same transmission: not a new start.
      line('sending'),
      line('step', { step: { step: 'uploaded' } }),
    ]);
    expect(steps).toEqual({ id_e: 1, id_d: 'X1', step: 'uploaded' });
  });

  it('has none for a send without steps, and forgets the steps of an earlier transmission', () => {
    expect(stepsOf([line('sending', { backup: '/b' }), line('uncertain')])).toBeUndefined();
    expect(stepsOf([line('step', { step: { id_d: 'OLD' } }), line('sending', { backup: '/b' }), line('step', { step: { id_d: 'NEW' } })])).toEqual({ id_d: 'NEW' });
  });
});

describe('isDue', () => {
  const open = (latest: JournalEntry['state'] = 'pending'): OpenPending => ({ pending: line('pending', { time: '2026-12-01T10:00:00.000Z' }), latest: line(latest) });
  const at = (iso: string) => new Date(iso);

  it('waits receipts.every after the send, then after each question', () => {
    expect(isDue(open(), undefined, 600_000, at('2026-12-01T10:09:59.000Z'))).toBe(false);
    expect(isDue(open(), undefined, 600_000, at('2026-12-01T10:10:00.000Z'))).toBe(true);
    const asked = { asked: '2026-12-01T11:00:00.000Z' };
    expect(isDue(open(), asked, 600_000, at('2026-12-01T11:05:00.000Z'))).toBe(false);
    expect(isDue(open(), asked, 600_000, at('2026-12-01T11:10:00.000Z'))).toBe(true);
  });

  it('never before the partner’s Retry-After runs out; a receipt left half placed is always due', () => {
    const asked = { asked: '2026-12-01T11:00:00.000Z', until: '2026-12-01T13:00:00.000Z' };
    expect(isDue(open(), asked, 600_000, at('2026-12-01T12:00:00.000Z'))).toBe(false);
    expect(isDue(open(), asked, 600_000, at('2026-12-01T13:00:00.000Z'))).toBe(true);
    expect(isDue(open('placing'), { asked: '2026-12-01T11:00:00.000Z' }, 600_000, at('2026-12-01T11:00:01.000Z'))).toBe(true);
  });

  it('gives the protocol the pending line’s facts', () => {
    const pending = pendingSendOf(line('pending', { remoteId: 'X1', follow: { id_e: 1, id_d: 'X1' } }));
    expect(pending).toEqual({ name: 'a.xml', remoteId: 'X1', follow: { id_e: 1, id_d: 'X1' }, since: new Date('2026-12-01T10:00:00.000Z') });
  });
});

describe('the journal index’s open pending sends', () => {
  async function append(journal: Journal, entry: Partial<JournalEntry> & Pick<JournalEntry, 'state' | 'file' | 'path'>): Promise<void> {
    await journal.append({ scenario: 'PES', direction: 'send', size: 3, sha256: `sha-${entry.file}`, ...entry });
  }

  it('lists the pending sends until a line closes them, from the buckets, its own lines and a rebuild alike', async () => {
    const journal = new Journal(root, 'run-1');
    for (const n of [1, 2, 3]) {
      await append(journal, { state: 'sending', file: `f${n}.xml`, path: `/q/${n}/f${n}.xml`, backup: `/b/f${n}.xml` });
      await append(journal, { state: 'pending', file: `f${n}.xml`, path: `/q/${n}/f${n}.xml`, remoteId: `D${n}`, follow: { id_d: `D${n}` } });
    }
    await append(journal, { state: 'sent', file: 'f4.xml', path: '/q/4/f4.xml', remoteId: 'D4' });
    const first = new JournalIndex(root);
    opened.push(first);
    await first.catchUp();
    expect((await first.openPendings('PES')).map((o) => o.pending.remoteId)).toEqual(['D1', 'D2', 'D3']);

    // Written after the catch-up: seen at once by this process's index.
    await append(journal, { state: 'placing', file: 'f1.xml', path: '/q/1/f1.xml', remoteId: 'D1', partial: '/r/.p', wanted: 'f1_ACK.xml', receiptSize: 9, receiptSha256: 'r', verdict: 'acknowledged' });
    await append(journal, { state: 'refused', file: 'f2.xml', path: '/q/2/f2.xml', remoteId: 'D2', reason: 'KO' });
    const seen = await first.openPendings('PES');
    expect(seen.map((o) => [o.pending.remoteId, o.latest.state])).toEqual([['D1', 'placing'], ['D3', 'pending']]);

    await append(journal, { state: 'acknowledged', file: 'f1.xml', path: '/q/1/f1.xml', remoteId: 'D1', receipt: '/r/f1_ACK.xml' });
    await append(journal, { state: 'failed', file: 'f3.xml', path: '/q/3/f3.xml', remoteId: 'D3', reason: 'tdt-error' });
    await journal.close();
    await first.catchUp();
    expect(await first.openPendings('PES')).toEqual([]);
    expect(await first.openPendings('OTHER')).toEqual([]);

    // Rebuilt from the journal alone: the same answer.
    rmSync(join(root, 'journal-index'), { recursive: true, force: true });
    const rebuilt = new JournalIndex(root);
    opened.push(rebuilt);
    await rebuilt.catchUp();
    expect(await rebuilt.openPendings('PES')).toEqual([]);
  });

  it('is what diagnose reads, without writing anything', async () => {
    const journal = new Journal(root, 'run-1');
    await append(journal, { state: 'pending', file: 'f1.xml', path: '/q/1/f1.xml', remoteId: 'D1' });
    const index = new JournalIndex(root);
    opened.push(index);
    await index.catchUp();
    await append(journal, { state: 'pending', file: 'f2.xml', path: '/q/2/f2.xml', remoteId: 'D2' });
    await journal.close();
    const found = await diagnosePendings(root, ['PES'], []);
    expect(found.get('PES')?.map((o) => o.pending.remoteId)).toEqual(['D1', 'D2']);
  });

  it('diagnose without a usable index: from the recent journal lines', async () => {
    const recent = [
      line('pending', { file: 'f1.xml', path: '/q/1/f1.xml', remoteId: 'D1' }),
      line('pending', { file: 'f2.xml', path: '/q/2/f2.xml', remoteId: 'D2' }),
      line('placing', { file: 'f2.xml', path: '/q/2/f2.xml', remoteId: 'D2' }),
      line('pending', { file: 'f3.xml', path: '/q/3/f3.xml', remoteId: 'D3' }),
      line('refused', { file: 'f3.xml', path: '/q/3/f3.xml', remoteId: 'D3' }),
    ];
    const found = await diagnosePendings(root, ['PES'], recent);
    expect(found.get('PES')?.map((o) => [o.pending.remoteId, o.latest.state])).toEqual([['D1', 'pending'], ['D2', 'placing']]);
  });

  it('no longer counts refused content as already sent (duplicates), but still a pending one', () => {
    expect(entryKeys(line('pending'))).toContain(ackKey('PES', 'abc'));
    expect(entryKeys(line('refused', { remoteId: 'D' }))).toContain(ackKey('PES', 'abc'));
    expect(entryKeys(line('failed', { remoteId: 'D' }))).toContain(ackKey('PES', 'abc'));
    // A file set aside in failed/ says nothing of the partner.
    expect(entryKeys(line('failed', { path: '/failed/PES/1/a.xml' }))).not.toContain(ackKey('PES', 'abc'));
    expect(entryKeys(line('step', { step: { id_d: 'X' } }))).not.toContain(ackKey('PES', 'abc'));
  });
});

describe('receipts settings', () => {
  function folder(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'ordo-receipts-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    mkdirSync(join(dir, 'export'), { recursive: true });
    return dir;
  }

  it('reads receipts.every and receipts.warnAfter from JSON and INI; defaults 10m and 48h', async () => {
    const json = folder({
      'ordo.config.json': JSON.stringify({ profiles: { P: {} }, scenarios: { S: { profile: 'P', protocol: 'local', receipts: { every: '5m' } }, T: { profile: 'P', protocol: 'local' } } }),
    });
    const ini = folder({ 'automate.ini': '[general]\n[profile:P]\n[scenario:S]\nprofile=P\nprotocol=local\nreceipts.every=2m\nreceipts.warnAfter=1d\n' });
    try {
      const fromJson = await loadConfigFile(join(json, 'ordo.config.json'), {});
      expect(receiptsOf(fromJson.scenarios.S!)).toEqual({ everyMs: 300_000, warnAfterMs: 48 * 3_600_000 });
      expect(receiptsOf(fromJson.scenarios.T!)).toEqual({ everyMs: 600_000, warnAfterMs: 48 * 3_600_000 });
      const fromIni = await loadConfigFile(join(ini, 'automate.ini'), {});
      expect(receiptsOf(fromIni.scenarios.S!)).toEqual({ everyMs: 120_000, warnAfterMs: 86_400_000 });
    } finally {
      rmSync(json, { recursive: true, force: true });
      rmSync(ini, { recursive: true, force: true });
    }
  });

  it('refuses a receipts duration that is not one, or zero, with the other durations', async () => {
    const dir = folder({
      'ordo.config.json': JSON.stringify({ profiles: { P: {} }, scenarios: { S: { profile: 'P', protocol: 'local', receipts: { every: 'souvent', warnAfter: '0s', after: '1h' } } } }),
    });
    try {
      const error = await loadConfigFile(join(dir, 'ordo.config.json'), {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      const keys = (error as ConfigError).problems.map((p) => p.key).sort();
      expect(keys).toEqual(['scenarios.S.receipts.after', 'scenarios.S.receipts.every', 'scenarios.S.receipts.warnAfter']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
