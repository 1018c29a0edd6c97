// The contract every protocol implements. Protocols know nothing about scenarios, journals or logs
// files: they turn a profile's settings into a session and report typed errors; the core decides.
import type { Params } from '../i18n/index.js';
import type { CounterStore } from '../naming/counter-store.js';
import { TransferError } from './transfer-error.js';

export { isTransferError, TransferError, type TransferErrorKind } from './transfer-error.js';

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
  | 'verify'
  /** follow a send the partner accepted without acknowledging it yet (a `pending` receipt) */
  | 'follow';

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
  return new TransferError('transient', 'protocol.common.localWrite', { path: destPath, code }, { fixKey: 'protocol.common.localWrite.fix', local: true, cause: error });
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
  /**
   * A send made of several requests that was interrupted: every step the protocol reported through
   * `onStep` for this item, merged in order (later keys win). The protocol continues from there (the
   * same Pastell document) and never starts a second transmission.
   */
  resume?: SendSteps;
}

/** What a protocol needs to continue or follow a send: ids and the name of the last step done. */
export type SendSteps = Record<string, string | number>;

export interface TransferOptions {
  signal?: AbortSignal;
  /** Called with the number of bytes done so far. */
  onProgress?: (bytes: number) => void;
  /**
   * fetch: the caller wants the sha256 of the bytes written (FetchResult.sha256). A protocol that can
   * hash them as it writes them does; else the caller reads the file again.
   */
  sha256?: boolean;
  /**
   * send: the name of the file the caller will send next on this session, when it knows one. Only a
   * hint, which a protocol may use to prepare that file's transfer while this one ends; whatever it
   * prepares for a file that does not come is undone by the next send or by close().
   */
  nextName?: string;
  /**
   * send: a protocol whose send takes several requests (create a document, set its fields, upload,
   * trigger the action) reports each step done with what is needed to continue (ids, step name). The
   * engine journals and flushes it before the promise resolves: only then may the protocol take the
   * next step. Given back as `SendItem.resume` when the send is resumed after a crash or a cut.
   */
  onStep?: (step: SendSteps) => Promise<void>;
  /**
   * send, to a session that `publishesLast`: called once the whole file is at the partner where the
   * partner does not take it (a temporary name; over HTTP, every byte of the request's body but its last
   * ones), before it is given its final name (the body's last bytes sent); the protocol waits for it. It
   * resolves with the sha256 the engine recorded for the file (compared by a protocol that hashed what it
   * wrote). When it rejects, the file must not appear: the protocol removes what it wrote (over HTTP:
   * cuts the request) and rejects with that same error, unchanged. Meanwhile `SendItem.sha256` is empty:
   * the engine starts a big file's transfer while it hashes it (docs/engine.md).
   */
  beforePublish?: () => Promise<string>;
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
  /** acknowledged: done. pending: accepted, the partner confirms later (`follow`). */
  state: 'acknowledged' | 'pending';
  /** Extra facts worth a journal line (already free of secrets). */
  detail?: Record<string, string | number>;
  /** pending: what `follow` needs later (Pastell id_e and id_d, S²LOW transaction id), journaled as is. */
  follow?: SendSteps;
}

/** A send the partner accepted without acknowledging it yet, as the journal remembers it. */
export interface PendingSend {
  /** The file's name at the partner. */
  name: string;
  remoteId: string;
  /** The receipt's `follow` facts. */
  follow: SendSteps;
  /** When the partner accepted it. */
  since: Date;
}

/**
 * Where the partner stands on a pending send.
 * pending: no answer yet. acknowledged: accepted for good. refused: the partner (the Trésorerie, a
 * refusal by the TdT) said no, with its reason as it wrote it. failed: the partner reports an error on
 * its side (tdt-error, status -1): the reason, and a fix where there is one.
 * `receipt`: the partner's receipt (PES Acquit) was written, flushed, to `receiptPath`; its suggested name.
 */
export type FollowResult =
  | { state: 'pending'; detail?: Record<string, string | number> }
  | { state: 'acknowledged'; receipt?: { name: string; bytes: number }; detail?: Record<string, string | number> }
  | { state: 'refused'; reason: string; receipt?: { name: string; bytes: number }; detail?: Record<string, string | number> }
  | { state: 'failed'; key: string; params?: Params; fixKey?: string; serverMessage?: string };

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
  /**
   * sha256 (hex) of the bytes written to the file, when asked for (TransferOptions.sha256) and the
   * protocol hashed them as they arrived: the engine then does not read the file again.
   */
  sha256?: string;
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
  /**
   * send writes the whole file where the partner does not take it, then gives it its final name (over
   * HTTP: the partner takes the file only once the request's body, whose length is announced, is
   * complete, and its last bytes are what is held back): it honours `TransferOptions.beforePublish`, so
   * the engine may start the transfer before the file is journaled.
   */
  publishesLast?: true;
  list?(options?: TransferOptions): Promise<RemoteEntry[]>;
  /** Write the entry's bytes to `destPath` (a partial file chosen by the core), flushed before resolving. */
  fetch?(entry: RemoteEntry, destPath: string, options?: TransferOptions): Promise<FetchResult>;
  acknowledge?(entry: RemoteEntry): Promise<void>;
  check?(options?: { writeProbe?: boolean }): Promise<CheckResult[]>;
  /** After an uncertain send: is the file complete at the partner under `item.name`? */
  verify?(item: SendItem): Promise<VerifyResult>;
  /**
   * Where the partner stands on a pending send. When it has a receipt file (the acquit), the protocol
   * writes it to `receiptPath` (a partial file chosen by the engine), flushed, and names it in the result;
   * the engine places it. Transient trouble (network, 5xx, 429) is thrown as a TransferError.
   */
  follow?(pending: PendingSend, receiptPath: string, options?: TransferOptions): Promise<FollowResult>;
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

/**
 * A protocol as the registry loads it (built from its declaration by `defineProtocol`, protocols/define.ts).
 * `capabilities` are exactly the methods its sessions have: a session that differs is refused when opened.
 */
export interface ProtocolDefinition {
  name: string;
  capabilities: readonly Capability[];
  /** The problems of settings against the protocol's declared options (what opening a session refuses). */
  validate?(profile: Record<string, unknown>, options: Record<string, unknown>): ProtocolSettingProblem[];
  /** Refuses invalid settings like a connection that cannot be made (permanent, `connection: true`). */
  open(context: ProtocolContext): Promise<ProtocolSession>;
}

export interface ProtocolSettingProblem {
  /** `profile.<key>` or `options.<key>`. */
  where: 'profile' | 'options';
  key: string;
  messageKey: string;
  params?: Params;
  /** Catalog key of the advice, when there is some (rendered with the same params). */
  fixKey?: string;
}

export function hasCapability(definition: ProtocolDefinition, capability: Capability): boolean {
  return definition.capabilities.includes(capability);
}
