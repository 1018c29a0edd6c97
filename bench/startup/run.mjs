#!/usr/bin/env node
// Start-up benchmark: what a cron job that runs ordo every minute pays 1 440 times a day. In a site with
// one scenario (local protocol, empty source folder, empty inbox), as separate processes timed from
// start to exit by GNU time (wall and CPU time, peak memory), each command in turn:
//   - `node -e 0`: the bare start of Node, the floor;
//   - `ordo --version`, `ordo run` with nothing to do, `ordo config check`;
//   - with BENCH_BEFORE=path/to/bin/ordo.js, the same three commands run by another build (before a change).
// Prints the medians of BENCH_RUNS runs (default 10), the ratio to `node -e 0`, and the machine's load.
//
// Usage: npm run build && node bench/startup/run.mjs   (BENCH_RUNS, BENCH_DIR, BENCH_BEFORE)
// Not part of `npm test`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, mib, ordoBin } from '../lib.mjs';
import { idleSite } from '../../scripts/idle-site.mjs';
import { timeInTurns } from './timed.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const before = process.env.BENCH_BEFORE;

const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ordo-bench-startup-'));
try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  idleSite(work);
  const commands = { '--version': ['--version'], 'run (nothing to do)': ['run'], 'config check': ['config', 'check'] };
  const tools = { 'node -e 0': [process.execPath, ['-e', '0']] };
  for (const [label, args] of Object.entries(commands)) {
    tools[`ordo ${label}`] = [process.execPath, [ordoBin, ...args]];
    if (before) tools[`ordo ${label} (before)`] = [process.execPath, [before, ...args]];
  }
  const { samples, loads } = await timeInTurns(tools, RUNS, work);
  const floor = median(samples['node -e 0'].map((s) => s.seconds));
  const cpuFloor = median(samples['node -e 0'].map((s) => s.cpu));
  console.log(`\nstart-up, medians of ${RUNS} (load average during the runs: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)})`);
  console.log('| command | time | × node -e 0 | CPU time (user + system) | × node -e 0 | peak RSS |');
  console.log('|---|---|---|---|---|---|');
  for (const [tool, list] of Object.entries(samples)) {
    const seconds = median(list.map((s) => s.seconds));
    const cpu = median(list.map((s) => s.cpu));
    const peak = Math.max(...list.map((s) => s.peakRss));
    console.log(`| ${tool} | ${(seconds * 1000).toFixed(0)} ms | ${(seconds / floor).toFixed(2)} | ${(cpu * 1000).toFixed(0)} ms | ${(cpu / cpuFloor).toFixed(2)} | ${mib(peak)} MiB |`);
  }
}
