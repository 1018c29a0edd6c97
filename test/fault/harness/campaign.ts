// A kill -9 campaign: rounds of new files to send and to retrieve, each round an `ordo run` killed at a
// random moment (seeded), then clean runs, then the promises checked file by file.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { OpenSshServer } from '../../../fixtures/peers/sftp/openssh-server.mjs';
import { contentIndex, entries, filesUnder, sha256, shown, strayFiles } from './files.js';
import type { Figures } from './figures.js';
import { otherVolume, MiB, type OtherVolume } from '../../helpers/volumes.js';
import { prng, type Prng } from './prng.js';
import { ordoRun, runAndKill, type Run } from './run.js';

export interface CampaignOptions {
  label: string;
  protocol: 'local' | 'sftp';
  crossVolume: boolean;
  kills: number;
  seed: number;
  server?: OpenSshServer;
}

export interface CampaignOutcome {
  send: Figures;
  receive: Figures;
  /** Every broken promise, one line each (empty when all held). */
  problems: string[];
  kills: number;
  completedRuns: number;
  cleanRuns: Run[];
  seconds: number;
}

interface Layout {
  base: string;
  source: string;
  root: string;
  /** Local folders where the partner's files are (for SFTP, the folders the server shows). */
  target: string;
  inbox: string;
  other?: OtherVolume;
  cleanup(): Promise<void>;
}

const SMALL_PER_ROUND = 2;

export async function killCampaign(options: CampaignOptions): Promise<CampaignOutcome> {
  const began = performance.now();
  const random = prng(options.seed);
  const layout = makeLayout(options);
  try {
    writeConfig(layout, options);
    const sent = new Map<string, string>();
    const received = new Map<string, string>();
    const run = { cwd: layout.base };

    // Calibration: when a cycle starts working here (its first lock appears) and when it ends, unkilled.
    const locks = join(layout.root, 'locks');
    const working = (pid: number): boolean => holdsALock(locks, pid);
    addRound(layout, random, 0, sent, received);
    const calibration = await runAndKill(['run'], run, { event: working, afterEventMs: 600_000 });
    if (calibration.code !== 0) throw new Error(`the calibration run failed (exit ${calibration.code}):\n${calibration.stdout}\n${calibration.stderr}`);
    const workStarts = calibration.eventAtMs ?? calibration.ms / 2;
    let cycle = Math.max(calibration.ms - workStarts, 50);

    let kills = 0;
    let completedRuns = 0;
    /** Kills after which something was visibly half-done (a claim, a queued item, a temporary file). */
    let interrupted = 0;
    for (let round = 1; kills < options.kills && round <= options.kills * 3; round++) {
      addRound(layout, random, round, sent, received);
      // Mostly while the cycle works (from its first lock to a little after its expected end); one
      // kill in eight anywhere from the spawn on, start-up and recovery included.
      const plan =
        random.next() < 0.125
          ? { afterSpawnMs: random.between(0, workStarts + cycle) }
          : { event: working, afterEventMs: random.between(0, cycle * 1.1) };
      const result = await runAndKill(['run'], run, plan);
      if (result.killed) {
        kills++;
        if (workInProgress(layout)) interrupted++;
      } else {
        completedRuns++;
        // A run that ended before its kill says how long a cycle takes now: a calibration run slowed down
        // (a cold start, a busy machine) would otherwise leave most later kills too late to land.
        if (result.eventAtMs !== undefined) cycle = Math.max(Math.min(cycle, (result.ms - result.eventAtMs) * 1.25), 50);
      }
    }

    const cleanRuns = [await ordoRun(['run'], run), await ordoRun(['run', '--json'], run)];
    const problems: string[] = [];
    if (kills < options.kills) problems.push(`only ${kills} of ${options.kills} runs could be killed before they ended`);
    if (cleanRuns[0]!.code !== 0) problems.push(`the first clean run after the kills exited with ${cleanRuns[0]!.code}:\n${cleanRuns[0]!.stdout}${cleanRuns[0]!.stderr}`);
    if (cleanRuns[1]!.code !== 0) problems.push(`the second clean run exited with ${cleanRuns[1]!.code}:\n${cleanRuns[1]!.stdout}${cleanRuns[1]!.stderr}`);
    else {
      const again = (JSON.parse(cleanRuns[1]!.stdout) as { files: Array<{ name: string; status: string }> }).files;
      if (again.length > 0) problems.push(`the second clean run still had work: ${again.map((f) => `${f.name}:${f.status}`).join(', ')}`);
    }
    const send = checkSend(layout, options.label, sent, kills, problems);
    const receive = checkReceive(layout, options.label, received, kills, problems);
    const seconds = (performance.now() - began) / 1000;
    const notes = `seed ${options.seed}; ${interrupted} kills left work half-done; ${completedRuns} runs ended before their kill; ${seconds.toFixed(0)} s`;
    return { send: { ...send, notes }, receive: { ...receive, notes }, problems, kills, completedRuns, cleanRuns, seconds };
  } finally {
    if (process.env.ORDO_FAULT_KEEP === '1') console.log(`[fault] ${options.label}: kept ${layout.base}${layout.other ? ` and ${layout.other.dir}` : ''} (ORDO_FAULT_KEEP=1)`);
    else await layout.cleanup();
  }
}

function makeLayout(options: CampaignOptions): Layout {
  const base = mkdtempSync(join(tmpdir(), 'ordo-fault-kill-'));
  const other = options.crossVolume ? otherVolume(512 * MiB) : undefined;
  const source = join(other?.dir ?? base, 'export');
  const root = join(base, 'ordo-data');
  let target: string;
  let inbox: string;
  let serverDir: string | undefined;
  if (options.protocol === 'sftp') {
    if (options.server === undefined) throw new Error('an SFTP campaign needs a server');
    serverDir = join(options.server.files, `kill-${randomBytes(4).toString('hex')}`);
    target = join(serverDir, 'depot');
    inbox = join(serverDir, 'retours');
  } else {
    target = join(base, 'partner', 'in');
    // Cross-volume: the partner's folder is on the other volume too (downloads cross volumes).
    inbox = join(other?.dir ?? base, 'partner-out');
  }
  for (const dir of [source, target, inbox]) mkdirSync(dir, { recursive: true });
  return {
    base,
    source,
    root,
    target,
    inbox,
    ...(other ? { other } : {}),
    async cleanup() {
      rmSync(base, { recursive: true, force: true });
      if (serverDir) rmSync(serverDir, { recursive: true, force: true });
      await other?.cleanup();
    },
  };
}

function writeConfig(layout: Layout, options: CampaignOptions): void {
  const server = options.server;
  const sftp =
    options.protocol === 'sftp' && server
      ? server.profile
      : undefined;
  const remote = (dir: string): string => relative(server?.files ?? '', dir);
  const config = {
    root: './ordo-data',
    naming: { timestamp: false },
    profiles: { VILLE: { label: 'Ville de Saint-Exemple', ...(sftp ? { sftp } : {}) } },
    scenarios: {
      PES: {
        profile: 'VILLE',
        protocol: options.protocol,
        source: layout.source,
        settle: '0s',
        filter: ['*.xml', '*.bin'],
        retries: { attempts: 2, backoff: '10ms' },
        options:
          options.protocol === 'sftp'
            ? { remoteDir: remote(layout.target), inbox: remote(layout.inbox), afterRetrieve: 'delete' }
            : { target: layout.target, inbox: layout.inbox },
      },
    },
  };
  writeFileSync(join(layout.base, 'ordo.config.json'), JSON.stringify(config, null, 2));
}

/**
 * Two small files each way, and every other round a larger one (a few MB, so that kills land mid-copy;
 * 8 MiB or more one round in four, so that they land while a big file's transfer runs beside its hash).
 */
function addRound(layout: Layout, random: Prng, round: number, sent: Map<string, string>, received: Map<string, string>): void {
  const tag = String(round).padStart(3, '0');
  const add = (folder: string, name: string, size: number, book: Map<string, string>): void => {
    const data = Buffer.concat([Buffer.from(`${name}\n`), random.bytes(size)]);
    writeFileSync(join(folder, name), data);
    book.set(name, sha256(data));
  };
  for (let k = 0; k < SMALL_PER_ROUND; k++) {
    add(layout.source, `PES_${tag}_${k}.xml`, random.int(200, 200_000), sent);
    add(layout.inbox, `ACK_${tag}_${k}.xml`, random.int(200, 200_000), received);
  }
  // One round in four sends a file big enough to start its transfer while it is hashed (8 MiB and more).
  if (round % 2 === 0) add(layout.source, `PES_${tag}_gros.bin`, round % 4 === 2 ? random.int(8 * MiB, 10 * MiB) : random.int(2 * MiB, 5 * MiB), sent);
  if (round % 2 === 1 || round === 0) add(layout.inbox, `ACK_${tag}_gros.bin`, random.int(2 * MiB, 5 * MiB), received);
}

/** Whether process `pid` holds one of the locks (a lock names its owner: `"pid": 1234`). */
function holdsALock(locks: string, pid: number): boolean {
  if (!existsSync(locks)) return false;
  const owner = new RegExp(`"pid"\\s*:\\s*${pid}\\b`);
  for (const name of readdirSync(locks)) {
    if (!name.endsWith('.lock')) continue;
    try {
      if (owner.test(readFileSync(join(locks, name), 'utf8'))) return true;
    } catch {
      // Released between the listing and the read.
    }
  }
  return false;
}

function workInProgress(layout: Layout): boolean {
  return (
    entries(layout.source).some((name) => name.startsWith('.')) ||
    filesUnder(join(layout.root, 'queue')).length > 0 ||
    strayFiles(layout.target).length > 0 ||
    strayFiles(join(layout.root, 'recus', 'VILLE')).length > 0 ||
    strayFiles(join(layout.root, 'backup', 'PES')).length > 0
  );
}

/** Where a file that did not arrive is now: the answer a user would need. */
function whereIs(layout: Layout, name: string): string {
  const places: string[] = [];
  for (const entry of entries(layout.source)) if (entry === name || entry.endsWith(`.${name}`)) places.push(`source/${entry}`);
  for (const folder of ['queue', 'failed', 'backup']) {
    for (const file of filesUnder(join(layout.root, folder))) if (file.split('/').pop()!.includes(name)) places.push(`${folder}/${file}`);
  }
  return places.length === 0 ? 'found nowhere' : `found at ${places.join(', ')}`;
}

function checkSend(layout: Layout, label: string, sent: Map<string, string>, kills: number, problems: string[]): Figures {
  const figures: Figures = { case: `kill -9, ${label}, send`, kills, files: sent.size, lost: 0, duplicated: 0, partial: 0, leftovers: 0 };
  const atPartner = contentIndex(layout.target);
  const backups = contentIndex(join(layout.root, 'backup', 'PES'));
  const known = new Set(sent.keys());
  for (const [name, hash] of sent) {
    const holders = atPartner.get(hash) ?? [];
    if (holders.length === 0) {
      figures.lost++;
      problems.push(`send: ${name} is not at the partner (${whereIs(layout, name)})`);
    } else if (holders.length > 1) {
      figures.duplicated++;
      problems.push(`send: ${name} is at the partner ${holders.length} times: ${holders.map(shown).join(', ')}`);
    } else if (holders[0] !== name) {
      problems.push(`send: ${name} arrived as ${shown(holders[0]!)}`);
    }
    if (holders.length > 0 && !backups.has(hash)) problems.push(`send: ${name} was sent but has no backup copy in backup/PES/`);
  }
  for (const path of strayFiles(layout.target)) {
    figures.leftovers++;
    problems.push(`send: temporary file left in the partner's folder: ${shown(path)}`);
  }
  for (const name of entries(layout.target)) {
    if (name.startsWith('.')) continue;
    if (!known.has(name) || !(atPartner.get(sent.get(name)!) ?? []).includes(name)) {
      figures.partial++;
      problems.push(`send: ${shown(name)} at the partner is not a complete copy of a source file`);
    }
  }
  for (const name of entries(layout.source)) {
    if (name.startsWith('.')) {
      figures.leftovers++;
      problems.push(`send: left in the source folder: ${shown(name)}`);
    }
  }
  for (const file of filesUnder(join(layout.root, 'queue'))) {
    figures.leftovers++;
    problems.push(`send: left in queue/: ${file}`);
  }
  for (const path of strayFiles(join(layout.root, 'backup', 'PES'))) {
    figures.leftovers++;
    problems.push(`send: temporary file left in the backup folder: ${shown(path)}`);
  }
  for (const file of filesUnder(join(layout.root, 'failed'))) {
    if (file.endsWith('.reason.txt') || file.includes('.incomplete')) continue;
    const name = file.split('/').pop()!;
    if (known.has(name) && (atPartner.get(sent.get(name)!) ?? []).length > 0) {
      figures.duplicated++;
      problems.push(`send: ${name} was delivered and another copy was set aside in failed/${file}`);
    } else {
      problems.push(`send: set aside in failed/${file}`);
    }
  }
  return figures;
}

function checkReceive(layout: Layout, label: string, received: Map<string, string>, kills: number, problems: string[]): Figures {
  const figures: Figures = { case: `kill -9, ${label}, retrieve`, kills, files: received.size, lost: 0, duplicated: 0, partial: 0, leftovers: 0 };
  const recus = join(layout.root, 'recus', 'VILLE');
  const arrived = contentIndex(recus);
  const hashes = new Set(received.values());
  const stillThere = new Set(filesUnder(layout.inbox));
  for (const [name, hash] of received) {
    const holders = arrived.get(hash) ?? [];
    if (holders.length === 0) {
      figures.lost++;
      const failed = filesUnder(join(layout.root, 'failed')).filter((f) => f.includes(name));
      problems.push(`retrieve: ${name} is not in recus/VILLE/ (${stillThere.has(name) ? 'still on the partner' : 'gone from the partner'}${failed.length ? `; failed/${failed.join(', failed/')}` : ''})`);
    } else if (holders.length > 1) {
      figures.duplicated++;
      problems.push(`retrieve: ${name} is in recus/VILLE/ ${holders.length} times: ${holders.map(shown).join(', ')}`);
    }
  }
  for (const path of strayFiles(recus)) {
    figures.leftovers++;
    problems.push(`retrieve: temporary file left in recus/VILLE/: ${shown(path)}`);
  }
  for (const [hash, names] of arrived) {
    if (hashes.has(hash)) continue;
    for (const name of names.filter((n) => !n.startsWith('.'))) {
      figures.partial++;
      problems.push(`retrieve: recus/VILLE/${shown(name)} is not a complete copy of a partner's file`);
    }
  }
  for (const name of filesUnder(layout.inbox)) {
    figures.leftovers++;
    problems.push(`retrieve: left on the partner's side: ${shown(name)}`);
  }
  for (const file of filesUnder(join(layout.root, 'failed'))) {
    if (!file.includes('.incomplete') || file.endsWith('.reason.txt')) continue;
    figures.leftovers++;
    problems.push(`retrieve: incomplete download kept in failed/${file}`);
  }
  if (!existsSync(recus)) problems.push('retrieve: recus/VILLE/ was never created');
  return figures;
}
