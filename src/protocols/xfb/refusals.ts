// What the gateway's refusals mean. The wire format gives each status one meaning: 401 bad
// credentials, 403 partner not authorised for this ordonnateur, 400 missing or empty file, and for a
// download 404 no such file and 410 already taken (state E). Every other status is read the generic
// way (5xx transient, other 4xx permanent). The gateway's own words always go along.
import type { Dispatcher } from 'undici';
import { TransferError } from '../contract.js';
import { headerValue, readSnippet } from '../web/answers.js';
import { statusFailure } from '../web/errors.js';
import { gatewayWords } from './pages.js';
import type { XfbSettings } from './settings.js';

export type Exchange = 'upload' | 'list' | 'download';

export async function gatewayRefusal(
  response: Dispatcher.ResponseData,
  settings: XfbSettings,
  exchange: Exchange,
  name?: string,
): Promise<TransferError> {
  const words = gatewayWords(await readSnippet(response.body, response.headers));
  const serverMessage = words === '' ? {} : { serverMessage: words };
  const { statusCode: status } = response;
  const host = settings.url.host;
  if (status === 401) return new TransferError('permanent', 'protocol.xfb.badCredentials', { host, status }, { fixKey: 'protocol.xfb.badCredentials.fix', ...serverMessage, connection: true });
  if (status === 403) {
    const params = { host, partner: settings.partner, application: settings.application };
    return new TransferError('permanent', 'protocol.xfb.partnerNotAuthorised', params, { fixKey: 'protocol.xfb.partnerNotAuthorised.fix', ...serverMessage, connection: true });
  }
  if (status === 400 && exchange === 'upload') return new TransferError('permanent', 'protocol.xfb.fileRefused', { name: name ?? '', host }, { fixKey: 'protocol.xfb.fileRefused.fix', ...serverMessage });
  if (status === 410 && exchange === 'download') return new TransferError('permanent', 'protocol.xfb.alreadyTaken', { name: name ?? '', host }, { fixKey: 'protocol.xfb.alreadyTaken.fix', ...serverMessage });
  if (status === 404 && exchange === 'download') return new TransferError('permanent', 'protocol.xfb.noSuchFile', { name: name ?? '', host }, { fixKey: 'protocol.xfb.noSuchFile.fix', ...serverMessage });
  return statusFailure({
    host,
    status,
    serverMessage: words,
    retryAfter: headerValue(response.headers, 'retry-after'),
    location: headerValue(response.headers, 'location'),
    address: `${settings.url.origin}${settings.url.pathname}`,
  });
}
