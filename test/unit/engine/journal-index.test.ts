// The journal index answers the engine's questions as a full read of the journal would, whatever
// happened to it: every lookup is checked against the journal itself (the last line of each key),
// after catch-ups, after crash-like damage (torn bucket, stale or spoiled state.json, a month file
// missing, shorter or replaced), and with two processes appending and catching up at once.
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, readJournal, type JournalEntry } from '../../../src/core/journal.js';
import { JournalIndex } from '../../../src/core/journal-index.js';
import { COMPLETED, RECORD_SIZE, ackKey, entryKeys, pathKey, recvKey } from '../../../src/core/journal-index-keys.js';
import { diagnoseJournal } from '../../../src/core/journal-index-recent.js';

const WORKER = fileURLToPath(new URL('./journal-index-worker.mjs', import.meta.url));
const COMPILED = fileURLToPath(new URL('../../../dist/core/journal-index.js', import.meta.url));

let root: string;
let journalDir: string;
let indexDir: string;
const opened: JournalIndex[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ordo-journal-index-'));
  journalDir = join(root, 'journal');
  indexDir = join(root, 'journal-index');
  mkdirSync(journalDir, { recursive: true });
});
afterEach(() => {
  for (const index of opened.splice(0)) index.close();
  rmSync(root, { recursive: true, force: true });
});

function openIndex(at = root): JournalIndex {
  const index = new JournalIndex(at);
  opened.push(index);
  return index;
}

/** Writes journal lines straight into month files, as many runs would have over time. */
function writeHistory(month: string, files: number, options: { from?: number; scenarios?: string[] } = {}): void {
  const scenarios = options.scenarios ?? ['PES', 'HELIOS'];
  const from = options.from ?? 0;
  const lines: string[] = [];
  const time = `${month.slice(0, 4)}-${month.slice(4)}-10T10:00:00.000Z`;
  for (let i = from; i < from + files; i++) {
    const scenario = scenarios[i % scenarios.length]!;
    const path = `/spool/queue/${scenario}/${month}-${i}/f${i}.xml`;
    // Some content comes back: the last acknowledgement of a sha256 must win.
    const sha256 = `sha-${i % 97}`;
    const line = (state: string, extra: Record<string, unknown> = {}) =>
      lines.push(JSON.stringify({ time, run: `run-${month}-${i}`, scenario, direction: 'send', state, file: `f${i}.xml`, size: i, sha256, path, ...extra }));
    line('sending', { backup: `/backup/f${i}.xml` });
    if (i % 11 === 0) line('deferred', { reason: 'réseau' });
    else if (i % 13 === 0) line('uncertain');
    else line(i % 5 === 0 ? 'pending' : 'sent', { remoteId: `R${i}` });
    if (i % 3 === 0) {
      const key = `P|sftp|in-${i % 200}|${i % 7}|`;
      const receive = (state: string) => lines.push(JSON.stringify({ time, run: `run-${month}-${i}`, scenario, direction: 'receive', state, file: `in${i}`, path: `/recus/in${i}`, key }));
      if (i % 9 === 0) receive('fetch-failed');
      else {
        receive('placing');
        // One in 27: the run died while placing it.
        if (i % 27 !== 6) {
          receive('received');
          if (i % 2 === 0) receive('acknowledged');
        }
      }
    }
  }
  appendFileSync(join(journalDir, `${month}.jsonl`), `${lines.join('\n')}\n`);
}

/** The journal's own answer: the last line of each key, read in full. */
async function expected(): Promise<{ byKey: Map<string, JournalEntry>; last: Map<string, JournalEntry>; placing: Set<string> }> {
  const byKey = new Map<string, JournalEntry>();
  const last = new Map<string, JournalEntry>();
  for (const entry of await readJournal(root)) {
    for (const key of entryKeys(entry)) byKey.set(key, entry);
    if (COMPLETED.has(entry.state)) last.set(entry.scenario, entry);
  }
  const placing = new Set<string>();
  for (const [key, entry] of byKey) if (key.startsWith('recv:') && entry.state === 'placing') placing.add(entry.path!);
  return { byKey, last, placing };
}

/** Every key the journal has, a few it has not, and the last transfer of each scenario. */
async function expectAllLookups(index: JournalIndex): Promise<number> {
  const { byKey, last, placing } = await expected();
  expect([...(await index.unfinishedPlacingPaths())].sort()).toEqual([...placing].sort());
  for (const [key, entry] of byKey) expect(await index.lookup(key), key).toEqual(entry);
  for (const key of [pathKey('/spool/queue/PES/none/x.xml'), ackKey('PES', 'sha-none'), recvKey('P|sftp|none||'), ackKey('OTHER', 'sha-1')]) {
    expect(await index.lookup(key), key).toBeUndefined();
  }
  for (const scenario of ['PES', 'HELIOS', 'OTHER']) expect(await index.lastTransfer(scenario), scenario).toEqual(last.get(scenario));
  return byKey.size;
}

function buckets(dir = indexDir): string[] {
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { generation: string };
  return readdirSync(join(dir, state.generation)).map((name) => join(dir, state.generation, name));
}

/** Every record of the index, each once, sorted: what two builds must agree on. */
function recordSet(dir = indexDir): string[] {
  const records = new Set<string>();
  for (const file of buckets(dir)) {
    const data = readFileSync(file);
    for (let at = 0; at + RECORD_SIZE <= data.length; at += RECORD_SIZE) records.add(data.subarray(at, at + RECORD_SIZE).toString('hex'));
  }
  return [...records].sort();
}

/** The records of an index built at once from a copy of the journal. */
async function freshRecordSet(): Promise<string[]> {
  const copy = mkdtempSync(join(tmpdir(), 'ordo-journal-index-fresh-'));
  try {
    cpSync(journalDir, join(copy, 'journal'), { recursive: true });
    await openIndex(copy).catchUp();
    return recordSet(join(copy, 'journal-index'));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

describe('journal index', () => {
  it('answers every lookup as a full read of the journal does, across months', async () => {
    writeHistory('202510', 400);
    writeHistory('202511', 400, { from: 400 });
    writeHistory('202512', 300, { from: 800 });
    const index = openIndex();
    const report = await index.catchUp();
    expect(report.rebuilt).toBe('first');
    // The journal folder keeps only its month files (scripts and text tools read every file in it).
    expect(readdirSync(journalDir).sort()).toEqual(['202510.jsonl', '202511.jsonl', '202512.jsonl']);
    expect(await expectAllLookups(index)).toBeGreaterThan(1500);
    // The duplicate question: the last acknowledgement of a content, not any line of it.
    const acknowledged = await index.acknowledged('HELIOS', 'sha-3');
    expect(acknowledged?.state === 'sent' || acknowledged?.state === 'pending').toBe(true);
    expect(acknowledged?.time.startsWith('2025-12')).toBe(true);
  });

  it('catches up only what was appended since, including a new month, without rebuilding', async () => {
    writeHistory('202511', 300);
    const index = openIndex();
    await index.catchUp();
    const before = statSync(join(journalDir, '202511.jsonl')).size;
    writeHistory('202511', 50, { from: 300 });
    writeHistory('202512', 80, { from: 350 });
    const report = await index.catchUp();
    expect(report.rebuilt).toBeUndefined();
    expect(report.bytes).toBe(statSync(join(journalDir, '202511.jsonl')).size - before + statSync(join(journalDir, '202512.jsonl')).size);
    expect((await index.catchUp()).bytes).toBe(0);
    await expectAllLookups(index);
    // Another process's view after the same catch-ups.
    await expectAllLookups(openIndex());
  });

  it('sees the lines its own process appends at once, before and after the next catch-up', async () => {
    writeHistory('202511', 100);
    const index = openIndex();
    await index.catchUp();
    const journal = new Journal(root, 'own-run');
    const now = new Date(2026, 10, 20, 12);
    const path = '/spool/queue/PES/own/own.xml';
    await journal.append({ scenario: 'PES', direction: 'send', state: 'sending', file: 'own.xml', sha256: 'sha-own', path }, now);
    expect((await index.lastSend(path))?.state).toBe('sending');
    expect(await index.acknowledged('PES', 'sha-own')).toBeUndefined();
    await journal.append({ scenario: 'PES', direction: 'send', state: 'sent', file: 'own.xml', sha256: 'sha-own', path, remoteId: 'X' }, now);
    expect((await index.lastSend(path))?.state).toBe('sent');
    expect((await index.acknowledged('PES', 'sha-own'))?.file).toBe('own.xml');
    expect((await index.lastTransfer('PES'))?.file).toBe('own.xml');
    const unfinished = await index.unfinishedPlacingPaths();
    await journal.append({ scenario: 'PES', direction: 'receive', state: 'placing', file: 'in.xml', path: '/recus/.in.part', key: 'P|local|in.xml||' }, now);
    expect((await index.received('P|local|in.xml||'))?.state).toBe('placing');
    expect(await index.unfinishedPlacingPaths()).toEqual(new Set([...unfinished, '/recus/.in.part']));
    await journal.append({ scenario: 'PES', direction: 'receive', state: 'received', file: 'in.xml', path: '/recus/in.xml', key: 'P|local|in.xml||' }, now);
    expect((await index.received('P|local|in.xml||'))?.state).toBe('received');
    expect(await index.unfinishedPlacingPaths()).toEqual(unfinished);
    await journal.close();
    // Another process sees them after its catch-up; this one still after its own.
    const other = openIndex();
    expect((await other.lastSend(path))?.state).toBe('sent');
    await index.catchUp();
    expect((await index.lastSend(path))?.state).toBe('sent');
    expect(await index.lookupAll(pathKey(path))).toHaveLength(2);
    await expectAllLookups(index);
  });

  it('a torn record at the end of buckets (crash mid-append) is ignored, then written over on catch-up', async () => {
    writeHistory('202511', 300);
    await openIndex().catchUp();
    const torn = buckets().slice(0, 40);
    for (const file of torn) appendFileSync(file, Buffer.alloc(13, 0xab));
    const index = openIndex();
    await expectAllLookups(index);
    writeHistory('202511', 300, { from: 300 });
    const report = await index.catchUp();
    expect(report.rebuilt).toBeUndefined();
    // The buckets written to had their torn end written over: no record is misaligned.
    const written = torn.filter((file) => statSync(file).size % RECORD_SIZE === 0);
    expect(written.length).toBeGreaterThan(0);
    for (const file of torn) expect([0, 13], file).toContain(statSync(file).size % RECORD_SIZE);
    expect(recordSet()).toEqual(await freshRecordSet());
    await expectAllLookups(index);
    await expectAllLookups(openIndex());
  });

  it('a crash between the records and the mark only repeats records', async () => {
    writeHistory('202511', 200);
    const index = openIndex();
    await index.catchUp();
    const stale = readFileSync(join(indexDir, 'state.json'));
    writeHistory('202511', 100, { from: 200 });
    await index.catchUp();
    // The mark as it was before: the same lines are indexed a second time.
    writeFileSync(join(indexDir, 'state.json'), stale);
    const again = openIndex();
    const report = await again.catchUp();
    expect(report.rebuilt).toBeUndefined();
    expect(report.bytes).toBeGreaterThan(0);
    await expectAllLookups(again);
    const path = '/spool/queue/HELIOS/202511-251/f251.xml';
    expect((await again.lookupAll(pathKey(path))).map((entry) => entry.state)).toEqual(['sending', 'sent']);
  });

  it.each([
    ['unreadable', () => writeFileSync(join(indexDir, 'state.json'), '{"version":1,"generation":')],
    ['version', () => writeFileSync(join(indexDir, 'state.json'), readFileSync(join(indexDir, 'state.json'), 'utf8').replace('"version":1', '"version":999'))],
    ['generation', () => rmSync(join(indexDir, (JSON.parse(readFileSync(join(indexDir, 'state.json'), 'utf8')) as { generation: string }).generation), { recursive: true })],
    ['month-missing', () => rmSync(join(journalDir, '202510.jsonl'))],
    ['month-shorter', () => truncateSync(join(journalDir, '202511.jsonl'), statSync(join(journalDir, '202511.jsonl')).size - 1000)],
    [
      'month-changed',
      () => {
        // Another file in the month's place, longer than the mark: its byte before the mark is not a line end.
        const path = join(journalDir, '202511.jsonl');
        const text = readFileSync(path, 'utf8');
        writeFileSync(path, ` ${text}`);
      },
    ],
  ])('a mark that does not fit the journal (%s) makes a rebuild that answers right', async (reason, damage) => {
    writeHistory('202510', 200);
    writeHistory('202511', 200, { from: 200 });
    const logged: string[] = [];
    await openIndex().catchUp();
    damage();
    const index = new JournalIndex(root, { log: (key, params) => logged.push(`${key} ${String(params.reason)}`) });
    opened.push(index);
    const report = await index.catchUp();
    expect(report.rebuilt).toBe(reason);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^engine\.journalIndexRebuilt /);
    await expectAllLookups(index);
    // Only the new generation is left.
    expect(readdirSync(indexDir).filter((name) => name.startsWith('g'))).toHaveLength(1);
  });

  it('an index open while another run rebuilt it (its generation removed): the next lookups take up the new one and answer right', async () => {
    writeHistory('202511', 300);
    const index = openIndex();
    await index.catchUp();
    rmSync(join(indexDir, (JSON.parse(readFileSync(join(indexDir, 'state.json'), 'utf8')) as { generation: string }).generation), { recursive: true });
    expect((await openIndex().catchUp()).rebuilt).toBe('generation');
    expect(await expectAllLookups(index)).toBeGreaterThan(300);
  });

  it('a rebuild holds the same records as a fresh build, and a build the same as catch-ups', async () => {
    writeHistory('202510', 150);
    const index = openIndex();
    await index.catchUp();
    writeHistory('202510', 150, { from: 150 });
    await index.catchUp();
    writeHistory('202511', 150, { from: 300 });
    await index.catchUp();
    const incremental = recordSet();
    expect(await freshRecordSet()).toEqual(incremental);
    writeFileSync(join(indexDir, 'state.json'), 'garbage');
    expect((await openIndex().catchUp()).rebuilt).toBe('unreadable');
    expect(recordSet()).toEqual(incremental);
  });

  it('a line torn by a crash: the next line glued to it is found; a line still being written waits', async () => {
    writeHistory('202511', 20);
    const month = join(journalDir, '202511.jsonl');
    const glued = { time: '2025-11-20T10:00:00.000Z', run: 'r', scenario: 'PES', direction: 'send', state: 'sent', file: 'g.xml', sha256: 'sha-glued', path: '/q/PES/g/g.xml' };
    appendFileSync(month, `{"time":"2025-11-20T09:59:00.000Z","run":"dead","scen${JSON.stringify(glued)}\n`);
    const index = openIndex();
    await index.catchUp();
    expect(await index.acknowledged('PES', 'sha-glued')).toEqual(glued);
    // Half a line (another run is writing it): not indexed until its end is there.
    const whole = JSON.stringify({ ...glued, file: 'h.xml', sha256: 'sha-half', path: '/q/PES/h/h.xml' });
    appendFileSync(month, whole.slice(0, 40));
    await index.catchUp();
    expect(await index.acknowledged('PES', 'sha-half')).toBeUndefined();
    appendFileSync(month, `${whole.slice(40)}\n`);
    await index.catchUp();
    expect((await index.acknowledged('PES', 'sha-half'))?.file).toBe('h.xml');
    expect((await index.lookup(pathKey('/q/PES/h/h.xml')))?.file).toBe('h.xml');
  });

  it('names from the journal are only names: a scenario called constructor or __proto__', async () => {
    writeHistory('202511', 30, { scenarios: ['constructor', '__proto__', 'toString'] });
    const index = openIndex();
    await index.catchUp();
    await expectAllLookups(index);
    for (const scenario of ['constructor', '__proto__', 'toString']) expect((await openIndex().lastTransfer(scenario))?.scenario).toBe(scenario);
    expect(await index.lastTransfer('hasOwnProperty')).toBeUndefined();
  });

  it('an empty spool: nothing found, a small index, nothing logged', async () => {
    const logged: string[] = [];
    const index = new JournalIndex(join(root, 'fresh'), { log: (key) => logged.push(key) });
    opened.push(index);
    const report = await index.catchUp();
    expect(report.rebuilt).toBe('first');
    expect(await index.acknowledged('PES', 'x')).toBeUndefined();
    expect(await index.lastTransfer('PES')).toBeUndefined();
    expect(logged).toEqual([]);
  });
});

describe('what diagnose reads of the journal', () => {
  const monthsAgo = (n: number) => {
    const now = new Date();
    const date = new Date(now.getFullYear(), now.getMonth() - n, 1);
    return `${date.getFullYear()}${String(date.getMonth() + 1).padStart(2, '0')}`;
  };

  it('the recent months in full, and from the index the older last transfer and the last state of queued items', async () => {
    writeHistory(monthsAgo(6), 100, { scenarios: ['OLD', 'PES'] });
    writeHistory(monthsAgo(1), 50, { from: 100, scenarios: ['PES'] });
    writeHistory(monthsAgo(0), 50, { from: 150, scenarios: ['PES'] });
    // An item queued six months ago whose last word is `sending` (interrupted), still in the queue.
    const item = join(root, 'queue', 'OLD', 'item-1');
    mkdirSync(item, { recursive: true });
    writeFileSync(join(item, 'stuck.xml'), 'x');
    const stuck = { time: '2020-01-01T00:00:00.000Z', run: 'r', scenario: 'OLD', direction: 'send', state: 'sending', file: 'stuck.xml', path: join(item, 'stuck.xml') };
    appendFileSync(join(journalDir, `${monthsAgo(6)}.jsonl`), `${JSON.stringify(stuck)}\n`);
    // Without an index, diagnose reads the recent months and creates nothing.
    const withoutIndex = await diagnoseJournal(root, ['OLD', 'PES']);
    expect(withoutIndex).toEqual(await readJournal(root, { months: 2 }));
    expect(existsSync(indexDir)).toBe(false);
    await openIndex().catchUp();
    const all = await readJournal(root);
    const lastOld = all.findLast((entry) => entry.scenario === 'OLD' && COMPLETED.has(entry.state))!;
    // A line written after the last catch-up (another run's), found too.
    const late = { ...stuck, time: '2020-01-02T00:00:00.000Z', state: 'deferred', reason: 'réseau' };
    appendFileSync(join(journalDir, `${monthsAgo(6)}.jsonl`), `${JSON.stringify(late)}\n`);
    const read = await diagnoseJournal(root, ['OLD', 'PES']);
    const recent = await readJournal(root, { months: 2 });
    expect(read.slice(-recent.length)).toEqual(recent);
    const older = read.slice(0, read.length - recent.length);
    expect(older).toContainEqual(lastOld);
    expect(older.find((entry) => entry.state === 'sending' && entry.path === lastOld.path)).toBeDefined();
    expect(older).toContainEqual(late);
    expect(older).not.toContainEqual(stuck);
    expect(older.length).toBeLessThan(5);
  });
});

describe('journal index with two processes on one spool', () => {
  const run = (scenario: string, count: number, damage = false) =>
    new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [WORKER, root, scenario, String(count), ...(damage ? ['damage'] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, stderr }));
    });

  it.each([
    ['appending and catching up', false],
    ['one of them spoiling state.json now and then (rebuilds under the other’s reads)', true],
  ])('every lookup is right: %s', async (_name, damage) => {
    if (!existsSync(COMPILED)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before these tests');
    writeHistory('202511', 200);
    const [a, b] = await Promise.all([run('A', 120, damage), run('B', 120)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const index = openIndex();
    await index.catchUp();
    expect(await expectAllLookups(index)).toBeGreaterThan(120 * 2 * 2);
    for (const scenario of ['A', 'B']) {
      for (let i = 0; i < 120; i++) {
        const path = `/q/${scenario}/${i}/${scenario}-${i}.xml`;
        expect((await index.lastSend(path))?.state, path).toBe('sent');
        expect((await index.received(`P|local|${scenario}-remote-${i}|`))?.state).toBe('acknowledged');
      }
      expect((await index.lastTransfer(scenario))?.file).toBe(`in-119`);
    }
    // The damaged index is left whole, with one generation, and agrees with a fresh build.
    const incremental = recordSet();
    writeFileSync(join(indexDir, 'state.json'), 'garbage');
    await openIndex().catchUp();
    expect(recordSet()).toEqual(incremental);
  });
});
