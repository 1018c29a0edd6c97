// Talking to Pastell's REST API v2 through the web client every HTTP protocol shares: the
// `Authorization` header on every request, form-urlencoded bodies (the only PATCH body Pastell reads),
// JSON answers, and what each refusal means — Pastell's own words (`error-message`) always go along.
import type { Dispatcher } from 'undici';
import { TransferError } from '../contract.js';
import { headerValue, readPage, readSnippet } from '../web/answers.js';
import type { WebClient, WebRequest } from '../web/client.js';
import { networkFailure, statusFailure } from '../web/errors.js';
import type { UploadBody } from '../web/upload-body.js';
import type { PastellSettings } from './settings.js';

/** A JSON answer larger than this is not one of Pastell's (a list of 100 documents is far smaller). */
const ANSWER_LIMIT = 16 * 1024 * 1024;

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface DocumentDetail {
  info: { id_d: string; type: string; titre: string; creation?: string; modification?: string };
  data: Record<string, string | string[] | undefined>;
  action_possible?: string[];
  last_action: { action: string; message: string; date: string };
}

export interface DocumentRow {
  id_d: string;
  type: string;
  titre: string;
  last_action: string;
  creation?: string;
  modification?: string;
}

export interface FormAnswer {
  result: string;
  formulaire_ok?: number;
  message?: string;
  content?: DocumentDetail;
}

/** What the request was for, in the words of messages (`create`, `fields`, `file`, `action`…). */
export type Exchange = 'version' | 'entities' | 'types' | 'list' | 'detail' | 'create' | 'fields' | 'file' | 'action' | 'download' | 'delete';

export class PastellApi {
  constructor(
    readonly client: WebClient,
    readonly settings: PastellSettings,
  ) {}

  get host(): string {
    return this.settings.api.host;
  }

  /** `<api>/<path…>` with each segment encoded, and the query. */
  address(segments: readonly string[], query: Array<[string, string]> = []): URL {
    const url = new URL(this.settings.api.href);
    url.pathname = `${url.pathname}/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`;
    url.search = new URLSearchParams(query).toString();
    return url;
  }

  documentPath(id_d?: string, ...rest: string[]): string[] {
    return this.documentPathIn(this.settings.entity, id_d, ...rest);
  }

  /** The same in another entity (a document followed after the profile's entity changed). */
  documentPathIn(id_e: string, id_d?: string, ...rest: string[]): string[] {
    return ['entite', id_e, 'document', ...(id_d === undefined ? [] : [id_d]), ...rest];
  }

  /** The raw answer of a request; statuses other than `expected` become typed errors. */
  async request(
    method: Method,
    url: URL,
    exchange: Exchange,
    options: { body?: UploadBody; signal?: AbortSignal | undefined; expected?: readonly number[] } = {},
  ): Promise<Dispatcher.ResponseData> {
    const request: WebRequest = {
      method,
      url,
      headers: { authorization: this.settings.authorization, accept: 'application/json' },
      ...(options.body === undefined ? {} : { body: options.body }),
      signal: options.signal,
    };
    const response = await this.client.send(request);
    const expected = options.expected ?? [200, 201];
    if (!expected.includes(response.statusCode)) throw await this.refusal(response, url, exchange);
    return response;
  }

  /** A JSON answer. A body cut while it was read is transient (and uncertain for what changes something). */
  async json<T>(method: Method, url: URL, exchange: Exchange, options: { form?: Array<[string, string]>; body?: UploadBody; signal?: AbortSignal | undefined } = {}): Promise<T> {
    const body = options.body ?? (options.form === undefined ? undefined : formBody(options.form));
    const response = await this.request(method, url, exchange, { ...(body === undefined ? {} : { body }), signal: options.signal });
    let text: string;
    try {
      text = await readPage(response.body, response.headers, ANSWER_LIMIT, this.host);
    } catch (error) {
      throw networkFailure(error, this.client.failureContext(url, method !== 'GET'));
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new TransferError('transient', 'protocol.pastell.notJson', { host: this.host, exchange }, { fixKey: 'protocol.pastell.notJson.fix', serverMessage: pastellWords(text), uncertain: method !== 'GET' });
    }
  }

  /** What a status other than the expected one means; Pastell's `error-message` as it wrote it. */
  async refusal(response: Dispatcher.ResponseData, url: URL, exchange: Exchange): Promise<TransferError> {
    const words = pastellWords(await readSnippet(response.body, response.headers));
    const serverMessage = words === '' ? {} : { serverMessage: words };
    const status = response.statusCode;
    const host = this.host;
    if (status === 401) return new TransferError('permanent', 'protocol.pastell.authRefused', { host, status }, { fixKey: 'protocol.pastell.authRefused.fix', ...serverMessage, connection: true });
    if (status === 403) {
      return new TransferError('permanent', 'protocol.pastell.forbidden', { host, entity: this.settings.entity, exchange }, { fixKey: 'protocol.pastell.forbidden.fix', ...serverMessage, connection: true });
    }
    if (status === 404 && (exchange === 'create' || exchange === 'list' || exchange === 'entities')) {
      return new TransferError('permanent', 'protocol.pastell.entityUnknown', { host, entity: this.settings.entity }, { fixKey: 'protocol.pastell.entityUnknown.fix', ...serverMessage, connection: true });
    }
    if (status === 404) return new TransferError('permanent', 'protocol.pastell.notFound', { host, exchange }, { fixKey: 'protocol.pastell.notFound.fix', ...serverMessage });
    if (status === 400 && exchange === 'file') return new TransferError('permanent', 'protocol.pastell.fileRefused', { host }, { fixKey: 'protocol.pastell.fileRefused.fix', ...serverMessage });
    if (status === 400 && exchange === 'action') return new TransferError('permanent', 'protocol.pastell.actionRefused', { host }, { fixKey: 'protocol.pastell.actionRefused.fix', ...serverMessage });
    if (status === 400 || status === 409) return new TransferError('permanent', 'protocol.pastell.refused', { host, status, exchange }, { fixKey: 'protocol.pastell.refused.fix', ...serverMessage });
    return statusFailure({
      host,
      status,
      serverMessage: words,
      retryAfter: headerValue(response.headers, 'retry-after'),
      location: headerValue(response.headers, 'location'),
      address: `${url.origin}${url.pathname}`,
    });
  }
}

/** `{"status":"error","error-message":"…"}` → its message; another answer → its first words. */
export function pastellWords(text: string): string {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const message = (parsed as Record<string, unknown>)['error-message'] ?? (parsed as Record<string, unknown>).message;
      if (typeof message === 'string') return message.slice(0, 500);
    }
  } catch {
    // not JSON: a proxy's or a web server's page
  }
  const short = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return short.length > 300 ? `${short.slice(0, 299)}…` : short;
}

/** A small `application/x-www-form-urlencoded` body (the only one Pastell reads on PATCH). */
export function formBody(fields: ReadonlyArray<readonly [string, string]>): UploadBody {
  const bytes = Buffer.from(new URLSearchParams(fields.map(([name, value]): [string, string] => [name, value])).toString(), 'utf8');
  const state = { left: false };
  function* once(): Generator<Uint8Array> {
    yield bytes;
    state.left = true;
  }
  const chunks = once();
  return {
    chunks,
    length: bytes.length,
    contentType: 'application/x-www-form-urlencoded',
    get bodyLeft() {
      return state.left;
    },
    close: () => {
      chunks.return(undefined);
      return Promise.resolve();
    },
  };
}
