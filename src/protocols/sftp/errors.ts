// How SSH and SFTP failures become the contract's typed errors. Connection-level failures say which
// step failed; file-level ones say which remote path. Nothing here ever carries a credential.
import { TransferError } from '../contract.js';

/** SFTP status codes (draft-ietf-secsh-filexfer-02), as ssh2 reports them in `error.code`. */
const SFTP_STATUS = { noSuchFile: 2, permissionDenied: 3, failure: 4, connectionLost: 7, unsupported: 8 } as const;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

/** ssh2-sftp-client's words for "the connection went away under this request". */
const LOST_MESSAGES = /unexpected (end|close) event|no response from server|no sftp connection|not connected|channel (closed|not open)|connection lost|socket (hang up|closed)/i;

export type FailureKind = 'missing' | 'denied' | 'unsupported' | 'lost' | 'other';

export function errorCodeOf(error: unknown): string | number | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = error.code;
  return typeof code === 'string' || typeof code === 'number' ? code : undefined;
}

/** Classifies a failure of one remote operation. */
export function failureKind(error: unknown): FailureKind {
  const code = errorCodeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === SFTP_STATUS.noSuchFile || code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
  if (code === SFTP_STATUS.permissionDenied || code === 'EACCES' || code === 'EPERM') return 'denied';
  if (code === SFTP_STATUS.unsupported) return 'unsupported';
  if (code === SFTP_STATUS.connectionLost || code === 'ERR_NOT_CONNECTED') return 'lost';
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || DNS_CODES.has(code))) return 'lost';
  if (LOST_MESSAGES.test(message)) return 'lost';
  return 'other';
}

export function isDnsCode(code: unknown): boolean {
  return typeof code === 'string' && DNS_CODES.has(code);
}

export function isNetworkCode(code: unknown): boolean {
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/** A short, secret-free code for messages: `ENOENT`, `EACCES`, `SFTP 4`… */
export function shownCode(error: unknown): string {
  const code = errorCodeOf(error);
  if (typeof code === 'number') return `SFTP ${code}`;
  return code ?? 'UNKNOWN';
}

export interface OperationContext {
  /** The remote path the operation was about. */
  path: string;
  /** The connection is known to be gone (its close/end/error event was seen). */
  connectionLost: boolean;
  /** The failure came after the whole file left (the rename was asked for). */
  uncertain?: boolean;
}

/**
 * A failed remote operation. Missing paths and refusals are the account's or the configuration's
 * trouble (permanent); a lost connection and the server's generic failures (disk full, busy…) are
 * worth trying again later (transient).
 */
export function operationError(error: unknown, context: OperationContext): TransferError {
  if (error instanceof TransferError) return error;
  const kind = context.connectionLost ? 'lost' : failureKind(error);
  const params = { path: context.path, code: shownCode(error) };
  const options = { cause: error, uncertain: context.uncertain ?? false };
  switch (kind) {
    case 'missing':
      return new TransferError('permanent', 'protocol.sftp.notFound', params, options);
    case 'denied':
      return new TransferError('permanent', 'protocol.sftp.denied', params, { fixKey: 'protocol.sftp.denied.fix', ...options });
    case 'unsupported':
      return new TransferError('permanent', 'protocol.sftp.unsupportedRequest', params, options);
    case 'lost':
      return new TransferError('transient', 'protocol.sftp.connectionLost', params, options);
    case 'other':
      return new TransferError('transient', 'protocol.sftp.failure', params, { fixKey: 'protocol.sftp.failure.fix', ...options });
  }
}
