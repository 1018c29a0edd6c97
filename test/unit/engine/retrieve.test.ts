import { existsSync, readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { retrieve } from '../../../src/core/retrieve.js';
import { runCycle, shouldRetrieveInWatch } from '../../../src/core/cycle.js';
import { readJournal } from '../../../src/core/journal.js';
import { scenario, workspace, type Workspace } from '../../helpers/workspace.js';

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());
const all = { scenarios: [], profiles: [] };

async function fetchAll(w: Workspace, listOnly = false, dryRun = false) {
  const engine = w.engine({ dryRun, now: () => new Date(2026, 10, 23, 9, 5, 7) });
  try {
    return await retrieve(engine, { selection: all, listOnly });
  } finally {
    await engine.close();
  }
}

describe('retrieve through the local protocol', () => {
  it('downloads into recus/<profile>/ with the timestamp suffix, journals, then acknowledges', async () => {
    ws = workspace();
    ws.config.naming = { timestamp: true, rename: false, search: [] };
    ws.write(ws.inbox, 'RCT290G.xml', 'retour');
    const result = await fetchAll(ws);
    expect(result.exitCode).toBe(0);
    const recus = join(ws.root, 'recus', 'VILLE');
    expect(readdirSync(recus)).toEqual(['RCT290G_20261123_090507.xml']);
    expect(readFileSync(join(recus, 'RCT290G_20261123_090507.xml'), 'utf8')).toBe('retour');
    expect(readdirSync(ws.inbox)).toEqual([]);
    expect((await readJournal(ws.root)).map((e) => e.state)).toEqual(['placing', 'received', 'acknowledged']);
  });

  it('neutralises announced names: nothing is written outside recus/<profile>/', async () => {
    ws = workspace();
    ws.write(ws.inbox, 'CON.xml', 'reserved');
    ws.write(ws.inbox, ' trailing. ', 'dots');
    await fetchAll(ws);
    const recus = join(ws.root, 'recus', 'VILLE');
    const names = readdirSync(recus).sort();
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).not.toMatch(/^(con)(\.|$)|[. ]$/i);
    expect(readdirSync(ws.root).sort()).toEqual(['journal', 'journal-index', 'locks', 'logs', 'recus']);
  });

  it('never overwrites a file already in recus: numbered suffix', async () => {
    ws = workspace();
    const recus = join(ws.root, 'recus', 'VILLE');
    mkdirSync(recus, { recursive: true });
    writeFileSync(join(recus, 'a.xml'), 'older');
    ws.write(ws.inbox, 'a.xml', 'newer');
    await fetchAll(ws);
    expect(readFileSync(join(recus, 'a.xml'), 'utf8')).toBe('older');
    const others = readdirSync(recus).filter((n) => n !== 'a.xml');
    expect(others).toHaveLength(1);
    expect(readFileSync(join(recus, others[0]!), 'utf8')).toBe('newer');
  });

  it('with afterRetrieve keep, the journal alone prevents a second download', async () => {
    ws = workspace((dir) => {
      const { source: _unused, ...retrieveOnly } = scenario('TD', dir, { options: { inbox: join(dir, 'partner', 'out'), afterRetrieve: 'keep' } });
      return [retrieveOnly];
    });
    ws.write(ws.inbox, 'teledossier-1.xml', '<td/>');
    const first = await fetchAll(ws);
    expect(first.files.map((f) => f.status)).toEqual(['received']);
    const second = await fetchAll(ws);
    expect(second.files).toEqual([]);
    expect(readdirSync(join(ws.root, 'recus', 'VILLE'))).toHaveLength(1);
    expect(readdirSync(ws.inbox)).toEqual(['teledossier-1.xml']);
  });

  it('--list only lists; --dry-run downloads nothing', async () => {
    ws = workspace();
    ws.write(ws.inbox, 'a.xml', 'x');
    const listed = await fetchAll(ws, true);
    expect(listed.files.map((f) => [f.name, f.status])).toEqual([['a.xml', 'waiting']]);
    const dry = await fetchAll(ws, false, true);
    expect(dry.files.map((f) => f.status)).toEqual(['would-receive']);
    expect(existsSync(join(ws.root, 'recus'))).toBe(false);
    expect(readdirSync(ws.inbox)).toEqual(['a.xml']);
  });

  it('run: sends then retrieves in one cycle', async () => {
    ws = workspace();
    ws.write(ws.source, 'out.xml', 'out');
    ws.write(ws.inbox, 'in.xml', 'in');
    const engine = ws.engine();
    const result = await runCycle(engine, all);
    await engine.close();
    expect(result.files.map((f) => [f.name, f.status])).toEqual([
      ['out.xml', 'sent'],
      ['in.xml', 'received'],
    ]);
    expect(readFileSync(join(ws.root, 'logs', 'last.log'), 'utf8')).toMatch(/out\.xml/);
  });
});

describe('send-only scenarios', () => {
  it('a scenario with no inbox retrieves nothing in a cycle, without a problem; asked by name, it says why', async () => {
    ws = workspace((dir) => [scenario('RETOURS', dir, { options: { target: join(dir, 'partner', 'in') } })]);
    ws.write(ws.source, 'statut.xml', 'x');
    const engine = ws.engine();
    const cycle = await runCycle(engine, all);
    const named = await retrieve(engine, { selection: { scenarios: ['RETOURS'], profiles: [] }, listOnly: false });
    await engine.close();
    expect(cycle.problems).toEqual([]);
    expect(cycle.exitCode).toBe(0);
    // The scenario is named by the problem's `scenario`, never again inside its message.
    expect(named.problems).toEqual([{ scenario: 'RETOURS', message: expect.stringMatching(/^no folder to retrieve from \(options\.inbox\)/) }]);
  });
});

describe('watch retrieval hours', () => {
  const base = (at: string[], afterSend = true) => scenario('S', '/tmp', { retrieve: { enabled: true, afterSend, at } });
  it('retrieves every cycle without hours', () => {
    expect(shouldRetrieveInWatch(base([]), false, undefined, new Date())).toBe(true);
  });
  it('retrieves when the clock passes a set hour, or after a send', () => {
    const since = new Date(2026, 10, 23, 17, 59, 30);
    const now = new Date(2026, 10, 23, 18, 0, 30);
    expect(shouldRetrieveInWatch(base(['18:00']), false, since, now)).toBe(true);
    expect(shouldRetrieveInWatch(base(['19:00']), false, since, now)).toBe(false);
    expect(shouldRetrieveInWatch(base(['19:00']), true, since, now)).toBe(true);
    expect(shouldRetrieveInWatch(base(['19:00'], false), true, since, now)).toBe(false);
  });
});
