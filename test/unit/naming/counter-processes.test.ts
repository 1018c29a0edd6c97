// Counters shared by several processes, and a process killed while it takes numbers.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCounterStore, readIniCounter } from '../../../src/naming/index.js';
import { legacyAutomateIni } from '../../helpers/automate-ini.js';

const WORKER = fileURLToPath(new URL('../../helpers/counter-worker.mjs', import.meta.url));
const COMPILED = fileURLToPath(new URL('../../../dist/naming/index.js', import.meta.url));

let dir: string;
let ini: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  if (!existsSync(COMPILED)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before these tests');
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ordo-counter-procs-'));
  ini = join(dir, 'automate.ini');
  await writeFile(ini, legacyAutomateIni('0001'));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

function startWorker(kind: 'ini' | 'file', path: string, count: number, counter = 'numrec') {
  const child = spawn(process.execPath, [WORKER, join(dir, 'data'), kind, path, String(count), counter], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    numbers: () => out.split('\n').filter((line) => line !== ''),
    stderr: () => err,
  };
}

async function storedNumrec(): Promise<string> {
  return readIniCounter(await readFile(ini), ini).lastUsed ?? '';
}

describe('counters across processes', () => {
  it('two processes taking 200 numbers each get 400 distinct numbers', async () => {
    const a = startWorker('ini', ini, 200);
    const b = startWorker('ini', ini, 200);
    expect(await a.exited, a.stderr()).toBe(0);
    expect(await b.exited, b.stderr()).toBe(0);
    const all = [...a.numbers(), ...b.numbers()];
    expect(all).toHaveLength(400);
    expect(new Set(all).size).toBe(400);
    expect(all.map(Number).sort((x, y) => x - y)).toEqual(Array.from({ length: 400 }, (_, i) => i + 2));
    expect(await storedNumrec()).toBe('0401');
    // Only the digits changed: the legacy file is otherwise byte-identical.
    expect((await readFile(ini)).equals(legacyAutomateIni('0401'))).toBe(true);
  });

  it('the same holds for the counters file of JSON/YAML configurations', async () => {
    const file = join(dir, 'data', 'counters.json');
    const a = startWorker('file', file, 100, 'tedeco.request');
    const b = startWorker('file', file, 100, 'tedeco.request');
    expect(await a.exited, a.stderr()).toBe(0);
    expect(await b.exited, b.stderr()).toBe(0);
    const all = [...a.numbers(), ...b.numbers()];
    expect(new Set(all).size).toBe(200);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ 'tedeco.request': '0200' });
  });

  it('a process killed while taking numbers never causes a number to be reused', async () => {
    const seen = new Set<string>();
    for (const stopAfter of [5, 23, 61]) {
      const worker = startWorker('ini', ini, 1_000_000);
      await waitFor(() => worker.numbers().length >= stopAfter);
      worker.child.kill('SIGKILL');
      await worker.exited;

      const stored = Number(await storedNumrec());
      for (const value of worker.numbers()) {
        expect(Number(value)).toBeLessThanOrEqual(stored);
        expect(seen.has(value)).toBe(false);
        seen.add(value);
      }
      // The dead process's lock does not block the next run, and its next number is new.
      const next = await openCounterStore({ root: join(dir, 'data'), counters: { kind: 'ini', path: ini } }).next('numrec');
      expect(Number(next.value)).toBe(stored + 1);
      expect(seen.has(next.value)).toBe(false);
      seen.add(next.value);
      expect((await readFile(ini)).equals(legacyAutomateIni(next.value))).toBe(true);
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
