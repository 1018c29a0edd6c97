// How SSH and SFTP failures become the contract's typed errors. Connection-level failures say which
// step failed; file-level ones say which remote path. Nothing here ever carries a credential.
import { TransferError } from '../contract.js';

/** SFTP status codes (draft-ietf-secsh-filexfer-02), as ssh2 reports them in `error.code`. */
const SFTP_STATUS = { noSuchFile: 2, permissionDenied: 3, failure: 4, connectionLost: 7, unsupported: 8 } as const;
/** Later drafts' "no space on the file system" and "quota exceeded" (some servers send them to v3 clients). */
const NO_SPACE_STATUS = new Set([14, 15]);
/** How servers word a full disk or quota in a generic failure (ProFTPD sends strerror's words). */
const NO_SPACE_WORDS = /no space|disk (is )?full|quota|ENOSPC|EDQUOT/i;
/** A server's message is shown as it said it, up to this length. */
const REASON_MAX = 200;

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

export type FailureKind = 'missing' | 'denied' | 'unsupported' | 'lost' | 'noSpace' | 'other';

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
  if ((typeof code === 'number' && NO_SPACE_STATUS.has(code)) || NO_SPACE_WORDS.test(message)) return 'noSpace';
  return 'other';
}

/** What the server said about a failure (its own words, shortened), or the error's code when it said nothing. */
export function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const words = message.replace(/\s+/g, ' ').trim();
  if (words === '') return shownCode(error);
  return words.length > REASON_MAX ? `${words.slice(0, REASON_MAX - 1)}…` : words;
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
 * trouble (permanent); a lost connection, a full disk and the server's generic failures are worth
 * trying again later (transient). A generic failure says what the server said, never a guess at why.
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
    case 'noSpace':
      return new TransferError('transient', 'protocol.sftp.noSpace', { ...params, reason: failureReason(error) }, { fixKey: 'protocol.sftp.noSpace.fix', ...options });
    case 'other':
      return new TransferError('transient', 'protocol.sftp.failure', { ...params, reason: failureReason(error) }, { fixKey: 'protocol.sftp.failure.fix', ...options });
  }
}
