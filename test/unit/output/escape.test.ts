// Outside text (names announced by a partner, paths, server words) is escaped wherever ordo prints or
// logs it — control characters, DEL, C1, line separators, bidi controls — and exact in --json.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CycleResult, ScanResult } from '../../../src/core/results.js';
import { openRunLog } from '../../../src/core/runlog.js';
import { redact, registerSecret } from '../../../src/shared/redact.js';
import { escapeControls, setLang, t } from '../../../src/i18n/index.js';
import { renderReport } from '../../../src/output/report.js';
import { Reporter, type OutputStream } from '../../../src/output/reporter.js';

afterEach(() => setLang('en'));

const RAW_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
const TITLE = '\u001b]0;pwned\u0007.xml';
const CLEAR = 'x\u001b[2J.xml';
const FORGED = 'a.xml\n2024-12-03 09:00:00 INFO  PES: forged.xml sent';
const BIDI = 'invoice\u202Efdp.exe';

function stream(): OutputStream & { text: string } {
  const s = { text: '', isTTY: false, write: (chunk: string) => ((s.text += chunk), true) };
  return s;
}

function reporter(json = false) {
  const stdout = stream();
  const stderr = stream();
  const out = new Reporter({ json, quiet: false, verbose: true, stdout, stderr, env: {}, cwd: '/site' });
  return { out, stdout, stderr };
}

function listing(): CycleResult {
  return {
    command: 'retrieve',
    dryRun: false,
    startedAt: '2024-12-03T09:00:00.000Z',
    endedAt: '2024-12-03T09:00:01.000Z',
    files: [
      { scenario: 'PES', direction: 'receive', name: TITLE, status: 'waiting', size: 3 },
      { scenario: 'PES', direction: 'receive', name: CLEAR, status: 'received', size: 3, localPath: `/d/recus/${CLEAR}`, remoteId: FORGED },
      { scenario: 'PES', direction: 'send', name: FORGED, status: 'failed', reason: `refused: ${BIDI}`, localPath: `/d/failed/${FORGED}` },
      { scenario: 'PES', direction: 'send', name: '\u2028\u2066\u007f\u009b', status: 'sent' },
    ],
    problems: [{ scenario: 'PES', message: `cannot read ${TITLE}`, fix: `look at ${CLEAR}` }],
    interrupted: false,
    exitCode: 1,
  };
}

describe('escapeControls', () => {
  it('gives every control, DEL, C1, separator and bidi character a visible form, and keeps the rest', () => {
    expect(escapeControls(TITLE)).toBe('\\x1b]0;pwned\\x07.xml');
    expect(escapeControls('a\nb\r\tc\u0000')).toBe('a\\nb\\r\\tc\\x00');
    expect(escapeControls('\u007f\u0085\u009b')).toBe('\\x7f\\x85\\x9b');
    expect(escapeControls('\u2028\u2029\u202a\u202e\u2066\u2069')).toBe('\\u2028\\u2029\\u202a\\u202e\\u2066\\u2069');
    const plain = 'C:\\taskauto\\état civil — l’œuvre 👍🏽.xml';
    expect(escapeControls(plain)).toBe(plain);
  });
});

describe('t(): parameters escaped, templates kept', () => {
  it('a name cannot drive the terminal or start a line', () => {
    const text = t('output.file.waiting', { scenario: 'PES', name: FORGED });
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toBe('PES: a.xml\\n2024-12-03 09:00:00 INFO  PES: forged.xml sent waiting');
    expect(t('output.file.waiting', { scenario: 'PES', name: BIDI }, 'fr')).toContain('invoice\\u202efdp.exe');

    // A secret holding a control character is still masked once escaped.
    registerSecret('s3cr\u0007t-value');
    const secret = redact(t('output.file.waiting', { scenario: 'PES', name: 'x s3cr\u0007t-value' }));
    expect(secret).toContain('XXXXXXXX');
    expect(secret).not.toContain('s3cr');
  });

});

describe('human output', () => {
  it('names, paths, reasons and problems reach stdout and stderr escaped, one line each', () => {
    const { out, stdout, stderr } = reporter();
    out.cycle(listing());
    expect(stdout.text).not.toMatch(RAW_CONTROL);
    expect(stderr.text).not.toMatch(RAW_CONTROL);
    expect(stdout.text).toContain('\\x1b]0;pwned\\x07.xml');
    expect(stdout.text).toContain(`→ /d/recus/x\\x1b[2J.xml`);
    expect(stderr.text).toContain('/d/failed/a.xml\\n2024-12-03');
    expect(stderr.text).toContain('refused: invoice\\u202efdp.exe');
    expect(stdout.text).toContain('\\u2028\\u2066\\x7f\\x9b');
    // 3 files and the summary; the refused file, the problem and its fix on stderr.
    expect(stdout.text.trimEnd().split('\n')).toHaveLength(4);
    expect(stderr.text.trimEnd().split('\n')).toHaveLength(3);
    expect(stderr.text).toContain('look at x\\x1b[2J.xml');
  });

  it('scan: paths piped one per line and the table, escaped', () => {
    const scan: ScanResult = {
      scenarios: [
        {
          scenario: 'PES',
          source: '/d/export',
          files: [
            { scenario: 'PES', path: `/d/export/${FORGED}`, name: FORGED, size: 1, mtimeMs: Date.parse('2024-12-03T09:00:00.000Z'), ready: true },
            { scenario: 'PES', path: '/d/export/-rf', name: '-rf', size: 1, mtimeMs: Date.parse('2024-12-03T09:00:00.000Z'), ready: true },
          ],
          unreadable: [],
        },
      ],
      problems: [],
      exitCode: 0,
    };
    const piped = reporter();
    piped.out.scan(scan);
    expect(piped.stdout.text).toBe('/d/export/a.xml\\n2024-12-03 09:00:00 INFO  PES: forged.xml sent\n/d/export/-rf\n');
    const table = reporter();
    (table.stdout as { isTTY: boolean }).isTTY = true;
    table.out.scan(scan);
    expect(table.stdout.text).not.toMatch(RAW_CONTROL);
    expect(table.stdout.text).toContain('a.xml\\n2024');
  });

  it('a notice and the support report are escaped too', () => {
    const { out, stderr } = reporter();
    out.notice(`stopping after ${TITLE}`);
    expect(stderr.text).toBe('stopping after \\x1b]0;pwned\\x07.xml\n');
    const report = renderReport({
      version: '0.0.0',
      date: new Date('2024-12-03T09:00:00Z'),
      commandLine: `ordo diagnose ${CLEAR}`,
      result: { checks: [{ id: 'x', status: 'warn', message: `odd ${BIDI}` }], exitCode: 0 },
      lastLog: [`2024-12-03 09:00:00 INFO  got ${TITLE}`],
      lastLogLines: 200,
    });
    expect(report).not.toMatch(RAW_CONTROL);
    expect(report).toContain('got \\x1b]0;pwned\\x07.xml');
  });
});

describe('--json', () => {
  it('keeps every name exact, and the document holds no raw control, separator or bidi character', () => {
    const { out, stdout } = reporter(true);
    out.cycle(listing());
    expect(stdout.text).not.toMatch(RAW_CONTROL);
    const doc = JSON.parse(stdout.text) as CycleResult;
    expect(doc.files.map((f) => f.name)).toEqual([TITLE, CLEAR, FORGED, '\u2028\u2066\u007f\u009b']);
    expect(doc.files[1]?.localPath).toBe(`/d/recus/${CLEAR}`);
  });
});

describe('the run log', () => {
  it('no outside value starts a line; raw lines (a hook’s output) are escaped as well', () => {
    const root = mkdtempSync(join(tmpdir(), 'ordo-runlog-'));
    try {
      const seen: string[] = [];
      const log = openRunLog({ root, write: true, now: () => new Date(2024, 11, 3, 9, 0, 0), onLine: (_level, message) => seen.push(message) });
      log.info('output.file.waiting', { scenario: 'PES', name: FORGED });
      log.raw('info', `  | ${TITLE}\n${CLEAR}`);
      log.close();
      const text = readFileSync(join(root, 'logs', 'last.log'), 'utf8');
      expect(text).not.toMatch(RAW_CONTROL);
      expect(text.trimEnd().split('\n')).toEqual([
        '2024-12-03 09:00:00 INFO  PES: a.xml\\n2024-12-03 09:00:00 INFO  PES: forged.xml sent waiting',
        '2024-12-03 09:00:00 INFO    | \\x1b]0;pwned\\x07.xml\\nx\\x1b[2J.xml',
      ]);
      for (const message of seen) expect(message).not.toMatch(RAW_CONTROL);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
