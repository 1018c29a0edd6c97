#!/usr/bin/env node
// SFTP benchmark: ordo against OpenSSH's own `sftp` client, on the same OpenSSH sshd on 127.0.0.1,
// with the same cipher pinned on both sides (aes128-gcm@openssh.com). Medians of BENCH_RUNS runs
// (default 3) of: a 1 GiB upload, a 1 GiB download, 1000 files of 4 KiB uploaded one after another.
//
// ordo is measured twice, each time as a separate process timed from start to exit:
//   - "protocol": ordo's sftp protocol alone (bench/sftp/protocol-runner.mjs): the transfer itself;
//   - "CLI": `node bin/ordo.js send|retrieve` as users run it, with everything the engine adds for
//     safety (claim, backup copy, sha256, journal lines flushed to disk, flushed downloads).
// Peak memory is the process's VmHWM from /proc, sampled while it runs. ordo flushes a download to
// disk before reporting it; `sftp` does not: the download is also timed against `sftp` followed by
// `sync FILE`, the same guarantee.
//
// BENCH_BASELINE=<another built checkout> also runs that build's CLI, in turn with this one's (before/after
// a change, in one run); BENCH_CASES=up,down,small picks the cases.
//
// Usage: npm run build && node bench/sftp/run.mjs
//        (BENCH_RUNS, BENCH_SIZE_MIB, BENCH_SMALL_FILES, BENCH_DIR, BENCH_BASELINE, BENCH_CASES)
// Not part of `npm test`.
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOpenSshServer } from '../../fixtures/peers/sftp/openssh-server.mjs';
import { MiB, expectSize, measure, measureCli, median, mib, peak, runCases, writeRandomFile } from '../lib.mjs';

const CIPHER = 'aes128-gcm@openssh.com';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const SMALL_FILES = Number(process.env.BENCH_SMALL_FILES ?? 1000);
const SMALL_SIZE = 4 * 1024;
const CASES = (process.env.BENCH_CASES ?? 'up,down,small').split(',');
const baseline = process.env.BENCH_BASELINE === undefined ? undefined : resolve(process.env.BENCH_BASELINE);
const baselineBin = baseline === undefined ? undefined : join(baseline, 'bin', 'ordo.js');
if (baseline !== undefined && !existsSync(join(baseline, 'dist', 'cli.js'))) {
  process.stderr.write(`BENCH_BASELINE: ${baseline} is not a built checkout (npm run build there first)\n`);
  process.exit(2);
}

const project = fileURLToPath(new URL('../..', import.meta.url));
const runner = join(project, 'bench', 'sftp', 'protocol-runner.mjs');
const bareRunner = join(project, 'bench', 'sftp', 'bare-ssh2.mjs');
if (!existsSync(join(project, 'dist', 'protocols', 'sftp', 'protocol.js'))) {
  process.stderr.write('Build first: npm run build\n');
  process.exit(2);
}

const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ordo-bench-sftp-'));
const server = await startOpenSshServer({ ciphers: [CIPHER] });
try {
  await main();
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  const remote = (name) => join(server.files, name);
  for (const dir of ['up', 'down', 'small']) mkdirSync(remote(dir));
  const big = join(work, 'big.bin');
  const small = join(work, 'small');
  process.stderr.write(`Preparing ${SIZE_MIB} MiB and ${SMALL_FILES} × ${SMALL_SIZE / 1024} KiB of random data in ${work}…\n`);
  const bigNeeded = CASES.includes('up') || CASES.includes('down');
  await writeRandomFile(big, bigNeeded ? SIZE_MIB * MiB : 0);
  mkdirSync(small);
  for (let index = 0; index < SMALL_FILES; index += 1) writeFileSync(join(small, `f${String(index).padStart(5, '0')}.xml`), randomBytes(SMALL_SIZE));
  linkSync(big, remote('down/big.bin'));

  const knownHosts = join(work, 'known_hosts');
  writeFileSync(knownHosts, `${server.knownHostsLines.join('\n')}\n`);
  const profile = {
    host: '127.0.0.1',
    port: server.port,
    username: server.username,
    privateKey: server.privateKeyPath,
    hostKey: server.hostKeys.map((key) => key.fingerprint).join(';'),
    ciphers: [CIPHER],
  };
  const clearRemote = (dir) => {
    for (const name of readdirSync(remote(dir))) rmSync(join(remote(dir), name), { force: true });
  };
  const download = join(work, 'downloaded.bin');

  const opensshArgs = (batch) => {
    const file = join(work, 'batch.txt');
    writeFileSync(file, `${batch}\n`);
    return [
      '-q', '-b', file, '-c', CIPHER, '-i', server.privateKeyPath, '-P', String(server.port),
      '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`,
      `${server.username}@127.0.0.1`,
    ];
  };
  const openssh = (batch) => measure('sftp', opensshArgs(batch), { cwd: work });
  // ordo flushes a download to disk before it reports it done; `sftp` leaves it in the page cache.
  // The same guarantee for OpenSSH: its file flushed by `sync FILE` (fsync) right after, timed together.
  const opensshFlushed = (batch, file) => measure('sh', ['-c', 'sftp "$@" && sync -- "$0"', file, ...opensshArgs(batch)], { cwd: work });
  const protocol = (options, ...args) => {
    const settings = join(work, 'protocol-settings.json');
    writeFileSync(settings, JSON.stringify({ profile, options, root: work }));
    return measure(process.execPath, [runner, settings, ...args], { cwd: work });
  };
  const bare = (options, folder) => {
    const settings = join(work, 'bare-settings.json');
    writeFileSync(settings, JSON.stringify({ profile, options }));
    return measure(process.execPath, [bareRunner, settings, folder], { cwd: work });
  };
  /** `ordo <args>` in a new site with `scenario`, run by this build's CLI (`cli`) and, with BENCH_BASELINE, the other's (`cliBefore`). */
  const ordo = (scenario, args, prepare, verify) => ({
    cli: () => measureCli(work, siteConfig(profile, scenario), args, prepare, verify),
    ...(baselineBin === undefined ? {} : { cliBefore: () => measureCli(work, siteConfig(profile, scenario), args, prepare, verify, baselineBin) }),
  });

  const cases = [
    {
      key: 'up',
      name: `${SIZE_MIB} MiB upload`,
      bytes: SIZE_MIB * MiB,
      openssh: () => openssh(`put "${big}" up/big.bin`),
      protocol: () => protocol({ remoteDir: 'up' }, 'upload', big, 'big.bin'),
      ...ordo('UP', ['send', '--scenario', 'UP', '--no-retrieve'], (site) => linkSync(big, join(site, 'out', 'big.bin'))),
      check: () => expectSize(remote('up/big.bin'), SIZE_MIB * MiB),
      reset: () => clearRemote('up'),
    },
    {
      key: 'down',
      name: `${SIZE_MIB} MiB download`,
      bytes: SIZE_MIB * MiB,
      openssh: () => openssh(`get down/big.bin "${download}"`),
      opensshFlushed: () => opensshFlushed(`get down/big.bin "${download}"`, download),
      protocol: () => protocol({ inbox: 'down', afterRetrieve: 'keep' }, 'download', 'big.bin', download),
      ...ordo('DOWN', ['retrieve', '--scenario', 'DOWN'], undefined, (site) => expectSize(join(site, 'ordo-data', 'recus', 'BENCH', 'big.bin'), SIZE_MIB * MiB)),
      check: () => (existsSync(download) ? expectSize(download, SIZE_MIB * MiB) : undefined),
      reset: () => rmSync(download, { force: true }),
    },
    {
      key: 'small',
      name: `${SMALL_FILES} × 4 KiB upload`,
      bytes: SMALL_FILES * SMALL_SIZE,
      files: SMALL_FILES,
      openssh: () => openssh(`put ${small}/* small/`),
      protocol: () => protocol({ remoteDir: 'small' }, 'upload-many', small),
      bare: () => bare({ remoteDir: 'small' }, small),
      ...ordo('SMALL', ['send', '--scenario', 'SMALL', '--no-retrieve'], (site) => {
        for (const name of readdirSync(small)) linkSync(join(small, name), join(site, 'out', name));
      }),
      check: () => expectCount(remote('small'), SMALL_FILES),
      reset: () => clearRemote('small'),
    },
  ];

  const results = await runCases(
    cases.filter((bench) => CASES.includes(bench.key)),
    ['openssh', 'opensshFlushed', 'protocol', 'cli', 'cliBefore', 'bare'],
    RUNS,
  );
  printTable(results.map(({ bench, samples }) => summarise(bench, samples)));
  printFlushed(results);
  printBare(results);
  printBaseline(results);
}

/** A site whose scenarios send `out/` to the server or retrieve from it, with the engine's defaults. */
function siteConfig(profile, scenario) {
  const scenarios = {
    UP: { profile: 'BENCH', protocol: 'sftp', source: './out', settle: '0s', retrieve: { enabled: false }, options: { remoteDir: 'up' } },
    DOWN: { profile: 'BENCH', protocol: 'sftp', options: { inbox: 'down', afterRetrieve: 'keep' } },
    SMALL: { profile: 'BENCH', protocol: 'sftp', source: './out', settle: '0s', retrieve: { enabled: false }, options: { remoteDir: 'small' } },
  };
  return { root: './ordo-data', naming: { timestamp: false }, profiles: { BENCH: { sftp: profile } }, scenarios: { [scenario]: scenarios[scenario] } };
}

function summarise(bench, samples) {
  const rate = (tool) => bench.bytes / MiB / median(samples[tool].map((sample) => sample.seconds));
  const filesRate = (tool) => (bench.files === undefined ? undefined : bench.files / median(samples[tool].map((sample) => sample.seconds)));
  return {
    name: bench.name,
    openssh: rate('openssh'),
    protocol: rate('protocol'),
    cli: rate('cli'),
    files: { openssh: filesRate('openssh'), protocol: filesRate('protocol'), cli: filesRate('cli') },
    rss: { openssh: peak(samples.openssh), protocol: peak(samples.protocol), cli: peak(samples.cli) },
  };
}

function printTable(rows) {
  const speed = (row, tool) =>
    row.files[tool] === undefined ? `${row[tool].toFixed(0)} MiB/s` : `${row[tool].toFixed(2)} MiB/s (${row.files[tool].toFixed(0)} files/s)`;
  const lines = [
    `SFTP on 127.0.0.1, OpenSSH sshd, cipher ${CIPHER} on both sides, median of ${RUNS} runs`,
    '',
    '| transfer | OpenSSH sftp | ordo sftp protocol | ratio | ordo CLI (send/retrieve) | ratio | ordo peak RSS (protocol / CLI) |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.name} | ${speed(row, 'openssh')} | ${speed(row, 'protocol')} | ${(row.protocol / row.openssh).toFixed(2)} | ${speed(row, 'cli')} | ${(row.cli / row.openssh).toFixed(2)} | ${mib(row.rss.protocol)} / ${mib(row.rss.cli)} MiB |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Downloads against OpenSSH with its file flushed to disk as ordo's is. */
function printFlushed(results) {
  for (const { bench, samples } of results) {
    if (samples.opensshFlushed.length === 0) continue;
    const seconds = (tool) => median(samples[tool].map((sample) => sample.seconds));
    const rate = (tool) => (bench.bytes / MiB / seconds(tool)).toFixed(0);
    process.stdout.write(
      `\n${bench.name}, OpenSSH's file flushed to disk as ordo's is (\`sftp\` then \`sync FILE\`): ${rate('opensshFlushed')} MiB/s; ` +
        `ordo's protocol: ${(seconds('opensshFlushed') / seconds('protocol')).toFixed(2)} of it, the CLI: ${(seconds('opensshFlushed') / seconds('cli')).toFixed(2)}\n`,
    );
  }
}

/** The bare ssh2 client, where a case has it: what the same requests cost without ordo's code. */
function printBare(results) {
  for (const { bench, samples } of results) {
    if (samples.bare.length === 0) continue;
    const seconds = (tool) => median(samples[tool].map((sample) => sample.seconds));
    const filesRate = (tool) => (bench.files / seconds(tool)).toFixed(0);
    process.stdout.write(
      `\n${bench.name}, bare ssh2 client sending the same requests (bench/sftp/bare-ssh2.mjs): ${filesRate('bare')} files/s, ` +
        `${(seconds('openssh') / seconds('bare')).toFixed(2)} of OpenSSH; ordo's protocol: ${(seconds('bare') / seconds('protocol')).toFixed(2)} of the bare client\n`,
    );
  }
}

function expectCount(dir, count) {
  const actual = readdirSync(dir).filter((name) => !name.startsWith('.')).length;
  if (actual !== count) throw new Error(`${dir}: ${actual} files instead of ${count}`);
}

/** With BENCH_BASELINE: the other build's CLI, measured in turn with this one's. */
function printBaseline(results) {
  if (baseline === undefined) return;
  process.stdout.write(`\nCLI before/after: before = ${baseline}, after = ${project}\n`);
  for (const { bench, samples } of results) {
    const seconds = (tool) => median(samples[tool].map((sample) => sample.seconds));
    process.stdout.write(
      `${bench.name}: before ${seconds('cliBefore').toFixed(2)} s (${(seconds('openssh') / seconds('cliBefore')).toFixed(2)} of OpenSSH), ` +
        `after ${seconds('cli').toFixed(2)} s (${(seconds('openssh') / seconds('cli')).toFixed(2)} of OpenSSH), peak RSS ${mib(peak(samples.cliBefore))} / ${mib(peak(samples.cli))} MiB\n`,
    );
  }
}
