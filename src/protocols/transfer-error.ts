// What every protocol throws: a typed failure the core decides upon (retry, move aside, report), with
// the catalog keys of its message and, when there is advice to give, of its fix.
import type { Params } from '../i18n/index.js';
import type { ReportsConnection } from '../shared/exit-codes.js';

/**
 * transient: the partner's or the network's trouble (timeouts, resets, 5xx) — retry later, file stays queued.
 * permanent: the file's or the account's trouble (auth refused, 4xx, not authorised) — stop, move aside.
 * unsupported: the protocol cannot do this at all (capability not declared).
 */
export type TransferErrorKind = 'transient' | 'permanent' | 'unsupported';

export class TransferError extends Error implements ReportsConnection {
  readonly kind: TransferErrorKind;
  /** Catalog key of the message (`protocol.<name>.<what>`). */
  readonly key: string;
  readonly params: Params;
  /** Catalog key of the advice shown with the message (rendered with the same params), when there is some. */
  readonly fixKey: string | undefined;
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
      fixKey?: string | undefined;
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
    this.fixKey = options.fixKey;
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
