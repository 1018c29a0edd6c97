import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { send } from '../../../src/core/send.js';
import { readJournal } from '../../../src/core/journal.js';
import { scenario, workspace, type Workspace } from '../../helpers/workspace.js';

const selection = { scenarios: [], profiles: [] };
let ws: Workspace | undefined;
afterEach(() => {
  settling.onPause = undefined;
  ws?.cleanup();
});

// The engine's waits, observable: a test can act at the moment the engine starts one (the settle wait
// between two looks at a source file) instead of guessing when that is with a timer. `onPause` is
// called with the wait's length and returns true once it has acted (it is then removed).
const settling = vi.hoisted(() => ({ onPause: undefined as ((ms: number) => boolean) | undefined }));
vi.mock('../../../src/shared/wait.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/shared/wait.js')>();
  return {
    ...original,
    pause: (ms: number, signal?: AbortSignal): Promise<boolean> => {
      if (settling.onPause?.(ms) === true) settling.onPause = undefined;
      return original.pause(ms, signal);
    },
  };
});

async function sendAll(w: Workspace, options: { force?: boolean; dryRun?: boolean; files?: string[]; scenarios?: string[] } = {}) {
  const engine = w.engine({ force: options.force ?? false, dryRun: options.dryRun ?? false });
  try {
    return await send(engine, {
      selection: { scenarios: options.scenarios ?? [], profiles: [] },
      ...(options.files ? { files: options.files } : {}),
      retrieveAfter: false,
    });
  } finally {
    await engine.close();
  }
}

describe('send through the local protocol', () => {
  it('claims, backs up, sends, journals, and empties the queue', async () => {
    ws = workspace();
    ws.write(ws.source, 'mandat 12 (nov) é.xml', '<mandat/>');
    const result = await sendAll(ws);
    expect(result.exitCode).toBe(0);
    expect(result.files.map((f) => [f.name, f.status])).toEqual([['mandat 12 (nov) é.xml', 'sent']]);
    expect(readFileSync(join(ws.target, 'mandat 12 (nov) é.xml'), 'utf8')).toBe('<mandat/>');
    expect(readdirSync(ws.source)).toEqual([]);
    expect(readFileSync(join(ws.root, 'backup', 'PES', 'mandat 12 (nov) é.xml'), 'utf8')).toBe('<mandat/>');
    expect(readdirSync(join(ws.root, 'queue', 'PES'))).toEqual([]);
    const states = (await readJournal(ws.root)).map((e) => e.state);
    expect(states).toEqual(['sending', 'sent']);
  });

  it('nothing to do is success', async () => {
    ws = workspace();
    const result = await sendAll(ws);
    expect(result.exitCode).toBe(0);
    expect(result.files).toEqual([]);
  });

  it('skips empty, temporary and excluded files, and honours several patterns', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { filter: ['mandat*', '*.xml'], exclude: ['*brouillon*'] })]);
    ws.write(ws.source, 'mandat1.txt', 'a');
    ws.write(ws.source, 'titre.xml', 'b');
    ws.write(ws.source, 'vide.xml', '');
    ws.write(ws.source, 'export.tmp', 'c');
    ws.write(ws.source, '~$mandat.xml', 'd');
    ws.write(ws.source, 'mandat-brouillon.xml', 'e');
    ws.write(ws.source, 'autre.csv', 'f');
    const result = await sendAll(ws);
    expect(result.files.map((f) => f.name).sort()).toEqual(['mandat1.txt', 'titre.xml']);
    expect(readdirSync(ws.source).sort()).toEqual(['autre.csv', 'export.tmp', 'mandat-brouillon.xml', 'vide.xml', '~$mandat.xml']);
  });

  it('does not send identical content twice unless forced, and sets the duplicate aside', async () => {
    ws = workspace();
    ws.write(ws.source, 'a.xml', 'same content');
    await sendAll(ws);
    ws.write(ws.source, 'b.xml', 'same content');
    const second = await sendAll(ws);
    expect(second.files[0]?.status).toBe('duplicate');
    expect(existsSync(join(ws.target, 'b.xml'))).toBe(false);
    // The backup copied while the duplicate was being hashed is thrown away, not left half-named.
    expect(readdirSync(join(ws.root, 'backup', 'PES'))).toEqual(['a.xml']);
    const failedDir = join(ws.root, 'failed', 'PES');
    const [item] = readdirSync(failedDir);
    expect(readFileSync(join(failedDir, item!, 'b.xml'), 'utf8')).toBe('same content');
    expect(readFileSync(join(failedDir, item!, 'b.xml.reason.txt'), 'utf8')).toMatch(/--force/);
    const forced = await sendAll(ws, { force: true, files: [join(failedDir, item!, 'b.xml')], scenarios: ['PES'] });
    expect(forced.files[0]?.status).toBe('sent');
    expect(readFileSync(join(ws.target, 'b.xml'), 'utf8')).toBe('same content');
    expect((await readJournal(ws.root)).some((e) => e.state === 'forced')).toBe(true);
  });

  it('a permanent refusal goes to failed/ with a reason, the other file is sent: exit 1', async () => {
    ws = workspace();
    ws.write(ws.source, 'good.xml', 'good');
    ws.write(ws.source, 'taken.xml', 'new');
    ws.write(ws.target, 'taken.xml', 'already there');
    const result = await sendAll(ws);
    expect(result.exitCode).toBe(1);
    const byName = Object.fromEntries(result.files.map((f) => [f.name, f.status]));
    expect(byName).toEqual({ 'good.xml': 'sent', 'taken.xml': 'failed' });
    expect(readFileSync(join(ws.target, 'taken.xml'), 'utf8')).toBe('already there');
    const failed = result.files.find((f) => f.name === 'taken.xml')!;
    expect(readFileSync(failed.localPath!, 'utf8')).toBe('new');
    expect(existsSync(`${failed.localPath}.reason.txt`)).toBe(true);
  });

  it('dry-run changes nothing', async () => {
    ws = workspace();
    ws.write(ws.source, 'a.xml', 'x');
    const result = await sendAll(ws, { dryRun: true });
    expect(result.files.map((f) => f.status)).toEqual(['would-send']);
    expect(readdirSync(ws.source)).toEqual(['a.xml']);
    expect(readdirSync(ws.target)).toEqual([]);
    expect(existsSync(join(ws.root, 'journal'))).toBe(false);
    expect(existsSync(join(ws.root, 'logs'))).toBe(false);
  });

  it.each([
    ['overwrite', ['a.xml'], 'second'],
    ['keep', ['a.xml'], 'first'],
  ] as const)('backup policy %s', async (policy, names, kept) => {
    ws = workspace((dir) => [scenario('PES', dir, { backup: { dir: join(dir, 'bk'), ifExists: policy } })]);
    ws.write(ws.source, 'a.xml', 'first');
    await sendAll(ws);
    ws.write(ws.source, 'a.xml', 'second');
    ws.write(ws.target, 'ignored', '');
    // the partner took the first one away
    const { rmSync } = await import('node:fs');
    rmSync(join(ws.target, 'a.xml'));
    const result = await sendAll(ws);
    expect(result.files[0]?.status).toBe('sent');
    expect(readdirSync(join(ws.dir, 'bk'))).toEqual(names);
    expect(readFileSync(join(ws.dir, 'bk', 'a.xml'), 'utf8')).toBe(kept);
  });

  it('backup policy rename keeps both copies', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { backup: { dir: join(dir, 'bk'), ifExists: 'rename' } })]);
    ws.write(ws.source, 'a.xml', 'first');
    await sendAll(ws);
    const { rmSync } = await import('node:fs');
    rmSync(join(ws.target, 'a.xml'));
    ws.write(ws.source, 'a.xml', 'second');
    await sendAll(ws);
    const names = readdirSync(join(ws.dir, 'bk')).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toBe('a.xml');
    expect(names[1]).toMatch(/^a_\d{8}_\d{6}\.xml$/);
    expect(readFileSync(join(ws.dir, 'bk', names[1]!), 'utf8')).toBe('second');
  });

  it('backup policy fail sets the file aside without sending it', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { backup: { dir: join(dir, 'bk'), ifExists: 'fail' } })]);
    mkdirSync(join(ws.dir, 'bk'), { recursive: true });
    writeFileSync(join(ws.dir, 'bk', 'a.xml'), 'old');
    ws.write(ws.source, 'a.xml', 'new');
    const result = await sendAll(ws);
    expect(result.files[0]?.status).toBe('failed');
    expect(existsSync(join(ws.target, 'a.xml'))).toBe(false);
    expect(readFileSync(result.files[0]!.localPath!, 'utf8')).toBe('new');
  });

  it('a file still being written is not taken (size and mtime must hold for the settle time)', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { settleMs: 300 })]);
    const path = ws.write(ws.source, 'growing.xml', 'part 1');
    const engine = ws.engine();
    // The producer writes more exactly while the engine waits between its two looks at the file.
    let wroteDuringSettle = false;
    settling.onPause = (ms) => {
      if (ms !== 300) return false;
      writeFileSync(path, 'part 1 + part 2');
      wroteDuringSettle = true;
      return true;
    };
    const result = await send(engine, { selection, retrieveAfter: false });
    await engine.close();
    expect(wroteDuringSettle, 'the engine waited the settle time between two looks').toBe(true);
    expect(result.files).toEqual([]);
    expect(readdirSync(ws.source)).toEqual(['growing.xml']);
    const again = await sendAll(ws);
    expect(again.files.map((f) => f.status)).toEqual(['sent']);
    expect(readFileSync(join(ws.target, 'growing.xml'), 'utf8')).toBe('part 1 + part 2');
  });

  it('waits for a done marker when the scenario asks for one, and removes it after the claim', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { doneMarker: '.done' })]);
    ws.write(ws.source, 'a.xml', 'x');
    expect((await sendAll(ws)).files).toEqual([]);
    ws.write(ws.source, 'a.xml.done', '');
    const result = await sendAll(ws);
    expect(result.files.map((f) => f.status)).toEqual(['sent']);
    expect(readdirSync(ws.source)).toEqual([]);
    expect(readdirSync(ws.target).filter((n) => !n.startsWith('.'))).toEqual(['a.xml']);
  });

  it('runs the before and after hooks, the after hook even when sending failed', async () => {
    ws = workspace((dir) => [
      scenario('PES', dir, {
        hooks: { before: `node -e "require('fs').writeFileSync('before.txt','1')"`, after: `node -e "require('fs').writeFileSync('after.txt','1')"`, timeoutMs: 10_000 },
        options: { target: join(dir, 'missing-target') },
      }),
    ]);
    ws.write(ws.source, 'a.xml', 'x');
    const result = await sendAll(ws);
    // A missing destination is the configuration's fault, not the file's: it stays queued, exit 4.
    expect(result.files[0]?.status).toBe('deferred');
    expect(result.exitCode).toBe(4);
    expect(readdirSync(join(ws.root, 'queue', 'PES'))).toHaveLength(1);
    expect(existsSync(join(ws.dir, 'before.txt'))).toBe(true);
    expect(existsSync(join(ws.dir, 'after.txt'))).toBe(true);
  });

  it('a failing before hook sends nothing and leaves the files in place', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { hooks: { before: 'node -e "process.exit(3)"', timeoutMs: 10_000 } })]);
    ws.write(ws.source, 'a.xml', 'x');
    const result = await sendAll(ws);
    expect(result.files).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(readdirSync(ws.source)).toEqual(['a.xml']);
    expect(result.exitCode).toBe(4);
  });
});
