// `ordo report` opened in a real headless browser (Debian's chromium, installed by .ci/run): the page
// of a spool made by real cycles renders without a console error or a page error, loads nothing but
// itself, and shows that spool's figures — read from the DOM, as a support agent would read them.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordo, site, type Site } from '../helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const HOSTILE = '<script>alert(1)<script> & x\u202Elmx.xml';

let browser: Browser | undefined = undefined;
let s: Site | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does it) to run the report's browser test`);
  }
  // launch() gives the browser a fresh profile of its own, removed when it closes.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  s?.cleanup();
});

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

describe('ordo report in a browser', () => {
  it('renders the figures of a spool made by real cycles, without any error, loading nothing', async () => {
    const spool = site();
    s = spool;
    // First cycle: two files sent, one received, one refused by the partner (a file of that name is
    // already there) and set aside in failed/ with its reason.
    writeFileSync(join(spool.source, 'mandat-1.xml'), 'one');
    writeFileSync(join(spool.source, 'mandat-2.xml'), 'two');
    writeFileSync(join(spool.source, 'clash.xml'), 'mine');
    writeFileSync(join(spool.target, 'clash.xml'), 'theirs');
    writeFileSync(join(spool.inbox, 'retour.txt'), 'ack');
    expect(ordo(['run'], { cwd: spool.dir }).code).toBe(1);
    // Second cycle: one more sent, and a refused file with a hostile name.
    writeFileSync(join(spool.source, 'mandat-3.xml'), 'three');
    writeFileSync(join(spool.source, HOSTILE), 'x');
    writeFileSync(join(spool.target, HOSTILE), 'y');
    expect(ordo(['run'], { cwd: spool.dir }).code).toBe(1);

    const r = ordo(['report', '--days', '7', '--output', 'report.html', '--lang', 'en'], { cwd: spool.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = join(spool.dir, 'report.html');
    expect(r.stdout).toContain(file);

    if (browser === undefined) throw new Error('the browser did not start');
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('request', (request) => requests.push(request.url()));
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });

    const day = today();
    const section = page.locator('section.scenario[data-scenario="PES"]');
    const counts = ['sent', 'received', 'failed', 'awaiting'];
    const rows = section.locator('.failed-item');
    const failed = [];
    for (const row of await rows.all()) {
      failed.push({
        file: await row.getAttribute('data-file'),
        shown: await row.locator('.file').textContent(),
        reason: await row.locator('.reason').textContent(),
        fix: await row.locator('.fix').textContent(),
      });
    }
    const figures = {
      title: await page.title(),
      lang: await page.locator('html').getAttribute('lang'),
      scripts: await page.locator('script').count(),
      totals: await Promise.all(counts.map((c) => section.locator(`[data-total="${c}"]`).textContent())),
      today: await Promise.all(counts.map((c) => section.locator(`tr[data-day="${day}"] [data-count="${c}"]`).textContent())),
      days: await section.locator('.days tr[data-day]').count(),
      bars: await section.locator('svg.chart g[data-day]').count(),
      todayBar: await section.locator(`svg.chart g[data-day="${day}"] title`).textContent(),
      failed,
      lastSuccess: await section.locator('.last-success').textContent(),
      checks: await page.locator('#diagnose tr.check').count(),
      summary: await page.locator('#diagnose-summary').textContent(),
    };
    await page.close();

    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(figures.title).toBe('ordo — activity report');
    expect(figures.lang).toBe('en');
    expect(figures.scripts).toBe(0);
    expect(figures.totals).toEqual(['3', '1', '2', '0']);
    expect(figures.today).toEqual(['3', '1', '2', '0']);
    expect(figures.days).toBe(7);
    expect(figures.bars).toBe(7);
    expect(figures.todayBar).toBe(`${today()}: 3 sent, 1 received, 2 failed, 0 awaiting a receipt`);
    expect(figures.lastSuccess).toMatch(/^Last success: (mandat-3\.xml sent|retour\.txt received) on \d{4}-\d\d-\d\d /);
    // Newest first; the hostile name is shown as text, its bidi override made visible.
    const shownHostile = '<script>alert(1)<script> & x\\u202elmx.xml';
    expect(figures.failed.map((f) => f.shown)).toEqual([shownHostile, 'clash.xml']);
    expect(figures.failed.map((f) => f.file)).toEqual([shownHostile, 'clash.xml']);
    const clash = figures.failed[1];
    expect(clash?.reason).toContain('a file named clash.xml is already in the target folder');
    expect(clash?.fix).toContain('Wait until the partner has taken the file already there');
    expect(clash?.fix).toContain('--scenario PES --force');
    expect(figures.checks).toBeGreaterThan(0);
    expect(figures.summary).toMatch(/^Checks: ✔ \d+ OK/);
  });
});
