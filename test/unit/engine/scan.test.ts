import { appendFileSync, chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('never takes a file some program is still writing: each temporary pattern, in the folder and below', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { filter: ['**/*'] })]);
    const temporary = ['a.tmp', 'b.temp', 'c.part', 'd.partial', 'e.filepart', 'f.crdownload', 'g.download', '~$h.xml', '~i.tmp', 'k.lck', 'l.xml.ordo-part', 'm.swp', 'N.TMP'];
    for (const name of [...temporary, 'mandat.xml']) {
      ws.write(ws.source, name, 'x');
      ws.write(join(ws.source, 'sous-dossier'), name, 'x');
    }
    const found = (await scanAll(ws)).scenarios[0]!.files.map((f) => f.name);
    expect(found).toEqual(['mandat.xml', 'sous-dossier/mandat.xml', ...(process.platform === 'linux' ? ['N.TMP', 'sous-dossier/N.TMP'] : [])].sort());
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

  it('a file that grows during the settle time waits; one without its done marker waits; markers and temporary files are not listed', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { filter: ['*'], settleMs: 300, doneMarker: '.ok' })]);
    const growing = ws.write(ws.source, 'growing.xml', 'a');
    ws.write(ws.source, 'done.xml', 'b');
    ws.write(ws.source, 'done.xml.ok', '');
    ws.write(ws.source, 'unmarked.xml', 'c');
    ws.write(ws.source, 'growing.xml.ok', '');
    ws.write(ws.source, 'partial.xml.part', 'd');
    const appended = setTimeout(() => appendFileSync(growing, 'more'), 100);
    const result = await scanAll(ws);
    clearTimeout(appended);
    const files = result.scenarios[0]!.files;
    expect(files.map((f) => f.name)).toEqual(['done.xml', 'growing.xml', 'unmarked.xml']);
    expect(files.find((f) => f.name === 'done.xml')).toMatchObject({ ready: true, size: 1 });
    expect(files.find((f) => f.name === 'growing.xml')).toMatchObject({ ready: false, size: 5 });
    expect(files.find((f) => f.name === 'growing.xml')?.why).toMatch(/written|settle/i);
    expect(files.find((f) => f.name === 'unmarked.xml')).toMatchObject({ ready: false });
    expect(files.find((f) => f.name === 'unmarked.xml')?.why).toMatch(/\.ok/);
  });

  it('a folder of thousands of files: each listed once, sorted, with its own size; an empty folder: nothing, no problem', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { filter: ['*.xml'] })]);
    expect(await scanAll(ws)).toMatchObject({ problems: [], scenarios: [{ files: [], unreadable: [] }] });
    const names = Array.from({ length: 3000 }, (_, n) => `F_${String(n).padStart(4, '0')}.xml`);
    for (const [n, name] of names.entries()) ws.write(ws.source, name, 'x'.repeat(n % 7));
    const files = (await scanAll(ws)).scenarios[0]!.files;
    expect(files.map((f) => f.name)).toEqual(names);
    expect(files.map((f) => f.size)).toEqual(names.map((_, n) => n % 7));
    expect(files.filter((f) => !f.ready).map((f) => f.name)).toEqual(names.filter((_, n) => n % 7 === 0));
  });

  it('a folder whose patterns are plain names is read without fast-glob, and gives exactly what fast-glob gives', async () => {
    // PLAIN: the usual patterns (read by readdir and picomatch); GLOB: the same, plus a pattern with
    // braces that finds nothing, which sends the listing through fast-glob.
    const options = { filter: ['*.xml', 'F*', 'c*', 'g?.txt', '[hH]*.pdf'], exclude: ['*.bak.xml', 'F-exclu*'], doneMarker: '.ok' };
    ws = workspace((dir) => [scenario('PLAIN', dir, options), scenario('GLOB', dir, { ...options, filter: [...options.filter, 'rien{1,2}.none'] })]);
    const names = [
      'a.xml', 'b.XML', 'c.xml.ok', 'garde.bak.xml', '.cache.xml', 'F1.dat', 'F-exclu.dat', 'g1.txt', 'g12.txt', 'h.pdf', 'H.pdf', 'i.pdf',
      'a.tmp', 'd.xml.part', '~$e.xml', 'f.xml.ordo-part', 'N.TMP',
    ];
    for (const name of names) ws.write(ws.source, name, 'x');
    ws.write(join(ws.source, 'dossier.xml'), 'dedans.xml', 'x');
    symlinkSync(join(ws.source, 'a.xml'), join(ws.source, 'lien.xml'));
    const result = await scanAll(ws);
    const found = (scenarioName: string) => result.scenarios.find((s) => s.scenario === scenarioName)!.files.map((f) => f.name);
    expect(found('PLAIN')).toEqual(found('GLOB'));
    expect(found('PLAIN')).toEqual(['F1.dat', 'H.pdf', 'a.xml', 'g1.txt', 'h.pdf', ...(process.platform === 'linux' ? [] : ['b.XML'])].sort());
  });

  it('a file that two patterns find is listed once', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { filter: ['sub/a.xml', '*/a.xml', '*.xml', 'b*'] })]);
    ws.write(join(ws.source, 'sub'), 'a.xml', 'a');
    ws.write(ws.source, 'b.xml', 'b');
    const result = await scanAll(ws);
    expect(result.scenarios[0]!.files.map((f) => f.name)).toEqual(['b.xml', 'sub/a.xml']);
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
