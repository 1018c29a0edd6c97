#!/usr/bin/env node
// History benchmark: does a cycle cost more when the journal is long? Spools with 0, 100 000 and
// 1 000 000 files in history (journal lines as the engine writes them: `sending` + `sent` per file,
// spread over 13 months, and a `received` + `acknowledged` pair for one file in ten), then, as separate
// processes timed from start to exit, with their peak memory (VmHWM from /proc):
//   - `node -e 0`: the bare start of Node, the floor of everything below;
//   - `ordo run` with nothing to do (local protocol, empty source folder, empty inbox);
//   - `ordo run` with one new file in the source folder (claim, backup, sha256, duplicate check, journal,
//     copy into the target folder, retrieve pass).
// The first `ordo run` on each spool (with one file to send) is reported apart: it builds the journal
// index of an existing journal (once, when a site upgrades; a cycle with nothing to do does not touch
// the index). Medians of BENCH_RUNS runs (default 3); ratios against the
// empty history.
//
// Usage: node bench/history/run.mjs   (BENCH_RUNS, BENCH_HISTORY=0,100000,1000000, BENCH_DIR, BENCH_BIN)
// BENCH_BIN: another build's bin/ordo.js (to measure the code before a change). Builds dist/ first
// when a source file is newer than it. Not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median, mib, ordoBin } from '../lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const HISTORY = (process.env.BENCH_HISTORY ?? '0,100000,1000000').split(',').map(Number);
const MONTHS = 13;
const project = fileURLToPath(new URL('../..', import.meta.url));
const bin = process.env.BENCH_BIN ?? ordoBin;

if (process.env.BENCH_BIN === undefined) buildIfNeeded();
const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ordo-bench-history-'));
try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  process.stderr.write(`ordo: ${bin}\n`);
  const bare = [];
  for (let run = 1; run <= RUNS; run += 1) bare.push(await checked(measure(process.execPath, ['-e', '0'], { cwd: work }), 'node -e 0'));
  const sites = [];
  for (const files of HISTORY) {
    const site = join(work, `site-${files}`);
    const started = performance.now();
    const journalBytes = makeSite(site, files);
    process.stderr.write(`${files} files in history: ${mib(journalBytes)} MiB of journal written in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    const first = await oneFile(site, files, 'first');
    process.stderr.write(`  first run with a file to send (builds the index of an existing journal): ${first.seconds.toFixed(2)} s, peak RSS ${mib(first.peakRss)} MiB\n`);
    sites.push({ files, site, journalBytes, first, idle: [], one: [] });
  }
  // Every history in turn within a run, so that a change in the machine's load falls on all of them.
  for (let run = 1; run <= RUNS; run += 1) {
    for (const entry of sites) {
      entry.idle.push(await checked(cycle(entry.site), `${entry.files}: nothing to do`));
      entry.one.push(await oneFile(entry.site, entry.files, String(run)));
      process.stderr.write(
        `  run ${run}, ${entry.files} files: nothing to do ${entry.idle.at(-1).seconds.toFixed(2)} s / ${mib(entry.idle.at(-1).peakRss)} MiB, one file ${entry.one.at(-1).seconds.toFixed(2)} s / ${mib(entry.one.at(-1).peakRss)} MiB\n`,
      );
    }
  }
  const rows = sites.map((entry) => ({ files: entry.files, journalBytes: entry.journalBytes, first: entry.first, idle: summary(entry.idle), one: summary(entry.one) }));
  print(summary(bare), rows);
}

function summary(samples) {
  return { seconds: median(samples.map((s) => s.seconds)), rss: median(samples.map((s) => s.peakRss)), maxRss: Math.max(...samples.map((s) => s.peakRss)) };
}

/** A cycle that sends one new file (its own content: never a duplicate), checked in the target folder. */
async function oneFile(site, files, label) {
  const name = `new-${label}.xml`;
  writeFileSync(join(site, 'out', name), randomBytes(4096));
  const result = await checked(cycle(site), `${files}: one file`);
  const target = join(site, 'partner', 'in', name);
  if (!existsSync(target)) throw new Error(`${files}: ${name} was not sent`);
  rmSync(target);
  return result;
}

function cycle(site) {
  return measure(process.execPath, [bin, 'run'], { cwd: site });
}

async function checked(pending, what) {
  const result = await pending;
  if (result.code !== 0) throw new Error(`${what}: exit ${result.code}\n${result.stderr}`);
  return result;
}

function print(bare, rows) {
  const empty = rows.find((row) => row.files === 0) ?? rows[0];
  const ratio = (value, base) => (value / base).toFixed(2);
  const lines = [
    `Node ${process.version}, ${bin === ordoBin ? 'this checkout' : bin}; median of ${RUNS} runs (peak RSS: median, max)`,
    `node -e 0: ${bare.seconds.toFixed(3)} s, ${mib(bare.rss)} MiB`,
    '',
    '| files in history | journal | first run (one file) | nothing to do | ratio (time / RSS) | one file | ratio (time / RSS) |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.files.toLocaleString('en')} | ${mib(row.journalBytes)} MiB | ${row.first.seconds.toFixed(2)} s, ${mib(row.first.peakRss)} MiB ` +
        `| ${row.idle.seconds.toFixed(2)} s, ${mib(row.idle.rss)} (${mib(row.idle.maxRss)}) MiB | ${ratio(row.idle.seconds, empty.idle.seconds)} / ${ratio(row.idle.rss, empty.idle.rss)} ` +
        `| ${row.one.seconds.toFixed(2)} s, ${mib(row.one.rss)} (${mib(row.one.maxRss)}) MiB | ${ratio(row.one.seconds, empty.one.seconds)} / ${ratio(row.one.rss, empty.one.rss)} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A site sending `out/` into `partner/in/` and retrieving from `partner/out/`, with `files` sent before. */
function makeSite(site, files) {
  for (const dir of ['out', 'partner/in', 'partner/out', 'ordo-data/journal']) mkdirSync(join(site, dir), { recursive: true });
  const config = {
    root: './ordo-data',
    naming: { timestamp: false },
    profiles: { BENCH: {} },
    scenarios: {
      PES: { profile: 'BENCH', protocol: 'local', source: './out', settle: '0s', options: { target: './partner/in', inbox: './partner/out' } },
    },
  };
  writeFileSync(join(site, 'ordo.config.json'), JSON.stringify(config));
  return writeHistory(join(site, 'ordo-data'), files);
}

/**
 * Journal lines of the shape the engine writes, straight into the month files (sending a million files
 * would take days): the 13 months before this one, `files` spread evenly, in time order.
 */
function writeHistory(root, files) {
  const now = new Date();
  let total = 0;
  let index = 0;
  for (let m = MONTHS; m >= 1; m -= 1) {
    const month = new Date(now.getFullYear(), now.getMonth() - m, 1);
    const inMonth = Math.floor((files * (MONTHS - m + 1)) / MONTHS) - Math.floor((files * (MONTHS - m)) / MONTHS);
    if (inMonth === 0) continue;
    const name = `${month.getFullYear()}${String(month.getMonth() + 1).padStart(2, '0')}.jsonl`;
    const fd = openSync(join(root, 'journal', name), 'a');
    const days = new Date(month.getFullYear(), month.getMonth() + 1, 0).getDate();
    let chunk = [];
    let chunkBytes = 0;
    const flush = () => {
      const text = chunk.join('');
      total += writeSync(fd, text);
      chunk = [];
      chunkBytes = 0;
    };
    for (let i = 0; i < inMonth; i += 1, index += 1) {
      const at = new Date(month.getTime() + Math.floor((i / inMonth) * days * 86_400_000));
      for (const line of fileLines(root, index, at)) {
        chunk.push(line);
        chunkBytes += line.length;
      }
      if (chunkBytes > 8 * 1024 * 1024) flush();
    }
    flush();
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
  const size = 20_000 + (index % 50_000);
  const lines = [
    JSON.stringify({ time, run, scenario: 'PES', direction: 'send', state: 'sending', file, size, sha256, path, backup: join(root, 'backup', 'PES', file) }),
    JSON.stringify({ time: later, run, scenario: 'PES', direction: 'send', state: 'sent', file, size, sha256, path, remoteId: file, attempts: 1 }),
  ];
  if (index % 10 === 0) {
    const name = `ACQUIT_${String(index).padStart(8, '0')}.xml`;
    const key = ['BENCH', 'local', name, 900 + (index % 100), time].join('|');
    const received = join(root, 'recus', 'BENCH', name);
    lines.push(
      JSON.stringify({ time: later, run, scenario: 'PES', direction: 'receive', state: 'received', file: name, size: 900 + (index % 100), sha256, path: received, remoteId: name, key }),
      JSON.stringify({ time: later, run, scenario: 'PES', direction: 'receive', state: 'acknowledged', file: name, path: received, remoteId: name, key }),
    );
  }
  return lines.map((line) => `${line}\n`);
}

/** `npm run build` when a source file is newer than the build (type errors elsewhere do not stop tsc from writing dist/). */
function buildIfNeeded() {
  const newest = (dir) => {
    let latest = 0;
    if (!existsSync(dir)) return latest;
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
    }
    return latest;
  };
  if (existsSync(join(project, 'dist', 'cli.js')) && newest(join(project, 'src')) <= newest(join(project, 'dist'))) return;
  process.stderr.write('Building dist/ (npm run build)…\n');
  const result = spawnSync('npm', ['run', 'build'], { cwd: project, stdio: 'inherit' });
  if (result.status !== 0 && !existsSync(join(project, 'dist', 'cli.js'))) throw new Error('npm run build failed');
}
