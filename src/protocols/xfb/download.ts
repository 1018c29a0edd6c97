// Bringing one waiting file back: `GET <url>/<NAME>?local_ident=N&user=U&password=P`, streamed into
// the partial file the engine chose, flushed before returning. The gateway marks a file taken (state
// E) once it has sent all of it — possibly before every byte reached us — so a download that fails
// after bytes arrived keeps them and says loudly that DGFiP support may be needed.
import { redact } from '../../shared/redact.js';
import { TransferError, type FetchResult, type ProtocolLog, type RemoteEntry, type TransferOptions } from '../contract.js';
import { throwIfAborted } from '../../shared/abort.js';
import { writeBodyToFile } from '../web/body-to-file.js';
import type { WebClient } from '../web/client.js';
import { errorCodeOf } from '../web/errors.js';
import { downloadAddress, localIdentOf } from './addresses.js';
import { gatewayRefusal } from './refusals.js';
import type { XfbSettings } from './settings.js';

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

  // Whatever reached the file stays in destPath: the engine keeps it aside and reports it.
  const written = await writeBodyToFile(response.body, destPath, options, { interrupted: (error, kept) => interrupted(entry, kept, error) });
  const { bytes } = written;
  if (entry.size !== undefined && bytes !== entry.size) {
    throw new TransferError('transient', 'protocol.xfb.sizeMismatch', { name: entry.name, bytes, expected: entry.size }, { fixKey: 'protocol.xfb.sizeMismatch.fix' });
  }
  log.info('protocol.xfb.downloaded', { name: entry.name, bytes });
  return written;
}

function interrupted(entry: RemoteEntry, bytes: number, error: unknown): TransferError {
  const code = errorCodeOf(error) ?? 'UNKNOWN';
  return new TransferError('transient', 'protocol.xfb.fetchInterrupted', { name: entry.name, bytes, code }, { fixKey: 'protocol.xfb.fetchInterrupted.fix', cause: error });
}
