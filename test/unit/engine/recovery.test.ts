// State left by a crash at each point of the journey, then a new run: nothing lost, nothing sent twice.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, readJournal, type JournalEntry } from '../../../src/core/journal.js';
import { send } from '../../../src/core/send.js';
import { sha256File } from '../../../src/shared/hash.js';
import { workspace, type Workspace } from '../../helpers/workspace.js';

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());

async function run(w: Workspace) {
  const engine = w.engine();
  try {
    return await send(engine, { selection: { scenarios: [], profiles: [] }, retrieveAfter: false });
  } finally {
    await engine.close();
  }
}

/** Journal lines left by an earlier run (which closed its journal when it ended). */
async function journaled(w: Workspace, ...entries: Array<Omit<JournalEntry, 'time' | 'run'>>): Promise<void> {
  const journal = new Journal(w.root, 'old');
  try {
    for (const entry of entries) await journal.append(entry);
  } finally {
    await journal.close();
  }
}

function queued(w: Workspace, name: string, content: string): string {
  const dir = join(w.root, 'queue', 'PES', '20261123101010-abcdef');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('recovery at the start of a run', () => {
  it('crash after the claim, before the journal: backed up and sent', async () => {
    ws = workspace();
    queued(ws, 'a.xml', 'content');
    const result = await run(ws);
    expect(result.files.map((f) => f.status)).toEqual(['sent']);
    expect(readFileSync(join(ws.target, 'a.xml'), 'utf8')).toBe('content');
    expect(readdirSync(join(ws.root, 'backup', 'PES'))).toEqual(['a.xml']);
  });

  it('crash during the send (journal says sending, partner lacks the file): resent once', async () => {
    ws = workspace();
    const path = queued(ws, 'a.xml', 'content');
    await journaled(ws, { scenario: 'PES', direction: 'send', state: 'sending', file: 'a.xml', path, size: 7, sha256: await sha256File(path) });
    writeFileSync(join(ws.target, '.a.xml.1234.ordo-part'), 'cont');
    const result = await run(ws);
    expect(result.files.map((f) => [f.status, f.resumed])).toEqual([['sent', true]]);
    expect(readFileSync(join(ws.target, 'a.xml'), 'utf8')).toBe('content');
    expect((await readJournal(ws.root)).map((e) => e.state)).toEqual(['sending', 'resumed', 'sent']);
  });

  it('crash after the partner got the file but before the journal said so: verified, not sent twice', async () => {
    ws = workspace();
    const path = queued(ws, 'a.xml', 'content');
    await journaled(ws, { scenario: 'PES', direction: 'send', state: 'sending', file: 'a.xml', path, size: 7, sha256: await sha256File(path) });
    writeFileSync(join(ws.target, 'a.xml'), 'content');
    const result = await run(ws);
    expect(result.files.map((f) => [f.status, f.resumed])).toEqual([['sent', true]]);
    expect(readdirSync(join(ws.root, 'queue', 'PES'))).toEqual([]);
    expect(readdirSync(ws.target).filter((n) => !n.startsWith('.'))).toEqual(['a.xml']);
  });

  it('crash after the journal said sent, before the queue was emptied: just cleaned up', async () => {
    ws = workspace();
    const path = queued(ws, 'a.xml', 'content');
    await journaled(
      ws,
      { scenario: 'PES', direction: 'send', state: 'sending', file: 'a.xml', path },
      { scenario: 'PES', direction: 'send', state: 'sent', file: 'a.xml', path, remoteId: 'x' },
    );
    const result = await run(ws);
    expect(result.files).toEqual([]);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(ws.target)).toEqual([]);
  });

  it('a deferred file in the queue is sent before new ones', async () => {
    ws = workspace();
    const path = queued(ws, 'old.xml', 'old');
    await journaled(ws, { scenario: 'PES', direction: 'send', state: 'deferred', file: 'old.xml', path, reason: 'timeout' });
    ws.write(ws.source, 'new.xml', 'new');
    const result = await run(ws);
    expect(result.files.map((f) => [f.name, f.status])).toEqual([
      ['old.xml', 'sent'],
      ['new.xml', 'sent'],
    ]);
  });
});
