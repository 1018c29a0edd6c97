import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listFailedItems, setAsideItemDir } from '../../../src/core/failed-items.js';
import { getLang, setLang } from '../../../src/i18n/index.js';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function spool(): { root: string; file: string; failed: string } {
  dir = mkdtempSync(join(tmpdir(), 'ordo-failed-'));
  const root = join(dir, 'data');
  const failed = join(root, 'failed', 'PES');
  mkdirSync(failed, { recursive: true });
  return { root, file: join(dir, 'ordo.config.json'), failed };
}

describe('listing failed/', () => {
  it('lists refused files, duplicates and incomplete downloads, oldest first, and skips what is no item', async () => {
    const config = spool();
    const put = (id: string, name: string, files: Record<string, string>) => {
      mkdirSync(join(config.failed, id));
      writeFileSync(join(config.failed, id, name), 'x');
      for (const [n, text] of Object.entries(files)) writeFileSync(join(config.failed, id, n), text);
    };
    put('20241203080000-aaaaaa', 'dup.xml', { '.ordo-failed.json': JSON.stringify({ status: 'duplicate', reasons: { en: 'same content', fr: 'même contenu' }, fixes: { en: 'check it', fr: 'vérifiez-le' }, time: '2024-12-03T08:00:00.000Z' }) });
    put('20241201080000-bbbbbb', 'old.xml', { 'old.xml.reason.txt': 'refused by an older version\nits fix\n' });
    utimesSync(join(config.failed, '20241201080000-bbbbbb', 'old.xml.reason.txt'), new Date('2024-12-01T08:00:00Z'), new Date('2024-12-01T08:00:00Z'));
    put('20241204080000-cccccc', 'in.txt.incomplete', { 'in.txt.incomplete.reason.txt': 'cut at 12 bytes' });
    // Only a reason file left (its file was sent again by hand): no item.
    mkdirSync(join(config.failed, '20241205080000-dddddd'));
    writeFileSync(join(config.failed, '20241205080000-dddddd', 'gone.xml.reason.txt'), 'x');

    const items = await listFailedItems(config, ['PES', 'OTHER']);
    expect(items.map((i) => [i.file, i.status, i.reason, i.since])).toEqual([
      ['old.xml', 'unknown', 'refused by an older version', '2024-12-01T08:00:00.000Z'],
      ['dup.xml', 'duplicate', 'same content', '2024-12-03T08:00:00.000Z'],
      ['in.txt.incomplete', 'incomplete', 'cut at 12 bytes', expect.any(String)],
    ]);
    expect(items[1]?.resendCommand).toBe(`ordo send --config ${config.file} --scenario PES --force ${join(config.failed, '20241203080000-aaaaaa', 'dup.xml')}`);
    expect(items[2]?.resendCommand).toBeUndefined();
    expect(items[1]?.fix).toBe('check it');
  });

  it('reads the reason and the fix in the reader’s language, whatever the language of the run that set the file aside', async () => {
    const config = spool();
    mkdirSync(join(config.failed, '20241203080000-aaaaaa'));
    writeFileSync(join(config.failed, '20241203080000-aaaaaa', 'a.xml'), 'x');
    writeFileSync(join(config.failed, '20241203080000-aaaaaa', '.ordo-failed.json'), JSON.stringify({ status: 'failed', reasons: { en: 'refused', fr: 'refusé' }, fixes: { en: 'call them', fr: 'appelez-les' }, time: '2024-12-03T08:00:00.000Z' }));
    const saved = getLang();
    try {
      setLang('fr');
      expect((await listFailedItems(config, ['PES'])).map((i) => [i.reason, i.fix])).toEqual([['refusé', 'appelez-les']]);
      setLang('en');
      expect((await listFailedItems(config, ['PES'])).map((i) => [i.reason, i.fix])).toEqual([['refused', 'call them']]);
    } finally {
      setLang(saved);
    }
  });

  it('recognises a file given back from the scenario’s own failed/ folder, and only that', () => {
    const { root, failed } = spool();
    expect(setAsideItemDir(root, 'PES', join(failed, '20241203080000-aaaaaa', 'a.xml'))).toBe(join(failed, '20241203080000-aaaaaa'));
    expect(setAsideItemDir(root, 'OTHER', join(failed, '20241203080000-aaaaaa', 'a.xml'))).toBeUndefined();
    expect(setAsideItemDir(root, 'PES', join(failed, 'a.xml'))).toBeUndefined();
    expect(setAsideItemDir(root, 'PES', join(root, 'export', 'x', 'a.xml'))).toBeUndefined();
  });
});
