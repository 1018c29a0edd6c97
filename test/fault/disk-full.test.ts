// A full disk (a small tmpfs mounted by the test, as root) under each folder ordo writes to: the queue,
// the backup folder, the partner's folder (local), recus/, and the upload folder of an SFTP server.
// Expected: the file that does not fit fails with a message naming the folder, the others still go,
// exit code 1, nothing lost (each file delivered, still in the source, or queued), no temporary file
// left; once space is freed, one clean run delivers the rest exactly once.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSshServer, type OpenSshServer } from '../../fixtures/peers/sftp/openssh-server.mjs';
import { contentIndex, entries, filesUnder, sha256, sha256OfFile, shown, strayFiles } from './harness/files.js';
import { printTable, record } from './harness/figures.js';
import { MiB, mountTmpfs, unmount, unmountAll } from '../helpers/volumes.js';
import { ordoRun, type Run } from './harness/run.js';
import { faultSite, type FaultSite } from './harness/site.js';

/** A volume of 8 MiB with 5 MiB taken by a filler: the small files fit, the 4 MiB one does not. */
// BIG does not fit beside the filler, the small files do; BIG is big enough to start its transfer while
// it is hashed (8 MiB and more): a full backup volume then fails that file while its transfer runs.
const VOLUME = 16 * MiB;
const FILLER = 12 * MiB;
const BIG = 9 * MiB;
const SMALL = 6;

let server: OpenSshServer;

beforeAll(async () => {
  server = await startOpenSshServer();
});

afterAll(async () => {
  printTable('full disk');
  try {
    await (server as OpenSshServer | undefined)?.stop(); // undefined when beforeAll failed
  } finally {
    await unmountAll();
  }
});

type Where = 'queue' | 'backup' | 'target' | 'recus' | 'sftp-upload';

interface Prepared {
  site: FaultSite;
  /** The mount point of the full volume. */
  volume: string;
  /** How the folder is named in messages (a local path, or the remote path). */
  folderName: string;
  /** Where the partner's copy lands (send) or recus (retrieve). */
  arrival: string;
  direction: 'send' | 'retrieve';
  cleanup(): Promise<void>;
}

function prepare(where: Where): Prepared {
  const site = faultSite(`disk-${where}`);
  let volume: string;
  let folderName: string;
  let arrival = site.target;
  let direction: 'send' | 'retrieve' = 'send';
  let remoteBase: string | undefined;
  switch (where) {
    case 'queue':
      volume = mountTmpfs(join(site.root, 'queue'), VOLUME);
      folderName = volume;
      site.config();
      break;
    case 'backup':
      volume = mountTmpfs(join(site.base, 'backup-volume'), VOLUME);
      folderName = join(volume, 'PES');
      site.config({ backup: { dir: folderName } });
      break;
    case 'target':
      volume = mountTmpfs(join(site.base, 'partner-volume'), VOLUME);
      folderName = arrival = join(volume, 'in');
      mkdirSync(arrival);
      site.config({ options: { target: arrival } });
      break;
    case 'recus':
      volume = mountTmpfs(join(site.root, 'recus'), VOLUME);
      folderName = volume;
      arrival = site.recus;
      direction = 'retrieve';
      site.config();
      break;
    case 'sftp-upload': {
      remoteBase = join(server.files, `vol-${randomBytes(4).toString('hex')}`);
      volume = mountTmpfs(remoteBase, VOLUME);
      arrival = join(volume, 'depot');
      mkdirSync(arrival);
      folderName = relative(server.files, arrival);
      site.config(
        { protocol: 'sftp', options: { remoteDir: folderName } },
        {
          profiles: {
            VILLE: {
              label: 'Ville de Saint-Exemple',
              sftp: server.profile,
            },
          },
        },
      );
      break;
    }
  }
  writeFileSync(join(volume, 'filler.bin'), Buffer.alloc(FILLER, 1));
  return {
    site,
    volume,
    folderName,
    arrival,
    direction,
    async cleanup() {
      await unmount(volume);
      site.cleanup();
      if (remoteBase) rmSync(remoteBase, { recursive: true, force: true });
    },
  };
}

/** Files a user would find: where each original is (arrived, still in the source or inbox, queued). */
function states(p: Prepared, originals: Map<string, string>): { arrived: string[]; waiting: string[]; queued: string[]; lost: string[]; duplicated: string[] } {
  const out = { arrived: [] as string[], waiting: [] as string[], queued: [] as string[], lost: [] as string[], duplicated: [] as string[] };
  const arrived = contentIndex(p.arrival);
  const waitingIn = p.direction === 'send' ? p.site.source : p.site.inbox;
  const queue = join(p.site.root, 'queue');
  const queuedFiles = filesUnder(queue).filter((f) => f !== 'filler.bin');
  for (const [name, hash] of originals) {
    const holders = arrived.get(hash) ?? [];
    if (holders.length > 1) out.duplicated.push(name);
    if (holders.length > 0) out.arrived.push(name);
    else if (existsSync(join(waitingIn, name)) && sha256OfFile(join(waitingIn, name)) === hash) out.waiting.push(name);
    else if (queuedFiles.some((f) => f.endsWith(`/${name}`) && sha256OfFile(join(queue, f)) === hash)) out.queued.push(name);
    else out.lost.push(name);
  }
  return out;
}

/** Temporary or half-written files where a partner or a user looks. */
function leftovers(p: Prepared, originals: Map<string, string>): string[] {
  const found: string[] = [];
  const hashes = new Set(originals.values());
  for (const path of strayFiles(p.arrival)) found.push(`${p.arrival}/${shown(path)}`);
  if (p.arrival !== p.site.recus) for (const path of strayFiles(p.site.recus)) found.push(`recus/VILLE/${shown(path)}`);
  for (const path of strayFiles(p.site.source)) found.push(`source/${shown(path)}`);
  for (const path of strayFiles(p.site.inbox)) found.push(`inbox/${shown(path)}`);
  const backup = p.folderName.endsWith('PES') && p.direction === 'send' && existsSync(p.folderName) ? p.folderName : join(p.site.root, 'backup', 'PES');
  for (const path of strayFiles(backup)) found.push(`backup/${shown(path)}`);
  const queue = join(p.site.root, 'queue');
  for (const file of filesUnder(queue)) {
    if (file === 'filler.bin') continue;
    if (!hashes.has(sha256OfFile(join(queue, file)))) found.push(`queue/${file} (not a complete copy)`);
  }
  for (const path of filesUnder(p.volume)) if (path.split('/').some((part) => part.startsWith('.'))) found.push(`${p.volume}/${shown(path)}`);
  return found;
}

function said(p: Prepared, run: Run): string {
  const log = join(p.site.root, 'logs', 'last.log');
  return `${run.stdout}\n${run.stderr}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`;
}

const CASES: Array<{ where: Where; title: string }> = [
  { where: 'queue', title: 'the queue (<root>/queue on a full volume; the claim crosses volumes)' },
  { where: 'backup', title: 'the backup folder (backup.dir)' },
  { where: 'target', title: "the partner's folder (local options.target)" },
  { where: 'recus', title: 'recus/ (<root>/recus), while retrieving' },
  { where: 'sftp-upload', title: "the SFTP server's upload folder (OpenSSH sshd serving a full volume)" },
];

describe.concurrent('a full disk', () => {
  for (const { where, title } of CASES) {
    it(`on ${title}: the rest goes, exit 1, nothing lost; after freeing space, delivered exactly once`, async () => {
      const p = prepare(where);
      try {
        const originals = new Map<string, string>();
        const folder = p.direction === 'send' ? p.site.source : p.site.inbox;
        const add = (name: string, size: number): void => {
          const data = Buffer.concat([Buffer.from(`${name}\n`), randomBytes(size)]);
          writeFileSync(join(folder, name), data);
          originals.set(name, sha256(data));
        };
        add('PES_GROS.xml', BIG);
        for (let i = 1; i <= SMALL; i++) add(`PES_${String(i).padStart(2, '0')}.xml`, 20_000 + i * 7_000);

        const first = await ordoRun(['run'], { cwd: p.site.base });
        const afterFirst = states(p, originals);
        const leftFirst = leftovers(p, originals);
        const text = said(p, first);

        rmSync(join(p.volume, 'filler.bin'));
        const second = await ordoRun(['run'], { cwd: p.site.base });
        const third = await ordoRun(['run', '--json'], { cwd: p.site.base });
        const afterSecond = states(p, originals);
        const leftSecond = leftovers(p, originals);
        const queueLeft = filesUnder(join(p.site.root, 'queue')).filter((f) => f !== 'filler.bin');

        record({
          case: `full ${where}`,
          files: originals.size,
          lost: afterSecond.lost.length,
          duplicated: afterSecond.duplicated.length,
          partial: 0,
          leftovers: new Set([...leftFirst, ...leftSecond]).size,
          notes: `1st run exit ${first.code}: ${afterFirst.arrived.length} arrived, ${afterFirst.waiting.length} waiting, ${afterFirst.queued.length} queued, ${afterFirst.lost.length} lost; after freeing exit ${second.code}`,
        });

        const problems: string[] = [];
        // While the volume is full.
        if (first.code !== 1) problems.push(`first run: exit code ${first.code}, expected 1:\n${first.stdout}${first.stderr}`);
        if (!text.includes(p.folderName)) problems.push(`first run: no message names the full folder ${p.folderName}:\n${first.stdout}${first.stderr}`);
        if (where !== 'sftp-upload' && !/ENOSPC|no space|disk (is )?full|full|espace|plein/i.test(text)) problems.push('first run: no message says that the disk is full');
        const smalls = [...originals.keys()].filter((n) => n !== 'PES_GROS.xml');
        const smallsMissing = smalls.filter((n) => !afterFirst.arrived.includes(n));
        if (smallsMissing.length > 0) problems.push(`first run: files that fit did not go: ${smallsMissing.join(', ')}`);
        if (afterFirst.lost.length > 0) problems.push(`first run: neither arrived, nor waiting, nor queued: ${afterFirst.lost.join(', ')}`);
        for (const left of leftFirst) problems.push(`first run: left behind: ${left}`);
        // Once space is freed.
        if (second.code !== 0) problems.push(`after freeing space: exit code ${second.code}, expected 0:\n${second.stdout}${second.stderr}`);
        if (afterSecond.arrived.length !== originals.size) problems.push(`after freeing space: not arrived: ${[...originals.keys()].filter((n) => !afterSecond.arrived.includes(n)).join(', ')}`);
        if (afterSecond.duplicated.length > 0) problems.push(`after freeing space: arrived more than once: ${afterSecond.duplicated.join(', ')}`);
        for (const left of leftSecond) problems.push(`after freeing space: left behind: ${left}`);
        for (const file of queueLeft) problems.push(`after freeing space: still in queue/: ${file}`);
        const failed = filesUnder(join(p.site.root, 'failed'));
        for (const file of failed) problems.push(`set aside in failed/ (not retried by itself): ${file}`);
        if (third.code !== 0 || (JSON.parse(third.stdout) as { files: unknown[] }).files.length !== 0) problems.push(`a third run still had work (exit ${third.code}): ${third.stdout}`);
        if (p.direction === 'retrieve') {
          const stillOnPartner = entries(p.site.inbox);
          if (stillOnPartner.length > 0) problems.push(`after freeing space: still on the partner's side: ${stillOnPartner.join(', ')}`);
        } else if (entries(p.site.source).length > 0) {
          problems.push(`after freeing space: still in the source: ${entries(p.site.source).map(shown).join(', ')}`);
        }
        expect(problems, problems.join('\n')).toEqual([]);
      } finally {
        await p.cleanup();
      }
    }, 60_000);
  }
});
