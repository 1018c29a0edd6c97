// The report's page and its data, without a browser: every value escaped (hostile names, bidi
// overrides), secrets masked wherever they would appear, an empty spool shown as such, and the journal
// read for the window's months only.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrdoConfig, ScenarioConfig } from '../../src/config/model.js';
import { localDay, reportData, type ReportData } from '../../src/core/report-data.js';
import type { DiagnoseResult } from '../../src/core/results.js';
import { setLang } from '../../src/i18n/index.js';
import { renderReportHtml } from '../../src/output/html/report-html.js';
import { registerSecret } from '../../src/shared/redact.js';

const HOSTILE = '<script>alert(1)</script> & x\u202Elmx.xml';
const SECRET = 'Pa55-w0rd-of-the-partner';
const NO_CHECKS: DiagnoseResult = { checks: [], exitCode: 0 };

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ordo-report-'));
});
afterEach(() => {
  setLang('en');
  rmSync(root, { recursive: true, force: true });
});

function config(): OrdoConfig {
  return { root, file: join(root, 'ordo.config.json') } as OrdoConfig;
}
function scenario(name: string): ScenarioConfig {
  return { name, profile: 'VILLE', protocol: 'local', enabled: true } as ScenarioConfig;
}

function journal(lines: Array<Record<string, unknown>>, month: string): void {
  mkdirSync(join(root, 'journal'), { recursive: true });
  writeFileSync(join(root, 'journal', `${month}.jsonl`), lines.map((l) => `${JSON.stringify({ run: 'r1', direction: 'send', ...l })}\n`).join(''));
}

function monthOf(date: Date): string {
  return `${date.getFullYear()}${String(date.getMonth() + 1).padStart(2, '0')}`;
}

function dataWith(overrides: Partial<ReportData['scenarios'][number]>, diagnose: DiagnoseResult = NO_CHECKS): ReportData {
  const day = localDay(new Date());
  return {
    generatedAt: new Date().toISOString(),
    days: 1,
    since: new Date().toISOString(),
    configFile: '/site/ordo.config.json',
    diagnose,
    scenarios: [
      {
        scenario: 'PES',
        profile: 'VILLE',
        protocol: 'local',
        days: [{ day, sent: 1, received: 0, failed: 1, awaiting: 0 }],
        totals: { sent: 1, received: 0, failed: 1, awaiting: 0 },
        awaitingBefore: 0,
        failed: [],
        failedMore: 0,
        ...overrides,
      },
    ],
  };
}

describe('report page', () => {
  it('escapes every name: no markup, no raw bidi override, in text and in attributes', () => {
    const html = renderReportHtml({
      version: '0.1.0',
      data: dataWith(
        {
          scenario: `P"E'S<b>`,
          lastSuccess: { time: new Date().toISOString(), file: HOSTILE, direction: 'send' },
          failed: [{ scenario: 'PES', file: HOSTILE, path: `/spool/failed/PES/1/${HOSTILE}`, since: new Date().toISOString(), status: 'failed', reason: `refused: ${HOSTILE}`, fix: '<img src=x onerror=alert(2)>' }],
        },
        { checks: [{ id: 'x', status: 'fail', scope: '<i>', message: HOSTILE, fix: 'a & b' }], exitCode: 6 },
      ),
    });
    expect(html).not.toMatch(/<script|<img|<b>|<i>/i);
    expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; x\\u202elmx.xml');
    expect(html).toContain('data-scenario="P&quot;E&#39;S&lt;b&gt;"');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('a &amp; b');
  });

  it('masks a secret wherever it would appear', () => {
    registerSecret(SECRET);
    const html = renderReportHtml({
      version: '0.1.0',
      data: {
        ...dataWith(
          {
            failed: [{ scenario: 'PES', file: `${SECRET}.xml`, path: `/f/${SECRET}.xml`, since: new Date().toISOString(), status: 'failed', reason: `the server said: bad password ${SECRET}`, resendCommand: `ordo send ${SECRET}` }],
            lastSuccess: { time: new Date().toISOString(), file: `${SECRET}.xml`, direction: 'receive' },
          },
          { checks: [{ id: 'x', status: 'warn', message: `https://ville:${SECRET}@partner.example/`, fix: `sftp://u:other-pw@host/` }], exitCode: 0 },
        ),
        configFile: `/site/${SECRET}/ordo.config.json`,
      },
    });
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain('other-pw');
    expect(html).toContain('XXXXXXXX');
  });

  it('shows an empty spool as such, in French with its typography', async () => {
    setLang('fr');
    const data = await reportData(config(), [scenario('PES')], NO_CHECKS, { days: 30 });
    expect(data.scenarios[0]?.totals).toEqual({ sent: 0, received: 0, failed: 0, awaiting: 0 });
    expect(data.scenarios[0]?.days).toHaveLength(30);
    expect(data.scenarios[0]?.days.at(-1)?.day).toBe(localDay(new Date()));
    const html = renderReportHtml({ data, version: '0.1.0' });
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(`content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:"`);
    expect(html).toContain('Rien dans failed/.');
    expect(html).toContain('Aucun transfert réussi enregistré pour l’instant.');
    expect(html).toContain('Période\u00a0: les 30 derniers jours');
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(/i);
  });
});

describe('report data', () => {
  it('counts the window’s days only, and never opens the months before it', async () => {
    const now = new Date();
    const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1, 12);
    const old = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 40, 12);
    const lines = [
      { time: old.toISOString(), scenario: 'PES', state: 'sent', file: 'old.xml', path: '/q/0/old.xml' },
      { time: yesterday.toISOString(), scenario: 'PES', state: 'sent', file: 'a.xml', path: '/q/1/a.xml' },
      { time: yesterday.toISOString(), scenario: 'PES', state: 'pending', file: 'b.xml', path: '/q/2/b.xml' },
      { time: yesterday.toISOString(), scenario: 'PES', state: 'failed', file: 'c.xml', path: '/q/3/c.xml' },
      { time: now.toISOString(), scenario: 'PES', direction: 'receive', state: 'received', file: 'r.txt' },
      { time: now.toISOString(), scenario: 'OTHER', state: 'sent', file: 'o.xml', path: '/q/4/o.xml' },
    ];
    for (const month of new Set(lines.map((l) => monthOf(new Date(l.time))))) journal(lines.filter((l) => monthOf(new Date(l.time)) === month), month);
    // A month long before the window that cannot even be opened: reading it would fail the report.
    mkdirSync(join(root, 'journal', '200001.jsonl'));
    const data = await reportData(config(), [scenario('PES')], NO_CHECKS, { days: 7, now });
    const pes = data.scenarios[0];
    expect(pes?.totals).toEqual({ sent: 2, received: 1, failed: 1, awaiting: 1 });
    expect(pes?.days.find((d) => d.day === localDay(yesterday))).toEqual({ day: localDay(yesterday), sent: 2, received: 0, failed: 1, awaiting: 1 });
    expect(pes?.lastSuccess).toEqual({ time: now.toISOString(), file: 'r.txt', direction: 'receive' });
  });
});
