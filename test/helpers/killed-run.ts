// An ordo command killed with SIGKILL: as soon as the `nth` visible name shows in a folder (an event), or
// at a random moment `delayMs` after the spawn. That delay is the thing under test — a kill that lands
// anywhere, start-up and recovery included — not a wait for something.
import { watch } from 'node:fs';
import { ordoAsync } from './cli.js';

export type Kill = { nth: number } | { delayMs: number };

/** Runs `ordo args` in `cwd` and kills it as `kill` says; true when the kill landed (false when the run ended first). */
export async function killedRun(args: string[], cwd: string, watched: string, kill: Kill, hangGuardMs: number): Promise<boolean> {
  const child = ordoAsync(args, { cwd });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  const killNow = (): void => {
    child.kill('SIGKILL');
  };
  const timer = setTimeout(killNow, 'delayMs' in kill ? kill.delayMs : hangGuardMs);
  let seen = 0;
  const watcher =
    'nth' in kill
      ? watch(watched, (_event, name) => {
          if (name !== null && !name.startsWith('.') && ++seen >= kill.nth) killNow();
        })
      : undefined;
  const signal = await exited;
  clearTimeout(timer);
  watcher?.close();
  return signal === 'SIGKILL';
}
