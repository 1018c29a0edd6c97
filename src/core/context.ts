// What every engine operation receives: the configuration, the run's switches, and where to report.
import type { OrdoConfig } from '../config/model.js';
import type { Params } from '../i18n/index.js';

export type EngineEvent =
  | { type: 'scenario'; scenario: string; phase: 'send' | 'retrieve' | 'follow' }
  | { type: 'file-start'; scenario: string; direction: 'send' | 'receive'; name: string; size?: number }
  | { type: 'progress'; scenario: string; name: string; bytes: number; total?: number }
  | { type: 'file-end'; scenario: string; direction: 'send' | 'receive'; name: string; status: string }
  | { type: 'wait'; scenario: string; ms: number; reason: 'delay' | 'backoff' }
  | { type: 'log'; level: LogLevel; message: string };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface RunLogger {
  /** Translate `key`, mask secrets, write to last.log and the day log, and emit a `log` event. */
  log(level: LogLevel, key: string, params?: Params): void;
  debug(key: string, params?: Params): void;
  info(key: string, params?: Params): void;
  warn(key: string, params?: Params): void;
  error(key: string, params?: Params): void;
  /** Raw lines (a hook's output, a server's words): masked, never translated. */
  raw(level: LogLevel, text: string): void;
}

export interface EngineContext {
  config: OrdoConfig;
  /** Identifies this run in the journal. */
  runId: string;
  command: string;
  dryRun: boolean;
  /** Send a file whose identical content was already acknowledged. */
  force: boolean;
  /** Aborted on SIGINT/SIGTERM: the engine stops after the file in progress. */
  signal: AbortSignal;
  onEvent(event: EngineEvent): void;
  log: RunLogger;
  now(): Date;
}

/** Which scenarios/profiles a command works on; empty lists mean every enabled one. */
export interface Selection {
  scenarios: string[];
  profiles: string[];
}
