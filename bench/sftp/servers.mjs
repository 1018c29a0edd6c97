#!/usr/bin/env node
// SFTP benchmark on the servers partners run besides OpenSSH: ordo's sftp protocol against OpenSSH's
// own `sftp` client, on ProFTPD mod_sftp and on `rclone serve sftp` (its default: no VFS cache), each
// on 127.0.0.1 with the same cipher pinned on both sides (aes128-gcm@openssh.com). For each server: a
// BENCH_SIZE_MIB (default 200) MiB upload and download, best of BENCH_RUNS (default 3) runs of each
// tool, taken in turn. ordo flushes a download to disk before reporting it: `sftp` is timed followed by
// `sync FILE`, the same guarantee. OpenSSH sshd is measured the same way for reference. Uploads are also
// made by a bare ssh2 client (bare-upload.mjs: ordered writes of ssh2's request size, nothing else): what
// the library alone reaches on that server.
//
// Usage: npm run build && node bench/sftp/servers.mjs   (BENCH_RUNS, BENCH_SIZE_MIB, BENCH_SERVERS=proftpd,rclone,openssh, BENCH_DIR)
// Not part of `npm test`.
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOpenSshServer } from '../../fixtures/peers/sftp/openssh-server.mjs';
import { startProftpdServer } from '../../fixtures/peers/sftp/proftpd-server.mjs';
import { startRcloneServer } from '../../fixtures/peers/sftp/rclone-server.mjs';
import { MiB, expectSize, measure, runCases, writeRandomFile } from '../lib.mjs';

const CIPHER = 'aes128-gcm@openssh.com';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 200);
const SERVERS = (process.env.BENCH_SERVERS ?? 'proftpd,rclone,openssh').split(',');
const STARTERS = {
  proftpd: { label: 'ProFTPD 1.3.8 mod_sftp', start: () => startProftpdServer() },
  // The listing cache off: between runs the benchmark removes the uploaded file behind rclone's back.
  rclone: { label: 'rclone serve sftp 1.60 (no VFS cache)', start: () => startRcloneServer({ dirCacheTime: '0s' }) },
  openssh: { label: 'OpenSSH sshd (reference)', start: () => startOpenSshServer({ ciphers: [CIPHER] }) },
};

const project = fileURLToPath(new URL('../..', import.meta.url));
const runner = join(project, 'bench', 'sftp', 'protocol-runner.mjs');
const bareUploader = join(project, 'bench', 'sftp', 'bare-upload.mjs');
if (!existsSync(join(project, 'dist', 'protocols', 'sftp', 'protocol.js'))) {
  process.stderr.write('Build first: npm run build\n');
  process.exit(2);
}

const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ordo-bench-sftp-servers-'));
try {
  const big = join(work, 'big.bin');
  process.stderr.write(`Preparing ${SIZE_MIB} MiB of random data in ${work}…\n`);
  await writeRandomFile(big, SIZE_MIB * MiB);
  const rows = [];
  for (const name of SERVERS) {
    const starter = STARTERS[name];
    if (starter === undefined) throw new Error(`unknown server ${name} (proftpd, rclone, openssh)`);
    const server = await starter.start();
    try {
      process.stderr.write(`== ${starter.label}\n`);
      rows.push(...(await benchServer(starter.label, server, big)));
    } finally {
      await server.stop();
    }
  }
  printTable(rows);
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function benchServer(label, server, big) {
  const remote = (path) => join(server.files, path);
  for (const dir of ['up', 'down']) mkdirSync(remote(dir));
  linkSync(big, remote('down/big.bin'));
  const knownHosts = join(work, `known_hosts-${server.port}`);
  writeFileSync(knownHosts, `${server.knownHostsLines.join('\n')}\n`);
  const profile = { ...server.profile, ciphers: [CIPHER] };
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
  const protocol = (options, ...args) => {
    const settings = join(work, 'protocol-settings.json');
    writeFileSync(settings, JSON.stringify({ profile, options, root: work }));
    return measure(process.execPath, [runner, settings, ...args], { cwd: work });
  };
  const clearUp = () => {
    for (const entry of readdirSync(remote('up'))) rmSync(join(remote('up'), entry), { force: true });
  };
  const cases = [
    {
      name: `${label}: ${SIZE_MIB} MiB upload`,
      openssh: () => measure('sftp', opensshArgs(`put "${big}" up/big.bin`), { cwd: work }),
      protocol: () => protocol({ remoteDir: 'up' }, 'upload', big, 'big.bin'),
      bare: () => {
        const settings = join(work, 'bare-settings.json');
        writeFileSync(settings, JSON.stringify({ profile }));
        return measure(process.execPath, [bareUploader, settings, big, 'up/big.bin'], { cwd: work });
      },
      check: () => expectSize(remote('up/big.bin'), SIZE_MIB * MiB),
      reset: clearUp,
    },
    {
      name: `${label}: ${SIZE_MIB} MiB download`,
      openssh: () => measure('sh', ['-c', 'sftp "$@" && sync -- "$0"', download, ...opensshArgs(`get down/big.bin "${download}"`)], { cwd: work }),
      protocol: () => protocol({ inbox: 'down', afterRetrieve: 'keep' }, 'download', 'big.bin', download),
      check: () => expectSize(download, SIZE_MIB * MiB),
      reset: () => rmSync(download, { force: true }),
    },
  ];
  const results = await runCases(cases, ['openssh', 'protocol', 'bare'], RUNS);
  return results.map(({ bench, samples }) => {
    const best = (tool) => Math.min(...samples[tool].map((sample) => sample.seconds));
    return { name: bench.name, openssh: SIZE_MIB / best('openssh'), protocol: SIZE_MIB / best('protocol'), bare: samples.bare.length > 0 ? SIZE_MIB / best('bare') : undefined };
  });
}

function printTable(rows) {
  const lines = [
    `SFTP on 127.0.0.1, cipher ${CIPHER} on both sides, best of ${RUNS} runs; downloads flushed to disk by both (sftp then sync FILE)`,
    '',
    '| transfer | OpenSSH sftp | ordo sftp protocol | ratio | bare ssh2 client (bare-upload.mjs) | ratio |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => {
      const bare = row.bare === undefined ? '| — | — |' : `| ${row.bare.toFixed(0)} MiB/s | ${(row.bare / row.openssh).toFixed(2)} |`;
      return `| ${row.name} | ${row.openssh.toFixed(0)} MiB/s | ${row.protocol.toFixed(0)} MiB/s | ${(row.protocol / row.openssh).toFixed(2)} ${bare}`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
