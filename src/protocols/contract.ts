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
  /**
   * The failure is this machine's, not the partner's: writing the downloaded bytes locally failed (disk
   * full, quota, read-only or failing disk). The entry stays at the partner; the core reports the local folder.
   */
  readonly local: boolean;

  constructor(
    kind: TransferErrorKind,
    key: string,
    params: Params = {},
    options: {
      uncertain?: boolean;
      connection?: boolean;
      serverMessage?: string;
      retryAfterMs?: number;
      local?: boolean;
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
    this.local = options.local ?? false;
  }
}

export function isTransferError(error: unknown): error is TransferError {
  return error instanceof TransferError;
}

/** Failures of this machine's own disk while writing a download: never the partner's trouble. */
const LOCAL_WRITE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS']);

/**
 * The errno code when `error` (or an error in its cause chain) is a local write failure of that kind. A
 * failed read (an EIO on the partner's share the `local` protocol reads from) is not one.
 */
export function localWriteCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 8; depth += 1) {
    const { code, syscall } = current as { code?: unknown; syscall?: unknown };
    if (typeof code === 'string' && LOCAL_WRITE_CODES.has(code) && syscall !== 'read') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * What every protocol throws when writing a download into `destPath` fails for a local reason (the one
 * mechanism the core recognises: `local: true`). Undefined when `error` is no such failure.
 */
export function localWriteError(error: unknown, destPath: string): TransferError | undefined {
  if (error instanceof TransferError) return error.local ? error : undefined;
  const code = localWriteCode(error);
  if (code === undefined) return undefined;
  return new TransferError('transient', 'protocol.common.localWrite', { path: destPath, code }, { local: true, cause: error });
}

/** An entry of a listing that the protocol will not offer (a link, a folder, a name that is no plain name, a malformed line). */
export interface SkippedEntry {
  /** As announced (never cleaned: whoever shows it escapes it). */
  name: string;
  /** Catalog key of the reason, with its params. */
  key: string;
  params?: Params;
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
  /**
   * list: called for each entry the protocol leaves out because it cannot be fetched safely (a link, a
   * folder, a name with a separator or a control character, a malformed listing line). The others are
   * still listed; a listing that cannot be read at all is still an error.
   */
  onSkipped?: (skipped: SkippedEntry) => void;
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
