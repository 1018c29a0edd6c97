// Cross-volume claims (source and queue on two filesystems, the usual Windows layout): the state a kill
// leaves at each point of a claim, then a new run. Nothing half-sent, nothing sent twice, nothing lost.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/core/journal.js';
import { send } from '../../../src/core/send.js';
import { temporaryName } from '../../../src/shared/temp-names.js';
import { otherVolumeDir } from '../../helpers/volumes.js';
import { deadPid } from '../../helpers/leftovers.js';
import { scenario, workspace, type Workspace } from '../../helpers/workspace.js';

let ws: Workspace | undefined;
let other: ReturnType<typeof otherVolumeDir>;
afterEach(() => {
  ws?.cleanup();
  (other as typeof other | undefined)?.cleanup(); // set by cross-volume tests only
});

const CONTENT = 'x'.repeat(300_000) + 'end';
const ID = '20261123101010-abcdef';

function crossVolume(): { ws: Workspace; source: string } {
  other = otherVolumeDir();
  ws = workspace((dir) => [scenario('PES', dir, { source: other.dir })]);
  return { ws, source: other.dir };
}

async function run(w: Workspace) {
  const engine = w.engine();
  try {
    return await send(engine, { selection: { scenarios: [], profiles: [] }, retrieveAfter: false });
  } finally {
    await engine.close();
  }
}

/** What a run sees once everything is settled: delivered files, journal, and anything left behind. */
async function settled(w: Workspace, source: string) {
  const queue = join(w.root, 'queue', 'PES');
  return {
    target: readdirSync(w.target).filter((n) => !n.startsWith('.')),
    delivered: existsSync(join(w.target, 'a.xml')) ? readFileSync(join(w.target, 'a.xml'), 'utf8') : undefined,
    sent: (await readJournal(w.root)).filter((e) => e.state === 'sent').length,
    source: readdirSync(source),
    queue: existsSync(queue) ? readdirSync(queue) : [],
  };
}

const clean = { target: ['a.xml'], delivered: CONTENT, sent: 1, source: [], queue: [] };

function claimFile(source: string, pid: number, id: string | undefined, content: string): string {
  const name = id === undefined ? `.ordo-claim.${hostname()}.${pid}.a.xml` : `.ordo-claim.${hostname()}.${pid}.${id}.a.xml`;
  writeFileSync(join(source, name), content);
  return name;
}

describe('a claim across two volumes', () => {
  it('killed after the rename in the source, before any copy: finished once, by the next run only', async () => {
    const { ws, source } = crossVolume();
    claimFile(source, deadPid(), ID, CONTENT);
    const first = await run(ws);
    expect(first.files.map((f) => f.status)).toEqual(['sent']);
    await run(ws);
    expect(await settled(ws, source)).toEqual(clean);
    // The claim of a process still running is its own business.
    const live = `.ordo-claim.${hostname()}.${process.pid}.${ID}.b.xml`;
    writeFileSync(join(source, live), 'b');
    expect((await run(ws)).files).toEqual([]);
    expect(readdirSync(source)).toEqual([live]);
  });

  it('killed during the copy (partial hidden item of the dead run): the partial is removed, the copy redone', async () => {
    const { ws, source } = crossVolume();
    const pid = deadPid();
    claimFile(source, pid, ID, CONTENT);
    const partial = join(ws.root, 'queue', 'PES', temporaryName(ID).replace(`-${process.pid}-`, `-${pid}-`));
    mkdirSync(partial, { recursive: true });
    writeFileSync(join(partial, 'a.xml'), CONTENT.slice(0, 1000));
    await run(ws);
    await run(ws);
    expect(await settled(ws, source)).toEqual(clean);
  });

  it('killed after the item became visible, before the claim file was removed: verified, sent once', async () => {
    const { ws, source } = crossVolume();
    claimFile(source, deadPid(), ID, CONTENT);
    mkdirSync(join(ws.root, 'queue', 'PES', ID), { recursive: true });
    writeFileSync(join(ws.root, 'queue', 'PES', ID, 'a.xml'), CONTENT);
    await run(ws);
    await run(ws);
    expect(await settled(ws, source)).toEqual(clean);
  });

  it('a visible item that does not match its claim file is made again from the claim file', async () => {
    const { ws, source } = crossVolume();
    claimFile(source, deadPid(), ID, CONTENT);
    mkdirSync(join(ws.root, 'queue', 'PES', ID), { recursive: true });
    writeFileSync(join(ws.root, 'queue', 'PES', ID, 'a.xml'), CONTENT.slice(0, 5000));
    await run(ws);
    expect(await settled(ws, source)).toEqual(clean);
  });

  it('an older version killed mid-copy (truncated item under its final name, claim without id): the truncated copy is never sent', async () => {
    const { ws, source } = crossVolume();
    claimFile(source, deadPid(), undefined, CONTENT);
    mkdirSync(join(ws.root, 'queue', 'PES', '20261120101010-123456'), { recursive: true });
    writeFileSync(join(ws.root, 'queue', 'PES', '20261120101010-123456', 'a.xml'), CONTENT.slice(0, 4096));
    await run(ws);
    await run(ws);
    expect(await settled(ws, source)).toEqual(clean);
  });

  it('an older version killed after its copy, before removing the claim: sent once', async () => {
    const { ws, source } = crossVolume();
    claimFile(source, deadPid(), undefined, CONTENT);
    mkdirSync(join(ws.root, 'queue', 'PES', '20261120101010-123456'), { recursive: true });
    writeFileSync(join(ws.root, 'queue', 'PES', '20261120101010-123456', 'a.xml'), CONTENT);
    await run(ws);
    await run(ws);
    expect(await settled(ws, source)).toEqual(clean);
  });

});
