// A small queued file read whole, at once, before it is sent (sftp, and the HTTP protocols' bodies).
import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { TransferError, type SendItem } from '../contract.js';

/** Up to this size a queued file is read whole (readWholeSource); larger ones are streamed. */
export const READ_WHOLE_MAX = 256 * 1024;

/** What the file was when it was read: compared again after a transfer that reads it in parts. */
export interface SourceIdentity {
  size: number;
  mtimeMs: number;
}

export interface WholeSource {
  content: Buffer;
  identity: SourceIdentity;
}

export function identityOf(info: Stats): SourceIdentity {
  return { size: info.size, mtimeMs: info.mtimeMs };
}

/**
 * The queued file read whole through one descriptor, its size and date taken before and after: what is
 * sent is exactly what was read, and it is the file the core recorded (`sourceChanged` otherwise).
 * Synchronous on purpose: a few system calls on a file the engine has just hashed, ~20 µs, where each
 * asynchronous step (open, stat, read, read to the end, close) is a trip through libuv's thread pool —
 * measured at 10–15 % of the small-file rate over SFTP, and ~0.6 ms a file over HTTP.
 * `failure` turns a system error (opening or reading) into the protocol's own error.
 */
export function readWholeSource(item: SendItem, failure: (error: unknown) => TransferError): WholeSource {
  let fd: number;
  try {
    fd = openSync(item.path, 'r');
  } catch (error) {
    throw failure(error);
  }
  try {
    const before = fstatSync(fd);
    // One byte more than recorded: a file that grew is caught here.
    const buffer = Buffer.allocUnsafe(item.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
    }
    const after = fstatSync(fd);
    if (length !== item.size || before.size !== item.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      // The size on disk where it differs (what was read stops one byte past the recorded size).
      const actual = before.size !== item.size ? before.size : after.size !== before.size ? after.size : length;
      throw new TransferError('permanent', 'protocol.common.sourceChanged', { name: item.name, expected: item.size, actual });
    }
    return { content: buffer.subarray(0, length), identity: identityOf(before) };
  } catch (error) {
    if (error instanceof TransferError) throw error;
    throw failure(error);
  } finally {
    closeSync(fd);
  }
}
