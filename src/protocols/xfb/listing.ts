// What waits for the collectivité: `GET <url>?user=U&password=P&list=1`. Only files in state B are
// offered; files in state E were taken already (by ordo, or by a click in a browser).
import { redact } from '../../shared/redact.js';
import { TransferError, type ProtocolLog, type RemoteEntry, type TransferOptions } from '../contract.js';
import { readPage } from '../web/answers.js';
import type { WebClient } from '../web/client.js';
import { networkFailure } from '../web/errors.js';
import { entryId, listAddress } from './addresses.js';
import { listedFiles, type ListedFile } from './pages.js';
import { gatewayRefusal } from './refusals.js';
import type { XfbSettings } from './settings.js';

/** A listing larger than this is not a listing (tens of thousands of entries). */
const LISTING_LIMIT = 8 * 1024 * 1024;

export async function listGateway(client: WebClient, settings: XfbSettings, options: TransferOptions, log: ProtocolLog): Promise<ListedFile[]> {
  const url = listAddress(settings);
  log.info('protocol.xfb.listing', { url: redact(url.href) });
  const response = await client.send({ method: 'GET', url, signal: options.signal });
  if (response.statusCode !== 200) throw await gatewayRefusal(response, settings, 'list');
  let page: string;
  try {
    page = await readPage(response.body, response.headers, LISTING_LIMIT, settings.url.host);
  } catch (error) {
    throw networkFailure(error, client.failureContext(settings.url, false));
  }
  const { files, skipped, unexpected } = listedFiles(page, settings.url.pathname);
  if (unexpected !== undefined) throw new TransferError('permanent', 'protocol.xfb.unexpectedListing', { host: settings.url.host, line: unexpected }, { fixKey: 'protocol.xfb.unexpectedListing.fix' });
  for (const line of skipped) options.onSkipped?.({ name: line, key: 'protocol.xfb.skippedLine', params: { host: settings.url.host, line } });
  return files;
}

export async function listWaiting(client: WebClient, settings: XfbSettings, options: TransferOptions, log: ProtocolLog): Promise<RemoteEntry[]> {
  const files = await listGateway(client, settings, options, log);
  const waiting = files.filter((file) => file.state === 'B');
  log.info('protocol.xfb.listed', { waiting: waiting.length, taken: files.length - waiting.length });
  return waiting.map((file) => ({
    id: entryId(settings, file.name, file.localIdent),
    name: file.name,
    ...(file.size === undefined ? {} : { size: file.size }),
  }));
}
