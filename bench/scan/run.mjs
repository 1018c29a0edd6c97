#!/usr/bin/env node
// Scan benchmark: how long `ordo scan` takes to look at a folder that a stopped export filled for weeks,
// against `find` on the same folder. Creates BENCH_FILES files (default 100 000, 1 KiB each, named like
// an export's `PES_<n>.xml`) in one folder under a temporary directory, then, as separate processes
// timed from start to exit by GNU time (wall and CPU time, peak memory), each tool in turn:
//   - `find DIR -type f`: the floor (one readdir, no stat);
//   - `find DIR -type f -printf '%s %T@ %p\n'`: find doing what a scan must (each file's size and date: a
//     stat per file);
//   - bare `node` (bench/scan/bare-node.mjs): the least a Node.js program does for the same (readdir,
//     one statSync per file, a path a line);
//   - `ordo scan` with `settle: 0s` (local protocol, filter `*.xml`), its output piped (one path a line);
//   - with BENCH_BEFORE=path/to/bin/ordo.js, the same `ordo scan` run by another build (before a change).
// Prints the medians of BENCH_RUNS runs (default 3), the ratio to `find`, and the machine's load.
//
// Usage: npm run build && node bench/scan/run.mjs   (BENCH_FILES, BENCH_RUNS, BENCH_DIR, BENCH_BEFORE)
// Not part of `npm test`.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, mib, ordoBin } from '../lib.mjs';
import { measureCpu } from '../startup/timed.mjs';

const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const before = process.env.BENCH_BEFORE;
const bareNode = fileURLToPath(new URL('bare-node.mjs', import.meta.url));

const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ordo-bench-scan-'));
try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  const source = join(work, 'export');
  mkdirSync(source);
  const started = performance.now();
  const body = 'x'.repeat(1024);
  for (let n = 0; n < FILES; n += 1) writeFileSync(join(source, `PES_${String(n).padStart(6, '0')}.xml`), body);
  process.stderr.write(`${FILES} files written in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  writeFileSync(join(work, 'ordo.config.json'), JSON.stringify({
    root: './ordo-data',
    profiles: { VILLE: { label: 'Ville' } },
    scenarios: { PES: { profile: 'VILLE', protocol: 'local', source: './export', filter: ['*.xml'], settle: '0s', options: { target: './in' } } },
  }));
  mkdirSync(join(work, 'in'));
  readdirSync(source); // the folder in the page cache before anything is timed, for every tool alike

  const tools = {
    find: () => measureCpu('find', [source, '-type', 'f'], { cwd: work }),
    'find -printf size, date': () => measureCpu('find', [source, '-type', 'f', '-printf', '%s %T@ %p\n'], { cwd: work }),
    'bare node': () => measureCpu(process.execPath, [bareNode, source], { cwd: work }),
    ordo: () => measureCpu(process.execPath, [ordoBin, 'scan'], { cwd: work }),
    ...(before ? { 'ordo (before)': () => measureCpu(process.execPath, [before, 'scan'], { cwd: work }) } : {}),
  };
  const samples = Object.fromEntries(Object.keys(tools).map((tool) => [tool, []]));
  for (let run = 1; run <= RUNS; run += 1) {
    for (const [tool, go] of Object.entries(tools)) {
      const result = await go();
      if (result.code !== 0) throw new Error(`${tool} failed (exit ${result.code}):\n${result.stderr}`);
      samples[tool].push(result);
      process.stderr.write(`  run ${run}, ${tool}: ${result.seconds.toFixed(3)} s (CPU ${result.cpu.toFixed(2)} s), peak RSS ${mib(result.peakRss)} MiB, load ${loadavg()[0].toFixed(2)}\n`);
    }
  }
  const floor = median(samples.find.map((s) => s.seconds));
  const cpuFloor = median(samples.find.map((s) => s.cpu));
  console.log(`\nscan of ${FILES} files, settle 0s, medians of ${RUNS} (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  console.log('| tool | time | × find | CPU time (user + system) | × find | peak RSS |');
  console.log('|---|---|---|---|---|---|');
  for (const [tool, list] of Object.entries(samples)) {
    const seconds = median(list.map((s) => s.seconds));
    const cpu = median(list.map((s) => s.cpu));
    const peak = Math.max(...list.map((s) => s.peakRss));
    console.log(`| ${tool} | ${seconds.toFixed(3)} s | ${(seconds / floor).toFixed(1)} | ${cpu.toFixed(2)} s | ${(cpu / Math.max(cpuFloor, 0.01)).toFixed(1)} | ${mib(peak)} MiB |`);
  }
}
