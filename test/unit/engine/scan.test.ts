import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scan } from '../../../src/core/scan.js';
import { scenario, workspace, type Workspace } from '../../helpers/workspace.js';

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());
const runsAsRoot = process.getuid?.() === 0;

async function scanAll(w: Workspace) {
  const engine = w.engine({ dryRun: true });
  try {
    return await scan(engine, { scenarios: [], profiles: [] });
  } finally {
    await engine.close();
  }
}

describe('scan', () => {
  it('finds names with spaces, brackets, parentheses and accents, sorted, with why the others wait', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { filter: ['*.xml'] })]);
    for (const name of ['état civil [2026] (1).xml', 'a b.xml', 'Ñandú.xml']) ws.write(ws.source, name, 'x');
    ws.write(ws.source, 'vide.xml', '');
    const result = await scanAll(ws);
    const files = result.scenarios[0]!.files;
    expect(files.filter((f) => f.ready).map((f) => f.name)).toEqual(['a b.xml', 'Ñandú.xml', 'état civil [2026] (1).xml'].sort());
    expect(files.find((f) => f.name === 'vide.xml')).toMatchObject({ ready: false });
    expect(files.find((f) => f.name === 'vide.xml')?.why).toMatch(/empty|vide/);
  });

  it('walks sub-folders when a pattern asks for them, and reports one it cannot read without stopping', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { filter: ['**/*.xml'] })]);
    ws.write(join(ws.source, 'ok'), 'a.xml', 'a');
    ws.write(join(ws.source, 'locked'), 'b.xml', 'b');
    ws.write(ws.source, 'c.xml', 'c');
    chmodSync(join(ws.source, 'locked'), 0o000);
    // root reads anything: look as an ordinary user (effective uid only, restored below).
    if (runsAsRoot) {
      chmodSync(ws.dir, 0o755);
      chmodSync(ws.source, 0o755);
      chmodSync(join(ws.source, 'ok'), 0o755);
      process.seteuid!(65534);
    }
    try {
      const result = await scanAll(ws);
      const entry = result.scenarios[0]!;
      expect(entry.files.map((f) => f.name).sort()).toEqual(['c.xml', 'ok/a.xml']);
      expect(entry.unreadable).toEqual([join(ws.source, 'locked')]);
    } finally {
      if (runsAsRoot) process.seteuid!(0);
      chmodSync(join(ws.source, 'locked'), 0o755);
    }
  });

  it('reports a missing source folder as a problem naming the scenario key', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { source: join(dir, 'nowhere') })]);
    const result = await scanAll(ws);
    expect(result.problems[0]?.message).toMatch(/nowhere/);
    expect(result.problems[0]?.fix).toMatch(/scenarios\.PES\.source/);
    expect(result.exitCode).toBe(1);
  });

  it('a scenario without a source folder (retrieve only) is not scanned', async () => {
    ws = workspace((dir) => {
      const { source: _none, ...retrieveOnly } = scenario('TD', dir);
      return [retrieveOnly];
    });
    mkdirSync(join(ws.dir, 'x'), { recursive: true });
    writeFileSync(join(ws.dir, 'x', 'f'), '');
    const result = await scanAll(ws);
    expect(result.scenarios).toEqual([]);
  });
});
