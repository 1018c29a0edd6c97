// The contract every protocol implements. Protocols know nothing about scenarios, journals or logs
// files: they turn a profile's settings into a session and report typed errors; the core decides.
import type { Params } from '../i18n/index.js';
import type { CounterStore } from '../naming/counter-store.js';

export type Capability =
  /** upload one local file */
  | 'send'
  /** list what is waiting for us */
  | 'list'
  /** download one listed entry */
  | 'fetch'
  /** mark a fetched entry as taken (delete, move, or nothing when the server does it) */
  | 'acknowledge'
  /** diagnose: reachability, authentication, permissions */
  | 'check'
  /** tell whether a file sent earlier is complete at the partner (resolves "uncertain" sends) */
  | 'verify';

/**
 * transient: the partner's or the network's trouble (timeouts, resets, 5xx) — retry later, file stays queued.
 * permanent: the file's or the account's trouble (auth refused, 4xx, not authorised) — stop, move aside.
 * unsupported: the protocol cannot do this at all (capability not declared).
 */
export type TransferErrorKind = 'transient' | 'permanent' | 'unsupported';

export class TransferError extends Error {
  readonly kind: TransferErrorKind;
  /** Catalog key of the message (`protocol.<name>.<what>`). */
  readonly key: string;
  readonly params: Params;
  /** The failure came after the whole body left: the partner may have the file. */
  readonly uncertain: boolean;
  /** Nothing could be reached at all (DNS, TCP, TLS, authentication): maps to exit code 4 when nothing transferred. */
  readonly connection: boolean;
  /** The partner's own words, already free of secrets. */
  readonly serverMessage: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: TransferErrorKind,
    key: string,
    params: Params = {},
    options: {
      uncertain?: boolean;
      connection?: boolean;
      serverMessage?: string;
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) {
    super(`${key} ${JSON.stringify(params)}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransferError';
    this.kind = kind;
    this.key = key;
    this.params = params;
    this.uncertain = options.uncertain ?? false;
    this.connection = options.connection ?? false;
    this.serverMessage = options.serverMessage;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isTransferError(error: unknown): error is TransferError {
  return error instanceof TransferError;
}

export interface SendItem {
  /** Local file to read (the claimed copy in the work queue). */
  path: string;
  /** Name the file must have at the partner. */
  name: string;
  size: number;
  sha256: string;
}

export interface TransferOptions {
  signal?: AbortSignal;
  /** Called with the number of bytes done so far. */
  onProgress?: (bytes: number) => void;
  /**
   * send: the name of the file the caller will send next on this session, when it knows one. Only a
   * hint, which a protocol may use to prepare that file's transfer while this one ends; whatever it
   * prepares for a file that does not come is undone by the next send or by close().
   */
  nextName?: string;
}

export interface Receipt {
  /** The partner's identifier for the file (remote path, document id, request number…). */
  remoteId: string;
  /** acknowledged: done. pending: accepted, the partner confirms later (poll). */
  state: 'acknowledged' | 'pending';
  /** Extra facts worth a journal line (already free of secrets). */
  detail?: Record<string, string | number>;
}

export interface RemoteEntry {
  /** Stable identifier of the entry at the partner (remote path, local_ident…). */
  id: string;
  /** The name the partner announces: never trusted as a path. */
  name: string;
  size?: number;
  mtime?: Date;
}

export interface FetchResult {
  bytes: number;
}

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface CheckResult {
  /** Stable identifier, e.g. `sftp.hostKey`. */
  id: string;
  status: CheckStatus;
  /** Catalog keys + params so that diagnose renders them in the user's language. */
  key: string;
  params?: Params;
  fixKey?: string;
}

export type VerifyResult = 'present' | 'absent' | 'unknown';

export interface ProtocolSession {
  send?(item: SendItem, options?: TransferOptions): Promise<Receipt>;
  list?(options?: TransferOptions): Promise<RemoteEntry[]>;
  /** Write the entry's bytes to `destPath` (a partial file chosen by the core), flushed before resolving. */
  fetch?(entry: RemoteEntry, destPath: string, options?: TransferOptions): Promise<FetchResult>;
  acknowledge?(entry: RemoteEntry): Promise<void>;
  check?(options?: { writeProbe?: boolean }): Promise<CheckResult[]>;
  /** After an uncertain send: is the file complete at the partner under `item.name`? */
  verify?(item: SendItem): Promise<VerifyResult>;
  close(): Promise<void>;
}

export interface ProtocolLog {
  debug(key: string, params?: Params): void;
  info(key: string, params?: Params): void;
  warn(key: string, params?: Params): void;
}

export interface ProtocolContext {
  profileName: string;
  /** `profiles.<P>.<protocol>` after validation (secrets resolved). */
  profile: Record<string, unknown>;
  /** `scenarios.<S>.options` after validation (empty for profile-only work). */
  options: Record<string, unknown>;
  /** Folder of the configuration file: relative paths are relative to it. */
  configDir: string;
  /** The spool root (some protocols keep state there, e.g. known hosts). */
  root: string;
  /** Persistent counters (saved before use, locked, never reused) for protocols that number their files. */
  counters: CounterStore;
  /** --dry-run: the protocol must not write anything (counters included). */
  dryRun: boolean;
  log: ProtocolLog;
}

/** A protocol as the registry knows it. */
export interface ProtocolDefinition {
  name: string;
  capabilities: readonly Capability[];
  /** Validate and normalise settings; return problems as [keyRelativeToBlock, message key, params]. */
  validate?(profile: Record<string, unknown>, options: Record<string, unknown>): ProtocolSettingProblem[];
  open(context: ProtocolContext): Promise<ProtocolSession>;
}

export interface ProtocolSettingProblem {
  /** `profile.<key>` or `options.<key>`. */
  where: 'profile' | 'options';
  key: string;
  messageKey: string;
  params?: Params;
}

export function hasCapability(definition: ProtocolDefinition, capability: Capability): boolean {
  return definition.capabilities.includes(capability);
}
