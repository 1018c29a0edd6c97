// How filesystem failures become the contract's typed errors for the `local` protocol.
import { TransferError } from '../contract.js';
import { errorCode } from '../../shared/fs-errors.js';

export { errorCode, isAlreadyThere, linkUnsupported } from '../../shared/fs-errors.js';
export { isAbort } from '../../shared/abort.js';

// Everything not listed below (ENOSPC, EDQUOT, EIO, EBUSY, ETIMEDOUT, ESTALE, EHOSTDOWN, ECONNRESET…) is
// the disk's, the share's or the network's trouble for now: transient, retried later within the
// scenario's bounds rather than sending the file to failed/.
const DENIED_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

/** The file itself cannot be written there, however often we try (FAT's 4 GiB limit, a folder in the way…). */
const UNWRITABLE_CODES = new Set(['EFBIG', 'EISDIR', 'EINVAL', 'ELOOP', 'ENAMETOOLONG']);


export function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * A failure while reading or writing `path`. `folderLevel`: the folder itself is at fault, so
 * nothing at all can be transferred (the core reports it as a connection problem).
 */
export function fileSystemError(
  error: unknown,
  path: string,
  options: { folderLevel?: boolean; uncertain?: boolean } = {},
): TransferError {
  if (error instanceof TransferError) return error;
  const code = errorCode(error) ?? 'UNKNOWN';
  const connection = options.folderLevel ?? false;
  if (DENIED_CODES.has(code)) {
    return new TransferError('permanent', 'protocol.local.denied', { path, code }, { fixKey: 'protocol.local.denied.fix', connection, cause: error });
  }
  if (UNWRITABLE_CODES.has(code)) {
    return new TransferError('permanent', 'protocol.local.unwritable', { path, code }, { fixKey: 'protocol.local.unwritable.fix', cause: error });
  }
  return new TransferError('transient', 'protocol.local.io', { path, code }, {
    fixKey: 'protocol.local.io.fix',
    connection,
    uncertain: options.uncertain ?? false,
    cause: error,
  });
}
