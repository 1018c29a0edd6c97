// The `tedeco` protocol through bin/ordo: concurrent senders sharing one application space, a run
// killed mid-way, `tedeco-request` and `diagnose`.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordo, ordoAsync, waitExit } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const EAD = 'ECIVIL';
const RECORD = 8;

interface TedecoSite {
  dir: string;
  requests: string;
  root: string;
}

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Two tedeco scenarios of one collectivité writing into the same application space, with one root (shared counters). */
function tedecoSite(scenarioExtra: Record<string, unknown> = {}): TedecoSite {
  dir = mkdtempSync(join(tmpdir(), 'ordo-e2e-tedeco-'));
  const requests = join(dir, 'tedeco', 'ead', EAD);
  for (const folder of [requests, join(dir, 'tedeco', 'eaa', 'a001'), join(dir, 'tedeco', 'eaa', 'a020'), join(dir, 'export')]) mkdirSync(folder, { recursive: true });
  const scenario = {
    profile: 'VILLE',
    protocol: 'tedeco',
    settle: '0s',
    retries: { attempts: 1, backoff: '10ms' },
    options: { type: 'etatcivil', recordLength: RECORD, rfa: 'EC[var2]' },
    ...scenarioExtra,
  };
  const config = {
    root: './ordo-data',
    profiles: { VILLE: { tedeco: { spool: './tedeco', alias: 'INSEE', ead: EAD } } },
    scenarios: { EC_A: scenario, EC_B: scenario },
  };
  writeFileSync(join(dir, 'ordo.config.json'), JSON.stringify(config, null, 2));
  return { dir, requests, root: join(dir, 'ordo-data') };
}

/** A file of whole records whose content says who it is. */
function recordsFile(folder: string, name: string, records = 3): string {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, name);
  writeFileSync(path, `${name.slice(0, RECORD).padEnd(RECORD, '-')}\r\n`.repeat(records));
  return path;
}

interface Pair {
  number: string;
  fields: Record<string, string>;
  data: string;
}

function spoolState(requests: string): { pairs: Pair[]; requestsWithoutData: string[]; dataWithoutRequest: string[]; hidden: string[] } {
  const names = readdirSync(requests);
  const pairs: Pair[] = [];
  const requestsWithoutData: string[] = [];
  const dataWithoutRequest: string[] = [];
  for (const name of names) {
    const match = /^(rq|fi)([0-9]+)\./.exec(name);
    if (match === null) continue;
    const partner = `${match[1] === 'rq' ? 'fi' : 'rq'}${name.slice(2)}`;
    if (!names.includes(partner)) (match[1] === 'rq' ? requestsWithoutData : dataWithoutRequest).push(name);
    else if (match[1] === 'rq') {
      const text = new TextDecoder('windows-1252').decode(readFileSync(join(requests, name)));
      const fields = Object.fromEntries(text.split('\r\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
      pairs.push({ number: match[2]!, fields, data: readFileSync(join(requests, partner), 'latin1') });
    }
  }
  return { pairs, requestsWithoutData, dataWithoutRequest, hidden: names.filter((name) => name.startsWith('.')) };
}

describe('tedeco through bin/ordo', () => {
  it('two processes sending 50 files each into one application space: 100 distinct numbers, 100 complete pairs', async () => {
    const site = tedecoSite();
    const files = (prefix: string) => Array.from({ length: 50 }, (_, i) => recordsFile(join(site.dir, prefix), `${prefix}${String(i).padStart(3, '0')}.txt`));
    const a = files('A');
    const b = files('B');
    const runs = [ordoAsync(['send', '--scenario', 'EC_A', '--no-retrieve', '--json', ...a], { cwd: site.dir }), ordoAsync(['send', '--scenario', 'EC_B', '--no-retrieve', '--json', ...b], { cwd: site.dir })];
    const results = await Promise.all(runs.map(waitExit));
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as { files: Array<{ status: string }> }).files.filter((f) => f.status === 'sent')).toHaveLength(50);
    }
    const state = spoolState(site.requests);
    expect(state.requestsWithoutData).toEqual([]);
    expect(state.dataWithoutRequest).toEqual([]);
    expect(state.hidden).toEqual([]);
    expect(state.pairs).toHaveLength(100);
    expect(new Set(state.pairs.map((pair) => pair.number)).size).toBe(100);
    // One collectivité, one application space: the état civil sequence is shared too.
    expect(state.pairs.map((pair) => Number(pair.fields.var2)).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    for (const pair of state.pairs) {
      expect(pair.fields.data).toBe(`fi${pair.number}.${EAD}`);
      expect(pair.data.slice(0, RECORD)).toBe(pair.fields.nomfic!.slice(0, RECORD));
      expect(pair.fields.var1).toBe('3');
    }
    expect(state.pairs.map((pair) => pair.fields.nomfic).sort()).toEqual([...a, ...b].map((path) => path.slice(path.lastIndexOf('/') + 1)).sort());
  });

  it('a process killed mid-run leaves no request without its data, and the next run delivers every file exactly once', async () => {
    const site = tedecoSite({ source: './export' });
    const names = Array.from({ length: 60 }, (_, i) => `K${String(i).padStart(3, '0')}.txt`);
    for (const name of names) recordsFile(join(site.dir, 'export'), name, 512);
    const child = ordoAsync(['send', '--scenario', 'EC_A', '--no-retrieve'], { cwd: site.dir });
    let ended = false;
    const exited = waitExit(child).finally(() => (ended = true));
    // Aim for the worst moment: a data file already there, its request not yet (else after a few pairs).
    await waitFor(
      () => {
        const state = spoolState(site.requests);
        return state.dataWithoutRequest.length > 0 || state.pairs.length >= 10;
      },
      { what: 'a data file without its request, or 10 pairs, in the spool', everyMs: 2, gaveUp: () => (ended ? 'the send ended before' : undefined) },
    );
    child.kill('SIGKILL');
    expect((await exited).signal, 'killed mid-run, not finished').toBe('SIGKILL');

    const killed = spoolState(site.requests);
    expect(killed.requestsWithoutData).toEqual([]);
    expect(killed.pairs.length).toBeLessThan(names.length);

    const again = ordo(['send', '--scenario', 'EC_A', '--no-retrieve', '--json'], { cwd: site.dir });
    expect(again.code, again.stderr).toBe(0);
    const state = spoolState(site.requests);
    expect(state.requestsWithoutData).toEqual([]);
    expect(state.dataWithoutRequest).toEqual([]);
    // At most a temporary copy of the killed moment stays behind, hidden (ignored by the agent, reported by diagnose after a day).
    expect(state.hidden.length).toBeLessThanOrEqual(1);
    for (const hidden of state.hidden) expect(hidden).toMatch(/^\.(fi|rq)[0-9]+\.ECIVIL\.[0-9a-f]{12}\.ordo-part$/);
    expect(state.pairs.map((pair) => pair.fields.nomfic).sort()).toEqual(names);
    for (const pair of state.pairs) expect(pair.data.slice(0, RECORD)).toBe(pair.fields.nomfic!.slice(0, RECORD));
    expect(readdirSync(join(site.dir, 'export'))).toEqual([]);
  });

  it('tedeco-request: --dry-run changes nothing; then the pair is written; diagnose reports a request the agent never took', () => {
    const site = tedecoSite();
    const file = recordsFile(join(site.dir, 'in'), 'EC202412.txt');
    const dry = ordo(['tedeco-request', file, '--scenario', 'EC_A', '--dry-run', '--json'], { cwd: site.dir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).files).toMatchObject([{ status: 'would-send', remoteId: `rq0001.${EAD}` }]);
    expect(readdirSync(site.requests)).toEqual([]);
    expect(existsSync(site.root)).toBe(false);

    const real = ordo(['tedeco-request', file, '--scenario', 'EC_A'], { cwd: site.dir });
    expect(real.code, real.stderr).toBe(0);
    expect(readdirSync(site.requests).sort()).toEqual([`fi0001.${EAD}`, `rq0001.${EAD}`]);

    const old = new Date(Date.now() - 30 * 3_600_000);
    utimesSync(join(site.requests, `rq0001.${EAD}`), old, old);
    const diagnose = ordo(['diagnose', 'EC_A', '--json', '--lang', 'en'], { cwd: site.dir });
    expect(diagnose.code).toBe(6);
    const checks = JSON.parse(diagnose.stdout).checks as Array<{ id: string; status: string; message: string; fix?: string }>;
    expect(checks.find((check) => check.id === 'tedeco.pending')).toMatchObject({ status: 'fail', message: expect.stringContaining(`rq0001.${EAD}`), fix: expect.stringContaining('tmpxted') });

    const notTedeco = ordo(['tedeco-request', file], { cwd: site.dir });
    expect(notTedeco.code).toBe(2);
  });
});
