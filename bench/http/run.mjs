#!/usr/bin/env node
// HTTP benchmark: ordo's `http` and `xfb` protocols against curl, on the same loopback server (the
// test peers of fixtures/peers, plain HTTP unless BENCH_TLS=1). Medians of BENCH_RUNS runs (default 3) of:
//   - a 1 GiB upload as a raw body (ordo `http`, body=raw, PUT) vs `curl -T`;
//   - a 1 GiB upload as a multipart form (ordo `xfb`) vs `curl -F`;
//   - a 1 GiB download (ordo `xfb`) vs `curl -o`, and vs `curl -o` then `sync FILE` (the file flushed to
//     disk, as ordo's downloads are before they are reported done; printed below the table).
// ordo is measured twice, each time as a separate process timed from start to exit:
//   - "protocol": the protocol alone (bench/http/protocol-runner.mjs): the transfer itself;
//   - "CLI": `node bin/ordo.js send|retrieve` as users run it, with everything the engine adds for
//     safety (claim, backup copy, sha256, journal lines flushed to disk, flushed downloads).
// "wire" is what the server measured from the first to the last byte of the body.
// Peak memory is the process's VmHWM from /proc, sampled while it runs.
// BENCH_BASELINE=<another built checkout> also measures that build's protocol and CLI, in turn with
// this one's (before/after a change, in one run); BENCH_CASES=raw,form,down picks the cases.
//
// Usage: npm run build && node bench/http/run.mjs   (BENCH_RUNS, BENCH_SIZE_MIB, BENCH_TLS, BENCH_DIR,
//        BENCH_BASELINE, BENCH_CASES)
// Not part of `npm test`.
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHttpPeer, startXfbPeer } from '../../fixtures/peers/peers.mjs';
import { MiB, expectSize, measure, measureCli, median, mib, peak, runCases, writeRandomFile } from '../lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const TLS = process.env.BENCH_TLS === '1';
const CASES = (process.env.BENCH_CASES ?? 'raw,form,down').split(',');

const project = fileURLToPath(new URL('../..', import.meta.url));
const baseline = process.env.BENCH_BASELINE === undefined ? undefined : resolve(process.env.BENCH_BASELINE);
const runner = (checkout) => join(checkout, 'bench', 'http', 'protocol-runner.mjs');
for (const checkout of [project, baseline]) {
  if (checkout !== undefined && !existsSync(join(checkout, 'dist', 'protocols', 'xfb', 'protocol.js'))) {
    process.stderr.write(`Build first: npm run build (in ${checkout})\n`);
    process.exit(2);
  }
}
const TOOLS = baseline === undefined ? ['curl', 'curlFlushed', 'protocol', 'cli'] : ['curl', 'curlFlushed', 'protocol', 'cli', 'protocolBefore', 'cliBefore'];

const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ordo-bench-http-'));
const xfb = await startXfbPeer({ tls: TLS });
const http = await startHttpPeer({ tls: TLS, body: 'raw', method: 'PUT', routes: { bench: '/upload' } });
try {
  await main();
} finally {
  await xfb.close();
  await http.close();
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  const big = join(work, 'big.bin');
  await writeRandomFile(big, SIZE_MIB * MiB);
  const download = join(work, 'downloaded.bin');
  const curlTls = xfb.pki === undefined ? [] : ['--cacert', xfb.pki.caCert];
  const httpCa = http.pki === undefined ? {} : { ca: http.pki.caCert };
  const curlHttpTls = http.pki === undefined ? [] : ['--cacert', http.pki.caCert];
  const account = xfb.account;
  const xfbProfile = xfb.profile;
  const httpProfile = { urls: { bench: `${http.urls.bench}/{name}` }, body: 'raw', method: 'PUT', ...httpCa };
  const credentials = new URLSearchParams({ user: account.user, password: account.password });
  const waiting = () => xfb.gateway.waiting.find((entry) => entry.name === 'big.bin');

  const protocolOf = (checkout) => (settings, ...args) => {
    const file = join(work, 'protocol-settings.json');
    writeFileSync(file, JSON.stringify({ ...settings, root: work }));
    return measure(process.execPath, [runner(checkout), file, ...args], { cwd: work });
  };
  const cliOf = (checkout) => (scenario, args, prepare, verify) =>
    measureCli(work, siteConfig({ xfb: xfbProfile, http: httpProfile }, scenario), args, prepare, verify, join(checkout, 'bin', 'ordo.js'));
  // Each case's protocol and CLI runs, for this checkout and for the baseline.
  const both = (make) => {
    const current = make(protocolOf(project), cliOf(project));
    if (baseline === undefined) return current;
    const before = make(protocolOf(baseline), cliOf(baseline));
    return { ...current, protocolBefore: before.protocol, cliBefore: before.cli };
  };

  const cases = [
    {
      key: 'raw',
      name: `${SIZE_MIB} MiB upload, raw body (http)`,
      bytes: SIZE_MIB * MiB,
      curlLabel: 'curl -T',
      curl: () => measure('curl', ['-sS', '-f', '-o', '/dev/null', ...curlHttpTls, '-T', big, `${http.urls.bench}/big.bin`], { cwd: work }),
      ...both((protocol, cli) => ({
        protocol: () => protocol({ protocol: 'http', profile: httpProfile, options: {} }, 'upload', big, 'big.bin'),
        cli: () => cli('RAW', ['send', '--scenario', 'RAW', '--no-retrieve'], (site) => linkSync(big, join(site, 'out', 'big.bin'))),
      })),
      wire: () => http.endpoint.timings.at(-1),
      check: () => expectSize(http.endpoint.deposits.at(-1)?.path, SIZE_MIB * MiB),
      reset: () => {
        http.endpoint.reset();
        settle();
      },
    },
    {
      key: 'form',
      name: `${SIZE_MIB} MiB upload, multipart form (xfb)`,
      bytes: SIZE_MIB * MiB,
      curlLabel: 'curl -F',
      curl: () =>
        measure('curl', ['-sS', '-f', '-o', '/dev/null', ...curlTls, '-F', `partner=${account.partner}`, '-F', `application=${account.application}`, '-F', `file=@${big};filename=big.bin`, `${xfb.url}?${credentials}`], { cwd: work }),
      ...both((protocol, cli) => ({
        protocol: () => protocol({ protocol: 'xfb', profile: xfbProfile, options: {} }, 'upload', big, 'big.bin'),
        cli: () => cli('FORM', ['send', '--scenario', 'FORM', '--no-retrieve'], (site) => linkSync(big, join(site, 'out', 'big.bin'))),
      })),
      wire: () => xfb.gateway.timings.at(-1),
      check: () => expectSize(xfb.gateway.kept('big.bin').at(-1)?.path, SIZE_MIB * MiB),
      reset: () => {
        xfb.gateway.reset();
        settle();
      },
    },
    {
      key: 'down',
      name: `${SIZE_MIB} MiB download (xfb)`,
      bytes: SIZE_MIB * MiB,
      curlLabel: 'curl -o',
      curl: () => measure('curl', ['-sS', '-f', '-o', download, ...curlTls, `${xfb.url}/big.bin?local_ident=${waiting()?.localIdent}&${credentials}`], { cwd: work }),
      // ordo flushes a download to disk before it says it is done: curl followed by `sync FILE`, the same guarantee.
      curlFlushed: () =>
        measure('sh', ['-c', 'curl "$@" && sync -- "$0"', download, '-sS', '-f', '-o', download, ...curlTls, `${xfb.url}/big.bin?local_ident=${waiting()?.localIdent}&${credentials}`], { cwd: work }),
      ...both((protocol, cli) => ({
        protocol: () => protocol({ protocol: 'xfb', profile: xfbProfile, options: {} }, 'download', 'big.bin', download),
        cli: () => cli('DOWN', ['retrieve', '--scenario', 'DOWN'], undefined, (site) => expectSize(join(site, 'ordo-data', 'recus', 'BENCH', 'big.bin'), SIZE_MIB * MiB)),
      })),
      wire: () => xfb.gateway.timings.at(-1),
      check: () => (existsSync(download) ? expectSize(download, SIZE_MIB * MiB) : undefined),
      reset: () => {
        rmSync(download, { force: true });
        xfb.gateway.reset();
        xfb.gateway.addWaiting('big.bin', { size: SIZE_MIB * MiB });
        settle();
      },
    },
  ];

  const chosen = cases.filter((bench) => CASES.includes(bench.key));
  const results = await runCases(chosen, TOOLS, RUNS, (bench, result) => {
    result.wireSeconds = (bench.wire()?.ms ?? Number.NaN) / 1000;
    return ` (wire ${result.wireSeconds.toFixed(2)} s)`;
  });
  printTable(results.map(({ bench, samples }) => summarise(bench, samples)));
}

/**
 * Writes what the previous run left in the page cache to disk, untimed: otherwise the next tool pays
 * for it (curl's download, the server's copy of an upload: 1 GiB that no one flushed).
 */
function settle() {
  execFileSync('sync');
}

/** A site whose scenarios send `out/` to the peers or retrieve from the gateway, with the engine's defaults. */
function siteConfig(profiles, scenario) {
  const scenarios = {
    RAW: { profile: 'BENCH', protocol: 'http', source: './out', settle: '0s', retrieve: { enabled: false }, options: { fileType: 'bench' } },
    FORM: { profile: 'BENCH', protocol: 'xfb', source: './out', settle: '0s', retrieve: { enabled: false } },
    DOWN: { profile: 'BENCH', protocol: 'xfb' },
  };
  return { root: './ordo-data', naming: { timestamp: false }, profiles: { BENCH: profiles }, scenarios: { [scenario]: scenarios[scenario] } };
}

function summarise(bench, samples) {
  const rate = (tool, key = 'seconds') => bench.bytes / MiB / median(samples[tool].map((sample) => sample[key]));
  const tools = TOOLS;
  return {
    name: bench.name,
    curlLabel: bench.curlLabel,
    rate: Object.fromEntries(tools.filter((tool) => samples[tool].length > 0).map((tool) => [tool, rate(tool)])),
    wire: Object.fromEntries(tools.filter((tool) => samples[tool].length > 0).map((tool) => [tool, rate(tool, 'wireSeconds')])),
    rss: Object.fromEntries(tools.filter((tool) => samples[tool].length > 0).map((tool) => [tool, peak(samples[tool])])),
  };
}

function printTable(rows) {
  const builds = baseline === undefined ? [['', 'protocol', 'cli']] : [[' (before)', 'protocolBefore', 'cliBefore'], [' (after)', 'protocol', 'cli']];
  const lines = [
    `HTTP${TLS ? 'S (TLS, test CA)' : ''} on 127.0.0.1, the peers of fixtures/peers, median of ${RUNS} runs; MiB/s from process start to exit (on the wire, as the server saw it)`,
    ...(baseline === undefined ? [] : [`before: ${baseline}; after: ${project}`]),
    '',
    '| transfer | curl | ordo protocol | ratio | ordo CLI (send/retrieve) | ratio | CLI / protocol | ordo peak RSS (protocol / CLI) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.flatMap((row) => {
      const cell = (tool) => `${row.rate[tool].toFixed(0)} (${row.wire[tool].toFixed(0)})`;
      const ratio = (tool, to = 'curl') => (row.rate[tool] / row.rate[to]).toFixed(2);
      return builds.map(
        ([label, protocol, cli]) =>
          `| ${row.name}${label} | ${row.curlLabel}: ${cell('curl')} | ${cell(protocol)} | ${ratio(protocol)} | ${cell(cli)} | ${ratio(cli)} | ${ratio(cli, protocol)} | ${mib(row.rss[protocol])} / ${mib(row.rss[cli])} MiB |`,
      );
    }),
  ];
  for (const row of rows.filter((candidate) => candidate.rate.curlFlushed !== undefined)) {
    const of = (tool) => (row.rate[tool] / row.rate.curlFlushed).toFixed(2);
    lines.push('', `${row.name}, curl's file flushed to disk as ordo's is (\`curl -o\` then \`sync FILE\`): ${row.rate.curlFlushed.toFixed(0)} MiB/s; ordo's protocol: ${of('protocol')} of it, the CLI: ${of('cli')}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
