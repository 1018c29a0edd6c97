// Every file a send settles ends with one `file-end` carrying its status, and every `file-start` is
// closed by exactly one `file-end` — whichever way the file's attempt ended, uncertain and verified
// included. The `local` protocol is driven into each ending; the faults a network share would cause
// (an answer lost after the rename was done, a share that stops answering) are simulated below.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../../src/core/context.js';
import type { CycleResult } from '../../../src/core/results.js';
import { send } from '../../../src/core/send.js';
import { scenario, workspace, type Workspace } from '../../helpers/workspace.js';

type ShareFault =
  /** The file is published but the answer is lost: the send looks failed, the partner has it. */
  | 'answer-lost'
  /** The file is published, the answer is lost, and the share then stops answering (verify cannot tell). */
  | 'gone-silent'
  /** Publishing fails before anything reached the partner. */
  | 'refused-link';

const faults = vi.hoisted(() => ({
  /** By file name: what the partner's share does when the file is published there. */
  share: new Map<string, string>(),
  /** Final paths on the share that no longer answer. */
  silent: new Set<string>(),
  /** By file name: source files this account cannot open. */
  unreadable: new Set<string>(),
  /** By file name: files whose backup (a link, or a copy) finds the disk full. */
  noSpace: new Set<string>(),
  /** Called when a publication fails (to interrupt the run at that moment). */
  onShareFailure: undefined as (() => void) | undefined,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const systemError = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });
  const onShare = (path: string) => path.includes(`${sep}partner${sep}`);
  const link: typeof actual.link = async (from, to) => {
    // The backup of a queued file is a hard link to it (on the same volume): the full disk refuses it.
    if (faults.noSpace.has(basename(String(from)))) throw systemError('ENOSPC');
    const fault = onShare(String(to)) ? faults.share.get(basename(String(to))) : undefined;
    if (fault === undefined) return actual.link(from, to);
    if (fault !== 'refused-link') await actual.link(from, to);
    if (fault === 'gone-silent') faults.silent.add(String(to));
    faults.onShareFailure?.();
    throw systemError('EIO');
  };
  const lstat = (async (path: Parameters<typeof actual.lstat>[0], options?: Parameters<typeof actual.lstat>[1]) => {
    if (faults.silent.has(String(path))) throw systemError('EIO');
    return actual.lstat(path, options);
  }) as typeof actual.lstat;
  const open: typeof actual.open = async (path, flags, mode) => {
    if (flags === 'r' && String(path).includes(`${sep}source${sep}`) && faults.unreadable.has(basename(String(path)))) throw systemError('EACCES');
    return actual.open(path, flags, mode);
  };
  const copyFile: typeof actual.copyFile = async (from, to, mode) => {
    if (faults.noSpace.has(basename(String(from)))) throw systemError('ENOSPC');
    return actual.copyFile(from, to, mode);
  };
  const replaced = { link, lstat, open, copyFile };
  return { ...actual, ...replaced, default: { ...actual, ...replaced } };
});

// The engine makes its small per-file calls (the backup's link, the readability check) synchronously.
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const systemError = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });
  const linkSync: typeof actual.linkSync = (from, to) => {
    if (faults.noSpace.has(basename(String(from)))) throw systemError('ENOSPC');
    actual.linkSync(from, to);
  };
  const openSync = ((path: Parameters<typeof actual.openSync>[0], flags: Parameters<typeof actual.openSync>[1], mode?: Parameters<typeof actual.openSync>[2]) => {
    if (flags === 'r' && String(path).includes(`${sep}source${sep}`) && faults.unreadable.has(basename(String(path)))) throw systemError('EACCES');
    return actual.openSync(path, flags, mode);
  }) as typeof actual.openSync;
  const replaced = { linkSync, openSync };
  return { ...actual, ...replaced, default: { ...actual, ...replaced } };
});

let ws: Workspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
  faults.share.clear();
  faults.silent.clear();
  faults.unreadable.clear();
  faults.noSpace.clear();
  faults.onShareFailure = undefined;
});

function shareFault(name: string, fault: ShareFault): void {
  faults.share.set(name, fault);
}

async function sendWith(w: Workspace, options: { dryRun?: boolean; files?: string[]; signal?: AbortSignal } = {}): Promise<CycleResult> {
  const engine = w.engine({ dryRun: options.dryRun ?? false, ...(options.signal ? { signal: options.signal } : {}) });
  try {
    return await send(engine, {
      selection: { scenarios: options.files ? ['PES'] : [], profiles: [] },
      ...(options.files ? { files: options.files } : {}),
      retrieveAfter: false,
    });
  } finally {
    await engine.close();
  }
}

function queued(w: Workspace, name: string, content: string): void {
  const dir = join(w.root, 'queue', 'PES', '20261123101010-abcdef');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), content);
}

function statuses(...results: CycleResult[]): string[] {
  return results.flatMap((r) => r.files.map((f) => `${f.name}: ${f.status}`)).sort();
}

/**
 * Each `file-start` is closed by one `file-end` before the same file starts again, and the `file-end`
 * events are the run's settled files, one each, in order and with their status.
 */
function expectEachFileSettledOnce(events: EngineEvent[], results: CycleResult[]): void {
  const started = new Set<string>();
  const ended: string[] = [];
  for (const event of events) {
    if (event.type !== 'file-start' && event.type !== 'file-end') continue;
    const file = `${event.scenario}/${event.name}`;
    if (event.type === 'file-start') {
      expect(started.has(file), `${file} started twice without a file-end`).toBe(false);
      started.add(file);
    } else {
      started.delete(file);
      ended.push(`${file}: ${event.status}`);
    }
  }
  expect([...started], 'file-start events without their file-end').toEqual([]);
  expect(ended).toEqual(results.flatMap((r) => r.files.map((f) => `${f.scenario}/${f.name}: ${f.status}`)));
}

describe('file-start and file-end pair up on every way a send ends', () => {
  it('sent, duplicate, refused, backup already there, unreadable, disk full', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { backup: { dir: join(dir, 'bk'), ifExists: 'fail' } })]);
    ws.write(join(ws.dir, 'bk'), 'kept.xml', 'an older copy');
    ws.write(ws.source, 'a.xml', 'content of a');
    ws.write(ws.source, 'kept.xml', 'new');
    ws.write(ws.source, 'taken.xml', 'new');
    ws.write(ws.target, 'taken.xml', 'already there');
    ws.write(ws.source, 'locked.xml', 'cannot be read');
    ws.write(ws.source, 'full.xml', 'no room for its backup');
    faults.unreadable.add('locked.xml');
    faults.noSpace.add('full.xml');
    const first = await sendWith(ws);
    faults.unreadable.clear();
    faults.noSpace.clear();
    ws.write(ws.source, 'b.xml', 'content of a');
    const second = await sendWith(ws);
    expect(statuses(first)).toEqual(['a.xml: sent', 'full.xml: deferred', 'kept.xml: failed', 'locked.xml: deferred', 'taken.xml: failed']);
    expect(statuses(second)).toEqual(['b.xml: duplicate', 'full.xml: sent', 'locked.xml: sent']);
    expectEachFileSettledOnce(ws.events, [first, second]);
  });

  it('uncertain (the share stops answering), then verified present by the next run', async () => {
    ws = workspace();
    ws.write(ws.source, 'u.xml', 'may have arrived');
    shareFault('u.xml', 'gone-silent');
    const first = await sendWith(ws);
    faults.share.clear();
    faults.silent.clear();
    const second = await sendWith(ws);
    expect(statuses(first)).toEqual(['u.xml: uncertain']);
    expect(second.files.map((f) => [f.name, f.status, f.resumed])).toEqual([['u.xml', 'sent', true]]);
    expectEachFileSettledOnce(ws.events, [first, second]);
  });

  it('an ambiguous failure verified present at once', async () => {
    ws = workspace();
    ws.write(ws.source, 'v.xml', 'arrived');
    shareFault('v.xml', 'answer-lost');
    const result = await sendWith(ws);
    expect(statuses(result)).toEqual(['v.xml: sent']);
    expectEachFileSettledOnce(ws.events, [result]);
  });

  it('deferred after its retries', async () => {
    ws = workspace();
    ws.write(ws.source, 'd.xml', 'not this time');
    shareFault('d.xml', 'refused-link');
    const result = await sendWith(ws);
    expect(statuses(result)).toEqual(['d.xml: deferred']);
    expectEachFileSettledOnce(ws.events, [result]);
  });

  it('interrupted while its send fails', async () => {
    ws = workspace();
    ws.write(ws.source, 'i.xml', 'stopped');
    const stop = new AbortController();
    shareFault('i.xml', 'refused-link');
    faults.onShareFailure = () => stop.abort();
    const result = await sendWith(ws, { signal: stop.signal });
    expect(result.interrupted).toBe(true);
    expect(statuses(result)).toEqual(['i.xml: deferred']);
    expectEachFileSettledOnce(ws.events, [result]);
  });

  it('blocked by a destination that does not exist', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { options: { target: join(dir, 'missing') } })]);
    ws.write(ws.source, 'b.xml', 'nowhere to go');
    const result = await sendWith(ws);
    expect(statuses(result)).toEqual(['b.xml: deferred']);
    expectEachFileSettledOnce(ws.events, [result]);
  });

  it('dry-run, and a file given on the command line that does not exist', async () => {
    ws = workspace();
    ws.write(ws.source, 'new.xml', 'x');
    queued(ws, 'old.xml', 'y');
    const dry = await sendWith(ws, { dryRun: true });
    const missing = await sendWith(ws, { files: [join(ws.dir, 'nope.xml')] });
    expect(statuses(dry)).toEqual(['new.xml: would-send', 'old.xml: would-send']);
    expect(statuses(missing)).toEqual(['nope.xml: failed', 'old.xml: sent']);
    expectEachFileSettledOnce(ws.events, [dry, missing]);
  });
});
