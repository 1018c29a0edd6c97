// Sending one file to the gateway: `POST <url>?user=U&password=P` with the partner and application
// codes and the file, streamed. Only the page titled "File received correctly" is a success.
import { redact } from '../../shared/redact.js';
import { TransferError, type ProtocolLog, type Receipt, type SendItem, type TransferOptions } from '../contract.js';
import { requirePlainName } from '../common/folders.js';
import { readPage } from '../web/answers.js';
import type { WebClient } from '../web/client.js';
import { networkFailure } from '../web/errors.js';
import { openUploadBody } from '../web/upload-body.js';
import { uploadAddress } from './addresses.js';
import { gatewayWords, pageTitle, SUCCESS_TITLE } from './pages.js';
import { gatewayRefusal } from './refusals.js';
import type { XfbSettings } from './settings.js';

const PAGE_LIMIT = 256 * 1024;

export async function uploadToGateway(
  client: WebClient,
  settings: XfbSettings,
  item: SendItem,
  options: TransferOptions,
  log: ProtocolLog,
): Promise<Receipt> {
  const name = requirePlainName(item.name);
  const url = uploadAddress(settings);
  const body = await openUploadBody(
    item,
    { fields: [['partner', settings.partner], ['application', settings.application]], fileField: 'file' },
    options.onProgress,
    options.beforePublish,
  );
  log.info('protocol.xfb.uploading', { name, size: item.size, url: redact(url.href) });
  const response = await client.send({ method: 'POST', url, body, signal: options.signal });
  if (response.statusCode !== 200) throw await gatewayRefusal(response, settings, 'upload', name);

  let page: string;
  try {
    page = await readPage(response.body, response.headers, PAGE_LIMIT, settings.url.host);
  } catch (error) {
    // The gateway had begun to answer "200": the file may well be there.
    throw networkFailure(error, client.failureContext(settings.url, true));
  }
  const title = pageTitle(page);
  log.info('protocol.xfb.answered', { status: response.statusCode, title: title ?? '—' });
  if (title !== SUCCESS_TITLE) {
    throw new TransferError('transient', 'protocol.xfb.notConfirmed', { name, host: settings.url.host }, { fixKey: 'protocol.xfb.notConfirmed.fix', uncertain: true, serverMessage: gatewayWords(page) });
  }
  return { remoteId: `${settings.url.pathname}/${name}@${uniqueStamp()}`, state: 'acknowledged', detail: { answer: SUCCESS_TITLE } };
}

let lastStamp = 0;

/**
 * The gateway gives no deposit number: a receipt is the path, the name and the time of the answer,
 * kept distinct when the same name is sent twice within a millisecond.
 */
function uniqueStamp(): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return new Date(lastStamp).toISOString();
}
