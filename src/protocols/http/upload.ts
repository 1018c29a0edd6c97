// Sending one file to the file type's address: the raw file or a multipart form with the extra
// fields, with the profile's authentication. Success is the expected status (any 2xx by default) and,
// when asked for, the expected text in the answer.
import { redact } from '../../shared/redact.js';
import { TransferError, type ProtocolLog, type Receipt, type SendItem, type TransferOptions } from '../contract.js';
import { requirePlainName } from '../common/folders.js';
import { headerValue, ownWords, readPage, readSnippet } from '../web/answers.js';
import type { WebClient } from '../web/client.js';
import { networkFailure, statusFailure } from '../web/errors.js';
import { openUploadBody } from '../web/upload-body.js';
import type { HttpSettings } from './settings.js';

const ANSWER_LIMIT = 1024 * 1024;

export async function uploadFile(client: WebClient, settings: HttpSettings, item: SendItem, options: TransferOptions, log: ProtocolLog): Promise<Receipt> {
  const name = requirePlainName(item.name);
  const url = uploadAddress(settings, name);
  const multipart = settings.body === 'multipart'
    ? { fields: settings.fields.map(([field, value]): [string, string] => [field, value.replaceAll('{name}', name)]), fileField: settings.fileField }
    : undefined;
  const body = await openUploadBody(item, multipart, options.onProgress, options.beforePublish);
  const headers = { ...authorization(settings), ...(multipart === undefined ? rawHeaders(name) : {}) };
  log.info('protocol.http.uploading', { name, size: item.size, fileType: settings.fileType, url: redact(url.href) });
  const response = await client.send({ method: settings.method, url, headers, body, signal: options.signal });
  const { statusCode: status } = response;
  const location = headerValue(response.headers, 'location');
  if (!isSuccess(settings, status)) {
    if (status >= 200 && status < 300) {
      const words = ownWords(await readSnippet(response.body, response.headers));
      throw new TransferError('transient', 'protocol.http.notConfirmed', { name, host: url.host, status }, { fixKey: 'protocol.http.notConfirmed.fix', uncertain: true, serverMessage: words });
    }
    const words = ownWords(await readSnippet(response.body, response.headers));
    throw statusFailure({ host: url.host, status, serverMessage: words, retryAfter: headerValue(response.headers, 'retry-after'), location, address: `${url.origin}${url.pathname}` });
  }
  let answer: string;
  try {
    answer = await readPage(response.body, response.headers, ANSWER_LIMIT, url.host);
  } catch (error) {
    throw networkFailure(error, client.failureContext(url, true));
  }
  log.info('protocol.http.answered', { status, answer: ownWords(answer) || '—' });
  if (settings.successPattern !== undefined && !settings.successPattern.test(answer)) {
    throw new TransferError('transient', 'protocol.http.notConfirmed', { name, host: url.host, status }, { fixKey: 'protocol.http.notConfirmed.fix', uncertain: true, serverMessage: ownWords(answer) });
  }
  const remoteId = location === undefined ? `${settings.fileType}:${name}@${new Date().toISOString()}` : redact(new URL(location, url).href);
  return { remoteId, state: 'acknowledged', detail: { status } };
}

export function uploadAddress(settings: HttpSettings, name: string): URL {
  return new URL(settings.urlTemplate.replaceAll('{name}', encodeURIComponent(name)));
}

/** The file type's address without the file's name: what `diagnose` probes and warnings name. */
export function endpointAddress(settings: HttpSettings): URL {
  return new URL(settings.urlTemplate.replaceAll('/{name}', '').replaceAll('{name}', ''));
}

export function authorization(settings: HttpSettings): Record<string, string> {
  const { auth } = settings;
  if (auth.type === 'basic') return { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` };
  if (auth.type === 'bearer') return { authorization: `Bearer ${auth.token}` };
  return {};
}

function isSuccess(settings: HttpSettings, status: number): boolean {
  return settings.successStatus === undefined ? status >= 200 && status < 300 : settings.successStatus.includes(status);
}

/** A raw body says its name the standard way (RFC 6266), with an ASCII fallback for old servers. */
function rawHeaders(name: string): Record<string, string> {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}` };
}
