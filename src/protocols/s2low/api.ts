// One S²LOW session's requests: the API's paths on the profile's address, HTTP Basic when a login is
// set, and S²LOW's ways of answering — XML always with HTTP 200 (its `resultat` says OK or KO), plain
// text `KO\n…` when it found no account for the certificate (and login), a redirect for a download it
// cannot serve. A connection cut around the TLS handshake is checked once more, alone, so that a
// certificate S²LOW refuses is named as such rather than reported as a network failure.
import { connect } from 'node:tls';
import type { Dispatcher } from 'undici';
import { redact } from '../../shared/redact.js';
import { isTransferError, TransferError, type ProtocolLog } from '../contract.js';
import { discard, headerValue, ownWords, readSnippet } from '../web/answers.js';
import type { WebClient, WebRequest } from '../web/client.js';
import { proxyInUse } from '../web/dispatcher.js';
import { errorCodeOf, networkFailure, statusFailure } from '../web/errors.js';
import type { UploadBody } from '../web/upload-body.js';
import { certificateParams, type ClientCertificate } from './certificate.js';
import type { S2lowSettings } from './settings.js';
import { childText, parseXml, type XmlNode } from '../common/xml.js';

export const S2LOW_PATHS = {
  testConnexion: '/api/test-connexion.php',
  import: '/modules/helios/api/helios_importer_fichier.php',
  status: '/modules/helios/api/helios_transac_get_status.php',
  acquit: '/modules/helios/helios_download_acquit.php',
  list: '/modules/helios/api/helios_get_list.php',
  retour: '/modules/helios/api/helios_get_retour.php',
  changeStatus: '/modules/helios/api/helios_change_status.php',
} as const;

export type S2lowEndpoint = keyof typeof S2LOW_PATHS;

/** S²LOW's answers are a few lines; a larger one is no answer of its API. */
const ANSWER_LIMIT = 1024 * 1024;
/** Cuts that may be S²LOW refusing the client certificate (the handshake's alert, or a close right after it). */
const CUT_CODES = /^(UND_ERR_SOCKET|ECONNRESET|EPIPE|ERR_SSL_.*ALERT.*|ERR_SSL_.*CERTIFICATE.*|ERR_TLS_.*)$/;
const PROBE_MS = 10_000;

export interface S2lowAnswer {
  root: string;
  node: XmlNode;
  /** `resultat`, when the answer has one. */
  ok: boolean | undefined;
  message: string;
  /** The answer's words (tags dropped, shortened, secrets masked): for a message about an answer that is not S²LOW's. */
  words: string;
}

export class S2lowApi {
  constructor(
    readonly client: WebClient,
    readonly settings: S2lowSettings,
    readonly certificate: ClientCertificate,
    readonly log: ProtocolLog,
  ) {}

  get host(): string {
    return this.settings.url.host;
  }

  address(endpoint: S2lowEndpoint, query: Record<string, string> = {}): URL {
    const url = new URL(this.settings.url.href);
    url.pathname = `${this.settings.url.pathname.replace(/\/+$/, '')}${S2LOW_PATHS[endpoint]}`;
    url.search = new URLSearchParams(query).toString();
    return url;
  }

  /** Sends the request; S²LOW's refusal of the certificate becomes a named, permanent connection error. */
  async send(what: Omit<WebRequest, 'headers'> & { body?: UploadBody }, client: WebClient = this.client): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = {};
    if (this.settings.login !== undefined) headers.authorization = `Basic ${Buffer.from(`${this.settings.login.user}:${this.settings.login.password}`, 'utf8').toString('base64')}`;
    try {
      return await client.send({ ...what, headers });
    } catch (error) {
      throw await this.certificateRefusal(error, what.url);
    }
  }

  /**
   * A GET whose answer is S²LOW's XML with this root (or its plain-text refusal). Another document — a
   * proxy's or a portal's page — is no answer of S²LOW's API: a permanent connection error.
   */
  async getXml(endpoint: S2lowEndpoint, root: string, query: Record<string, string> = {}, options: { signal?: AbortSignal | undefined; client?: WebClient } = {}): Promise<S2lowAnswer> {
    const url = this.address(endpoint, query);
    const response = await this.send({ method: 'GET', url, signal: options.signal }, options.client);
    const answer = await this.readAnswer(response, url, false);
    if (answer.root !== root) throw this.notS2low(url, answer.words);
    return answer;
  }

  /** The answer of a request whose status S²LOW set to 200, read as XML; everything else is an error. */
  async readAnswer(response: Dispatcher.ResponseData, url: URL, bodyLeft: boolean): Promise<S2lowAnswer> {
    if (response.statusCode !== 200) throw await this.statusError(response, url);
    let bytes: Buffer;
    try {
      bytes = await readBytes(response.body, ANSWER_LIMIT, this.host);
    } catch (error) {
      if (isTransferError(error)) throw error;
      throw networkFailure(error, this.client.failureContext(url, bodyLeft));
    }
    return this.parseAnswer(bytes, url, bodyLeft);
  }

  /**
   * @param bodyLeft the request carried a file that may have arrived: an answer that is not S²LOW's is
   *   then an uncertain, transient failure (a second send is refused as a doublon if it did arrive)
   */
  parseAnswer(bytes: Buffer, url: URL, bodyLeft = false): S2lowAnswer {
    const words = textOf(bytes).trimStart();
    if (/^KO(\r?\n|$)/.test(words)) {
      const serverMessage = redact(words.slice(2).trim().slice(0, 300));
      const key = this.settings.login === undefined ? 'protocol.s2low.authRefused' : 'protocol.s2low.loginRefused';
      throw new TransferError('permanent', key, { host: this.host, ...certificateParams(this.certificate), user: this.settings.login?.user ?? '' }, { fixKey: `${key}.fix`, connection: true, ...(serverMessage === '' ? {} : { serverMessage }) });
    }
    const parsed = parseXml(bytes);
    if (parsed === undefined) throw this.notS2low(url, ownWords(words), bodyLeft);
    const resultat = childText(parsed.node, 'resultat')?.trim().toUpperCase();
    return { ...parsed, ok: resultat === undefined ? undefined : resultat === 'OK', message: (childText(parsed.node, 'message') ?? '').trim(), words: ownWords(words) };
  }

  /** An answer that is not S²LOW's API: a wrong address, or a proxy's or portal's page. */
  notS2low(url: URL, words: string, bodyLeft = false): TransferError {
    const params = { host: this.host, address: `${url.origin}${url.pathname}` };
    const serverMessage = words === '' ? {} : { serverMessage: words };
    if (bodyLeft) return new TransferError('transient', 'protocol.s2low.unexpectedAnswer', params, { fixKey: 'protocol.s2low.unexpectedAnswer.fix', uncertain: true, ...serverMessage });
    return new TransferError('permanent', 'protocol.s2low.notXml', params, { fixKey: 'protocol.s2low.notXml.fix', connection: true, ...serverMessage });
  }

  async statusError(response: Dispatcher.ResponseData, url: URL): Promise<TransferError> {
    const words = ownWords(await readSnippet(response.body, response.headers));
    return statusFailure({
      host: this.host,
      status: response.statusCode,
      serverMessage: words,
      retryAfter: headerValue(response.headers, 'retry-after'),
      location: headerValue(response.headers, 'location'),
      address: `${url.origin}${url.pathname}`,
    });
  }

  /**
   * The error a failed request stands for: when the connection was cut around the handshake, one more
   * connection alone says whether S²LOW refuses the certificate (it then closes before any answer).
   */
  async certificateRefusal(error: unknown, url: URL): Promise<unknown> {
    if (!isTransferError(error) || error.key.startsWith('protocol.web.proxy')) return error;
    const code = errorCodeOf(error.cause) ?? String(error.params.code ?? '');
    if (!CUT_CODES.test(code) || proxyInUse(this.client.settings, url) !== undefined) return error;
    const refused = await probeRefusesCertificate(this.address('testConnexion'), this.client.tlsOptions);
    if (!refused) return error;
    return new TransferError('permanent', 'protocol.s2low.certificateRefused', { host: this.host, ...certificateParams(this.certificate), code }, { fixKey: 'protocol.s2low.certificateRefused.fix', connection: true, cause: error });
  }
}

/**
 * One TLS connection with the session's certificate and a request for test-connexion.php: true when
 * the server ends it before any byte of answer although our side of the handshake completed (or with
 * a TLS alert) — what S²LOW does to a certificate it does not accept. False when it answers, or when
 * the failure is about the server's own certificate or the network.
 */
function probeRefusesCertificate(url: URL, tls: WebClient['tlsOptions']): Promise<boolean> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const servername = /^[\d.]+$|:/.test(host) ? {} : { servername: host };
  return new Promise((resolve) => {
    let handshake = false;
    const socket = connect({ host, port: Number(url.port || 443), ...servername, ...tls, timeout: PROBE_MS });
    const done = (refused: boolean): void => {
      socket.destroy();
      resolve(refused);
    };
    socket.once('secureConnect', () => {
      handshake = true;
      socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
    });
    socket.once('data', () => done(false));
    socket.once('error', (error) => {
      const code = errorCodeOf(error) ?? '';
      done(/ALERT|PEER_DID_NOT_RETURN|CERTIFICATE_REQUIRED/.test(code) || (handshake && /ECONNRESET|EPIPE/.test(code)));
    });
    socket.once('end', () => done(handshake));
    socket.once('timeout', () => done(false));
  });
}

/** The whole answer as bytes (its declaration, not the HTTP header, says how to decode it), refused beyond `limit`. */
export async function readBytes(body: Dispatcher.ResponseData['body'], limit: number, host: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      discard(body);
      throw new TransferError('permanent', 'protocol.web.answerTooLarge', { host, limit }, { fixKey: 'protocol.web.answerTooLarge.fix' });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Plain text as UTF-8 when it is, else as Latin-1 (S²LOW's PHP writes either). */
function textOf(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

/** Drops what is left of an answer that will not be read. */
export function dropAnswer(response: Dispatcher.ResponseData): void {
  discard(response.body);
}
