#!/usr/bin/env node
// `ordo send` of one large file, as users run it, from two builds of ordo side by side (say, before and
// after a change to the engine), with `curl -T` to the same loopback server as the reference. Runs
// alternate (curl, build A, build B, curl, …) so that a change in the machine's load falls on all
// three; prints medians, MiB/s and the ratio of each build to curl.
//
// Usage: node bench/http/send-ab.mjs <checkout A> <checkout B>   (each built: `npm ci` or `npm run build`)
//        BENCH_RUNS (default 5), BENCH_SIZE_MIB (default 1024), BENCH_DIR
// Not part of `npm test`.
import { existsSync, linkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { startHttpPeer } from '../../fixtures/peers/peers.mjs';
import { MiB, expectSize, measure, measureCli, median, mib, peak, writeRandomFile } from '../lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const builds = process.argv.slice(2, 4).map((dir) => resolve(dir));
if (builds.length !== 2 || builds.some((dir) => !existsSync(join(dir, 'dist', 'cli.js')))) {
  process.stderr.write('Usage: node bench/http/send-ab.mjs <built ordo checkout A> <built ordo checkout B>\n');
  process.exit(2);
}

const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ordo-bench-send-ab-'));
const http = await startHttpPeer({ body: 'raw', method: 'PUT', routes: { bench: '/upload' } });
try {
  const big = join(work, 'big.bin');
  await writeRandomFile(big, SIZE_MIB * MiB);
  const config = {
    root: './ordo-data',
    naming: { timestamp: false },
    profiles: { BENCH: { http: { urls: { bench: `${http.urls.bench}/{name}` }, body: 'raw', method: 'PUT' } } },
    scenarios: { RAW: { profile: 'BENCH', protocol: 'http', source: './out', settle: '0s', retrieve: { enabled: false }, options: { fileType: 'bench' } } },
  };
  const tools = {
    curl: () => measure('curl', ['-sS', '-f', '-o', '/dev/null', '-T', big, `${http.urls.bench}/big.bin`], { cwd: work }),
    A: () => sendWith(builds[0]),
    B: () => sendWith(builds[1]),
  };
  const sendWith = (checkout) =>
    measureCli(work, config, ['send', '--scenario', 'RAW', '--no-retrieve'], (site) => linkSync(big, join(site, 'out', 'big.bin')), undefined, join(checkout, 'bin', 'ordo.js'));
  const samples = { curl: [], A: [], B: [] };
  for (let run = 1; run <= RUNS; run += 1) {
    for (const [tool, go] of Object.entries(tools)) {
      http.endpoint.reset();
      const result = await go();
      if (result.code !== 0) throw new Error(`${tool} failed (exit ${result.code}):\n${result.stderr}`);
      expectSize(http.endpoint.deposits.at(-1)?.path, SIZE_MIB * MiB);
      samples[tool].push(result);
      process.stderr.write(`  ${tool}, run ${run}: ${result.seconds.toFixed(2)} s, peak RSS ${mib(result.peakRss)} MiB\n`);
    }
  }
  const seconds = (tool) => median(samples[tool].map((sample) => sample.seconds));
  const label = { curl: 'curl -T', A: `ordo send (A: ${basename(builds[0])})`, B: `ordo send (B: ${basename(builds[1])})` };
  const lines = [
    `${SIZE_MIB} MiB raw upload over HTTP on 127.0.0.1, median of ${RUNS} runs, alternating`,
    '',
    '| tool | seconds | MiB/s | ratio to curl | peak RSS |',
    '|---|---|---|---|---|',
    ...Object.keys(samples).map(
      (tool) => `| ${label[tool]} | ${seconds(tool).toFixed(2)} | ${(SIZE_MIB / seconds(tool)).toFixed(0)} | ${(seconds('curl') / seconds(tool)).toFixed(2)} | ${mib(peak(samples[tool]))} MiB |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await http.close();
  rmSync(work, { recursive: true, force: true });
}
