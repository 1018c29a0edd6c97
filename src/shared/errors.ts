// Every error ordo raises on purpose, each stating its exit code. The codes themselves, and how any
// failure or run becomes one, are in ./exit-codes.ts (ExitCode is re-exported here for these errors' callers).
import { t, type Params } from '../i18n/index.js';
import { ExitCode, type ExitCodeValue, type StatesExitCode } from './exit-codes.js';
import { localTime } from './local-time.js';

export { ExitCode, type ExitCodeValue } from './exit-codes.js';

/**
 * Every error ordo raises on purpose: a catalog key + params (so it renders in the user's language),
 * the exit code it maps to, and optionally a catalog key for the fix.
 */
export class OrdoError extends Error implements StatesExitCode {
  readonly key: string;
  readonly params: Params;
  readonly exitCode: ExitCodeValue;
  readonly fixKey: string | undefined;

  constructor(key: string, params: Params, exitCode: ExitCodeValue, options: { fix?: string | undefined; cause?: unknown } = {}) {
    super(t(key, params, 'en'), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OrdoError';
    this.key = key;
    this.params = params;
    this.exitCode = exitCode;
    this.fixKey = options.fix;
  }

  /** The message in the current language. */
  describe(): string {
    return t(this.key, this.params);
  }

  fix(): string | undefined {
    return this.fixKey === undefined ? undefined : t(this.fixKey, this.params);
  }
}

export class UsageError extends OrdoError {
  constructor(key: string, params: Params = {}, fix?: string) {
    super(key, params, ExitCode.usage, fix === undefined ? {} : { fix });
    this.name = 'UsageError';
  }
}

/** One problem found in a configuration file: where, what, and what is accepted. */
export interface ConfigProblem {
  file: string;
  /** Dotted key path: `scenarios.MANDATS.backup.ifExists`. */
  key: string;
  /** INI section as written, e.g. `scenario:MANDATS`, when the file is INI. */
  section?: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** 1-based column, JSON and YAML files only (INI problems are whole lines). */
  column?: number;
  /** Human message (already translated). */
  message: string;
  /** What would be accepted / how to fix it (already translated). */
  fix?: string;
  /** Lines of a minimal example in the file's own syntax, shown under the fix. */
  example?: string[];
}

export class ConfigError extends OrdoError {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super('config.invalid', { count: problems.length }, ExitCode.config);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LockOwner {
  pid: number;
  host: string;
  since: string;
  command?: string;
}

export class LockHeldError extends OrdoError {
  readonly lock: string;
  readonly owner: LockOwner;

  constructor(lock: string, owner: LockOwner) {
    // People read the time as local time with its offset; `lock.since` in --json keeps the ISO UTC value.
    super('engine.lockHeld', { lock, pid: owner.pid, host: owner.host, since: localTime(owner.since) }, ExitCode.locked, {
      fix: 'engine.lockHeld.fix',
    });
    this.name = 'LockHeldError';
    this.lock = lock;
    this.owner = owner;
  }
}

export class InterruptedError extends OrdoError {
  constructor() {
    super('engine.interrupted', {}, ExitCode.interrupted);
    this.name = 'InterruptedError';
  }
}
