// A workspace's files sent through the engine as `ordo send` does, and its events watched as they come.
import { randomBytes } from 'node:crypto';
import type { EngineEvent } from '../../src/core/context.js';
import { send } from '../../src/core/send.js';
import type { Workspace } from './workspace.js';

/** Every scenario's new files, without retrieving afterwards. */
export async function sendAll(w: Workspace, options: { signal?: AbortSignal; force?: boolean } = {}) {
  const engine = w.engine(options);
  try {
    return await send(engine, { selection: { scenarios: [], profiles: [] }, retrieveAfter: false });
  } finally {
    await engine.close();
  }
}

/** Calls `act` with each event the engine reports, as it reports it. */
export function onEvents(w: Workspace, act: (event: EngineEvent) => void): void {
  const push = w.events.push.bind(w.events);
  w.events.push = (...events: EngineEvent[]) => {
    for (const event of events) act(event);
    return push(...events);
  };
}

/**
 * Sends a new file `first` of `size` random bytes, then the same content again as `copy`: the second
 * send's result, and how many of the copy's bytes the protocol reported written.
 */
export async function sendContentTwice(w: Workspace, first: string, copy: string, size: number) {
  const data = randomBytes(size);
  w.write(w.source, first, data);
  await sendAll(w);
  w.write(w.source, copy, data);
  let progressed = 0;
  onEvents(w, (event) => {
    if (event.type === 'progress' && event.name === copy) progressed = Math.max(progressed, event.bytes);
  });
  return { data, result: await sendAll(w), progressed };
}
