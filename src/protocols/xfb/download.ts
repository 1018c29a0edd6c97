// Bringing one waiting file back: `GET <url>/<NAME>?local_ident=N&user=U&password=P`, streamed into
// the partial file the engine chose, flushed before returning. The gateway marks a file taken (state
// E) once it has sent all of it — possibly before every byte reached us — so a download that fails
// after bytes arrived keeps them and says loudly that DGFiP support may be needed.
import { once } from 'node:events';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { redact } from '../../shared/redact.js';
import { localWriteError, TransferError, type FetchResult, type ProtocolLog, type RemoteEntry, type TransferOptions } from '../contract.js';
import { fileSystemError } from '../common/file-errors.js';
import { abortError, throwIfAborted } from '../../shared/abort.js';
import { discard } from '../web/answers.js';
import type { WebClient } from '../web/client.js';
import { errorCodeOf } from '../web/errors.js';
import { downloadAddress, localIdentOf } from './addresses.js';
import { gatewayRefusal } from './refusals.js';
import type { XfbSettings } from './settings.js';

/** Disk writes are batched up to this much, so that the network never waits for each one. */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;

export async function downloadEntry(
  client: WebClient,
  settings: XfbSettings,
  entry: RemoteEntry,
  destPath: string,
  options: TransferOptions,
  log: ProtocolLog,
): Promise<FetchResult> {
  const localIdent = localIdentOf(entry.id);
  if (localIdent === undefined) throw new TransferError('permanent', 'protocol.xfb.notAnEntry', { name: entry.name });
  throwIfAborted(options.signal);
  const url = downloadAddress(settings, entry.name, localIdent);
  log.info('protocol.xfb.downloading', { name: entry.name, url: redact(url.href) });
  const response = await client.send({ method: 'GET', url, signal: options.signal });
  if (response.statusCode !== 200) throw await gatewayRefusal(response, settings, 'download', entry.name);

  let handle: FileHandle;
  try {
    handle = await open(destPath, 'w');
  } catch (error) {
    discard(response.body);
    throw localWriteError(error, destPath) ?? fileSystemError(error, destPath);
  }
  let bytes = 0;
  response.body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    options.onProgress?.(bytes);
  });
  // The write stream owns the file: it flushes it to disk and closes it at the end, or closes it on failure.
  const output = handle.createWriteStream({ flush: true, highWaterMark: WRITE_BUFFER_BYTES });
  try {
    await pipeline(response.body, output);
    if (bytes === 0) options.onProgress?.(0);
  } catch (error) {
    // Whatever reached the file stays in destPath: the engine keeps it aside and reports it.
    if (!output.closed) await once(output, 'close').catch(() => undefined);
    if (options.signal?.aborted === true) throw abortError(options.signal);
    const local = localWriteError(error, destPath);
    if (local !== undefined) throw local;
    const kept = await stat(destPath).then((info) => info.size, () => output.bytesWritten);
    throw interrupted(entry, kept, error);
  }
  if (entry.size !== undefined && bytes !== entry.size) {
    throw new TransferError('transient', 'protocol.xfb.sizeMismatch', { name: entry.name, bytes, expected: entry.size }, { fixKey: 'protocol.xfb.sizeMismatch.fix' });
  }
  log.info('protocol.xfb.downloaded', { name: entry.name, bytes });
  return { bytes };
}

function interrupted(entry: RemoteEntry, bytes: number, error: unknown): TransferError {
  const code = errorCodeOf(error) ?? 'UNKNOWN';
  return new TransferError('transient', 'protocol.xfb.fetchInterrupted', { name: entry.name, bytes, code }, { fixKey: 'protocol.xfb.fetchInterrupted.fix', cause: error });
}
