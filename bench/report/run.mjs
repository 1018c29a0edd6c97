#!/usr/bin/env node
// Report benchmark: does `ordo report --days 30` cost more when the journal's history is longer? Spools
// with the same traffic per month (BENCH_PER_MONTH files sent, one in ten with a file received) over
// 2, 24 and 120 months ending with this one, each first brought up to date by one `ordo run` (which
// builds the journal index, as on any site that runs); then `ordo report --days 30`, as its own process
// timed from start to exit with its peak memory (VmHWM from /proc). The page must show the last 30
// days' sends. Medians of BENCH_RUNS runs (default 3); ratios against the shortest history.
//
// Usage: node bench/report/run.mjs   (BENCH_RUNS, BENCH_MONTHS=2,24,120, BENCH_PER_MONTH=4000, BENCH_DIR)
// Needs a built dist/ (npm run build). Not part of `npm test`.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, median, mib, ordoBin } from '../lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MONTHS = (process.env.BENCH_MONTHS ?? '2,24,120').split(',').map(Number);
const PER_MONTH = Number(process.env.BENCH_PER_MONTH ?? 4000);

const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ordo-bench-report-'));
try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  const sites = [];
  for (const months of MONTHS) {
    const site = join(work, `site-${months}`);
    const journalBytes = makeSite(site, months);
    await checked(measure(process.execPath, [ordoBin, 'run'], { cwd: site }), `${months} months: first run (builds the journal index)`);
    process.stderr.write(`${months} months of history: ${mib(journalBytes)} MiB of journal\n`);
    sites.push({ months, site, journalBytes, samples: [] });
  }
  for (let run = 1; run <= RUNS; run += 1) {
    for (const entry of sites) {
      const result = await checked(measure(process.execPath, [ordoBin, 'report', '--days', '30', '--output', 'report.html'], { cwd: entry.site }), `${entry.months} months: report`);
      checkPage(entry.site);
      entry.samples.push(result);
      process.stderr.write(`  run ${run}, ${entry.months} months: ${result.seconds.toFixed(2)} s, ${mib(result.peakRss)} MiB\n`);
    }
  }
  const base = sites[0];
  const seconds = (entry) => median(entry.samples.map((s) => s.seconds));
  const rss = (entry) => median(entry.samples.map((s) => s.peakRss));
  const lines = [
    `Node ${process.version}; ${PER_MONTH} files sent per month; median of ${RUNS} runs`,
    '',
    '| months of history | journal | ordo report --days 30 | ratio (time / RSS) |',
    '|---|---|---|---|',
    ...sites.map((e) => `| ${e.months} | ${mib(e.journalBytes)} MiB | ${seconds(e).toFixed(2)} s, ${mib(rss(e))} MiB | ${(seconds(e) / seconds(base)).toFixed(2)} / ${(rss(e) / rss(base)).toFixed(2)} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function checked(pending, what) {
  const result = await pending;
  if (result.code !== 0) throw new Error(`${what}: exit ${result.code}\n${result.stderr}`);
  return result;
}

/** The page counts the last 30 days' sends: at least the files of the current month so far. */
function checkPage(site) {
  const html = readFileSync(join(site, 'report.html'), 'utf8');
  const sent = Number(/data-total="sent">(\d+)</.exec(html)?.[1] ?? 0);
  if (!(sent > 0) || statSync(join(site, 'report.html')).size === 0) throw new Error(`${site}: the report shows no send`);
}

function makeSite(site, months) {
  for (const dir of ['out', 'partner/in', 'partner/out', 'ordo-data/journal']) mkdirSync(join(site, dir), { recursive: true });
  const config = {
    root: './ordo-data',
    profiles: { BENCH: {} },
    scenarios: { PES: { profile: 'BENCH', protocol: 'local', source: './out', settle: '0s', options: { target: './partner/in', inbox: './partner/out' } } },
  };
  writeFileSync(join(site, 'ordo.config.json'), JSON.stringify(config));
  return writeHistory(join(site, 'ordo-data'), months);
}

/** Journal lines as the engine writes them, straight into the month files: `months` months up to now. */
function writeHistory(root, months) {
  const now = Date.now();
  let total = 0;
  let index = 0;
  for (let m = months - 1; m >= 0; m -= 1) {
    const start = new Date(new Date().getFullYear(), new Date().getMonth() - m, 1);
    const end = m === 0 ? now : new Date(start.getFullYear(), start.getMonth() + 1, 1).getTime();
    const name = `${start.getFullYear()}${String(start.getMonth() + 1).padStart(2, '0')}.jsonl`;
    const fd = openSync(join(root, 'journal', name), 'a');
    const lines = [];
    for (let i = 0; i < PER_MONTH; i += 1, index += 1) {
      lines.push(...fileLines(root, index, new Date(start.getTime() + Math.floor(((end - start.getTime() - 2000) * i) / PER_MONTH))));
    }
    total += writeSync(fd, lines.join(''));
    closeSync(fd);
  }
  return total;
}

function fileLines(root, index, at) {
  const time = at.toISOString();
  const later = new Date(at.getTime() + 1500).toISOString();
  const run = `${at.getTime().toString(36)}-${(index % 4096).toString(16)}`;
  const file = `PESV2_${String(index).padStart(8, '0')}.xml`;
  const sha256 = createHash('sha256').update(String(index)).digest('hex');
  const item = `${time.replace(/[-:T]/g, '').slice(0, 14)}-${(index & 0xffffff).toString(16).padStart(6, '0')}`;
  const path = join(root, 'queue', 'PES', item, file);
  const lines = [
    { time, run, scenario: 'PES', direction: 'send', state: 'sending', file, size: 20_000, sha256, path },
    { time: later, run, scenario: 'PES', direction: 'send', state: 'sent', file, size: 20_000, sha256, path, remoteId: file, attempts: 1 },
  ];
  if (index % 10 === 0) {
    const name = `ACQUIT_${String(index).padStart(8, '0')}.xml`;
    const key = ['BENCH', 'local', name, 900, time].join('|');
    lines.push({ time: later, run, scenario: 'PES', direction: 'receive', state: 'received', file: name, size: 900, sha256, path: join(root, 'recus', 'BENCH', name), remoteId: name, key });
  }
  return lines.map((line) => `${JSON.stringify(line)}\n`);
}
