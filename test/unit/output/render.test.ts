// Human renderers: what each result looks like, line by line, and where each line goes.
import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../../../src/i18n/index.js';
import type { CycleResult, DiagnoseResult, ScanResult } from '../../../src/core/results.js';
import { renderCycle } from '../../../src/output/human/cycle.js';
import { renderScan } from '../../../src/output/human/scan.js';
import { renderDiagnose } from '../../../src/output/human/diagnose.js';
import { displayPath, formatProblem, renderConfigShow } from '../../../src/output/human/config.js';
import { formatSize } from '../../../src/output/human/format.js';

afterEach(() => setLang('en'));

function cycle(overrides: Partial<CycleResult> = {}): CycleResult {
  return {
    command: 'run',
    dryRun: false,
    startedAt: '2024-12-03T09:00:00.000Z',
    endedAt: '2024-12-03T09:00:03.400Z',
    files: [
      { scenario: 'PES', direction: 'send', name: 'mandat.xml', status: 'sent', size: 2048 },
      { scenario: 'PES', direction: 'send', name: 'titre.xml', status: 'failed', reason: 'refused by the partner', localPath: '/d/failed/PES/titre.xml' },
      { scenario: 'PES', direction: 'send', name: 'budget.xml', status: 'deferred', reason: 'connection reset' },
      { scenario: 'PES', direction: 'receive', name: 'ACK.xml', status: 'received', size: 10, localPath: '/d/recus/VILLE/ACK.xml' },
    ],
    problems: [{ scenario: 'TITRES', message: 'Another run holds the lock: process 42 on srv', fix: 'Wait for it.', lockHeld: true }],
    interrupted: false,
    exitCode: 1,
    ...overrides,
  };
}

describe('renderCycle', () => {
  it('one line per file with its mark, a summary, then each problem with its fix', () => {
    const lines = renderCycle(cycle(), { verbose: false });
    expect(lines.map((l) => [l.kind, l.mark ?? '', l.text])).toEqual([
      ['info', '✔', 'PES: mandat.xml sent (2.0 KB)'],
      ['problem', '✖', 'PES: titre.xml refused: refused by the partner (set aside in /d/failed/PES/titre.xml)'],
      ['problem', '⚠', 'PES: budget.xml not sent: connection reset; it stays queued and the next run tries again'],
      ['info', '✔', 'PES: ACK.xml received (10 B) → /d/recus/VILLE/ACK.xml'],
      ['info', '', 'Done: 1 sent, 1 received, 1 deferred, 1 refused in 3.4 s.'],
      ['problem', '✖', 'TITRES: Another run holds the lock: process 42 on srv'],
      ['problem', '', '  → Wait for it.'],
    ]);
  });

  it('a file held back before its claim is said to stay in its source folder, not queued', () => {
    const files = [{ scenario: 'PES', direction: 'send' as const, name: 'budget.xml', status: 'deferred' as const, reason: 'disk full', inSource: true }];
    const text = renderCycle(cycle({ files, problems: [] }), { verbose: false })[0]!.text;
    expect(text).toBe('PES: budget.xml not sent: disk full; it stays in its source folder and the next run tries again');
  });

  it('says so when there was nothing to do, and when it was a dry run', () => {
    const texts = renderCycle(cycle({ files: [], problems: [], dryRun: true }), { verbose: false }).map((l) => l.text);
    expect(texts[0]).toMatch(/^Nothing to do/);
    expect(texts[1]).toMatch(/nothing was changed/);
  });

  it('an interruption is a problem line (stderr)', () => {
    const lines = renderCycle(cycle({ files: [], problems: [], interrupted: true, exitCode: 130 }), { verbose: false });
    expect(lines.some((l) => l.kind === 'problem' && /Interrupted/.test(l.text))).toBe(true);
  });

  it('speaks French, with French plurals (0 and 1 singular)', () => {
    setLang('fr');
    const summary = renderCycle(cycle(), { verbose: false }).find((l) => l.text.startsWith('Terminé'))!;
    expect(summary.text).toBe('Terminé\u00a0: 1 envoyé, 1 reçu, 1 reporté, 1 refusé en 3,4\u00a0s.');
    const two = renderCycle(cycle({ files: [cycle().files[0]!, cycle().files[0]!], problems: [] }), { verbose: false });
    expect(two.at(-1)!.text).toMatch(/^Terminé\u00a0: 2 envoyés en/);
  });
});

describe('renderScan', () => {
  const result: ScanResult = {
    scenarios: [
      {
        scenario: 'PES',
        source: '/export',
        unreadable: ['/export/locked'],
        files: [
          { scenario: 'PES', path: '/export/a.xml', name: 'a.xml', size: 10, mtimeMs: Date.parse('2024-12-03T09:00:00.000Z'), ready: true },
          { scenario: 'PES', path: '/export/b.xml', name: 'b.xml', size: 10, mtimeMs: Date.parse('2024-12-03T09:00:00.000Z'), ready: false, why: 'still changing' },
        ],
      },
    ],
    problems: [],
    exitCode: 0,
  };

  it('piped: exactly the ready paths, one a line (data, so -q keeps them); unreadable folders on stderr', () => {
    const lines = renderScan(result, { table: false });
    expect(lines.filter((l) => l.kind === 'data').map((l) => l.text)).toEqual(['/export/a.xml']);
    expect(lines.filter((l) => l.kind === 'problem').map((l) => l.text)).toEqual([expect.stringContaining('/export/locked')]);
  });

  it('on a terminal: a table per scenario with the files that are not ready and why', () => {
    const texts = renderScan(result, { table: true }).map((l) => l.text);
    expect(texts[0]).toBe('PES — /export');
    expect(texts[2]).toMatch(/^b\.xml +10 B +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +not ready yet: still changing$/);
    expect(texts).toContain('Ready to send: 1 (scenarios looked at: 1).');
  });
});

describe('renderDiagnose', () => {
  it('✔/⚠/✖ with scope and fix, failures as failure lines, and a summary', () => {
    const result: DiagnoseResult = {
      checks: [
        { id: 'config', status: 'ok', message: 'Configuration valid' },
        { id: 'locks', status: 'warn', message: 'Lock held', fix: 'Wait.' },
        { id: 'local.target', scope: 'PES', status: 'fail', message: 'target missing', fix: 'Create it.' },
      ],
      exitCode: 6,
    };
    expect(renderDiagnose(result).map((l) => [l.kind, l.mark ?? '', l.text])).toEqual([
      ['info', '✔', 'Configuration valid'],
      ['info', '⚠', 'Lock held'],
      ['info', '', '  → Wait.'],
      ['failure', '✖', '[PES] target missing'],
      ['failure', '', '  → Create it.'],
      ['info', '', 'Checks: 3 (✔ 1, ⚠ 1, ✖ 1)'],
    ]);
  });
});

describe('configuration problems and config show', () => {
  it('file:line [section] key: message — fix, the key as written in its section', () => {
    expect(
      formatProblem(
        { file: '/site/automate.ini', line: 14, section: 'scenario:MANDATS', key: 'scenarios.MANDATS.backup.ifExists', message: 'not accepted', fix: 'overwrite | rename | keep | fail' },
        '/site',
      ),
    ).toBe('automate.ini:14 [scenario:MANDATS] backup.ifExists: not accepted — overwrite | rename | keep | fail');
    expect(formatProblem({ file: '/etc/ordo/ordo.config.json', key: 'root', message: 'missing' }, '/site')).toBe('/etc/ordo/ordo.config.json root: missing');
    expect(formatProblem({ file: '/site/ordo.config.json', line: 3, key: '', message: 'not JSON' }, '/site')).toBe('ordo.config.json:3: not JSON');
  });

  it('paths are shown relative to the current folder only when inside it', () => {
    expect(displayPath('/site/conf/a.ini', '/site')).toBe('conf/a.ini');
    expect(displayPath('/other/a.ini', '/site')).toBe('/other/a.ini');
  });

  it('config show is YAML-like, Windows paths readable', () => {
    const text = renderConfigShow({ root: 'C:\\taskauto', watch: { interval: '1m' }, filter: ['*.xml', 'mandat*'], options: {}, enabled: true, label: 'yes' })
      .map((l) => l.text)
      .join('\n');
    expect(text).toBe(["root: 'C:\\taskauto'", 'watch:', '  interval: 1m', "filter: ['*.xml', 'mandat*']", 'options: {}', 'enabled: true', "label: 'yes'"].join('\n'));
  });
});

describe('formatSize', () => {
  it('uses the unit and decimal mark of the language', () => {
    expect(formatSize(1536)).toBe('1.5 KB');
    setLang('fr');
    expect(formatSize(1536)).toBe('1,5\u00a0Kio');
  });
});
