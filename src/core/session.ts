// Opens the engine for one command: the run's logger, the journal's run id, the interruption signal.
import { randomUUID } from 'node:crypto';
import type { OrdoConfig } from '../config/model.js';
import type { EngineContext, EngineEvent } from './context.js';
import { openRunLog } from './runlog.js';

export interface EngineOptions {
  config: OrdoConfig;
  command: string;
  dryRun: boolean;
  force: boolean;
  signal: AbortSignal;
  onEvent: (event: EngineEvent) => void;
  now?: () => Date;
}

export interface Engine extends EngineContext {
  close(): Promise<void>;
}

export function openEngine(options: EngineOptions): Engine {
  const now = options.now ?? (() => new Date());
  const log = openRunLog({
    root: options.config.root,
    write: !options.dryRun,
    now,
    onLine: (level, message) => options.onEvent({ type: 'log', level, message }),
  });
  return {
    config: options.config,
    command: options.command,
    dryRun: options.dryRun,
    force: options.force,
    signal: options.signal,
    onEvent: options.onEvent,
    log,
    now,
    runId: randomUUID().slice(0, 8),
    close() {
      log.close();
      return Promise.resolve();
    },
  };
}
