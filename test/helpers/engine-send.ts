// A workspace's files sent through the engine as `ordo send` does, and its events watched as they come.
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
