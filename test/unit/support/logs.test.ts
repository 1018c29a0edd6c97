// ordo logs: show the last run or a day; purge day logs by the date in their name, never last.log.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode, OrdoError, UsageError } from '../../../src/shared/errors.js';
import { parseDay, purgeLogs, showLog, tailLastLog } from '../../../src/core/logs.js';

let root: string;
let logs: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ordo-logs-'));
  logs = join(root, 'logs');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(name: string, text = `${name}\n`): void {
  mkdirSync(logs, { recursive: true });
  writeFileSync(join(logs, name), text);
}

describe('showLog', () => {
  it('shows last.log, or the day asked for', async () => {
    write('last.log', 'last run\n');
    write('20241203.log', 'that day\n');
    expect(await showLog({ root }, {})).toEqual({ file: join(logs, 'last.log'), text: 'last run\n' });
    expect(await showLog({ root }, { date: '20241203' })).toMatchObject({ date: '20241203', text: 'that day\n' });
  });

  it('no log yet: an error with a fix (exit 1)', async () => {
    const error = await showLog({ root }, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrdoError);
    expect((error as OrdoError).exitCode).toBe(ExitCode.partial);
    expect((error as OrdoError).fix()).toMatch(/ordo run/);
  });

  it('a missing day lists the days there are', async () => {
    write('20241201.log');
    write('20241202.log');
    const error = (await showLog({ root }, { date: '20241203' }).catch((e: unknown) => e)) as OrdoError;
    expect(error.fix()).toContain('20241201, 20241202');
  });

  it('a date that is not AAAAMMJJ is a usage error', async () => {
    for (const date of ['2024-12-03', '20241301', '20240230', 'hier']) {
      await expect(showLog({ root }, { date })).rejects.toBeInstanceOf(UsageError);
    }
  });
});

describe('purgeLogs', () => {
  const now = new Date(2024, 11, 31, 12, 0, 0);
  const days30 = 30 * 86_400_000;

  it('removes the day logs whose whole day is older than the limit, never last.log nor other files', async () => {
    for (const name of ['20241120.log', '20241130.log', '20241201.log', '20241231.log', 'last.log', 'notes.txt', '20241399.log']) write(name);
    const result = await purgeLogs({ root }, { olderThanMs: days30, dryRun: false, now });
    expect(result.removed.map((r) => r.date)).toEqual(['20241120', '20241130']);
    expect(result.kept).toBe(2);
    expect(readdirSync(logs).sort()).toEqual(['20241201.log', '20241231.log', '20241399.log', 'last.log', 'notes.txt']);
    expect(result.exitCode).toBe(0);
  });

  it('--dry-run says what would go and removes nothing', async () => {
    write('20240101.log');
    const result = await purgeLogs({ root }, { olderThanMs: days30, dryRun: true, now });
    expect(result.removed.map((r) => r.date)).toEqual(['20240101']);
    expect(existsSync(join(logs, '20240101.log'))).toBe(true);
  });

  it('no logs folder: nothing to do', async () => {
    expect((await purgeLogs({ root }, { olderThanMs: days30, dryRun: false, now })).removed).toEqual([]);
  });
});

describe('tailLastLog and parseDay', () => {
  it('the last lines of last.log', async () => {
    write('last.log', Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n') + '\n');
    const tail = await tailLastLog({ root }, 200);
    expect(tail).toHaveLength(200);
    expect(tail?.[0]).toBe('line 100');
    expect(tail?.at(-1)).toBe('line 299');
  });

  it('real calendar dates only', () => {
    expect(parseDay('20240229')?.getDate()).toBe(29);
    expect(parseDay('20230229')).toBeUndefined();
  });
});
