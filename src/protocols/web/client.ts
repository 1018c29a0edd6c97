// What an `xfb` or `http` session talks through: one dispatcher (reused connections, TLS, proxy,
// timeouts) and one way to send a request that turns every network failure into a typed error and
// an abort into an AbortError.
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { redact } from '../../shared/redact.js';
import type { ProtocolLog } from '../contract.js';
import { abortError, throwIfAborted } from '../../shared/abort.js';
import { createDispatcher, proxyInUse } from './dispatcher.js';
import { networkFailure } from './errors.js';
import type { WebSettings } from './settings.js';
import { loadTlsOptions, type TlsOptions } from './tls.js';
import type { UploadBody } from './upload-body.js';

export interface WebRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  body?: UploadBody;
  signal?: AbortSignal | undefined;
}

export class WebClient {
  private closed = false;

  private constructor(
    readonly settings: WebSettings,
    readonly tlsOptions: TlsOptions,
    private readonly dispatcher: Dispatcher,
  ) {}

  /**
   * Reads the TLS files and says, on every run, what weakens the connection: certificates not
   * checked, or credentials travelling unencrypted.
   */
  static async open(settings: WebSettings, addresses: readonly URL[], log: ProtocolLog): Promise<WebClient> {
    const tlsOptions = await loadTlsOptions(settings.tls);
    for (const url of addresses) {
      if (url.protocol === 'http:') log.warn('protocol.web.plainHttp', { url: redact(url.href) });
      else if (settings.tls.insecure) log.warn('protocol.web.insecure', { url: redact(url.href) });
    }
    return new WebClient(settings, tlsOptions, createDispatcher(settings, tlsOptions));
  }

  async send(what: WebRequest): Promise<Dispatcher.ResponseData> {
    const { body } = what;
    if (aborted(what.signal) || this.closed) {
      await body?.close();
      throwIfAborted(what.signal);
      throw new Error('the session is closed');
    }
    const headers: Record<string, string> = { ...what.headers };
    if (body !== undefined) {
      headers['content-length'] = String(body.length);
      if (body.contentType !== undefined) headers['content-type'] = body.contentType;
    }
    try {
      return await request(what.url, {
        method: what.method,
        headers,
        dispatcher: this.dispatcher,
        // undici sends an async iterable (documented; its types list only streams): see upload-body.ts.
        ...(body === undefined ? {} : { body: body.chunks as unknown as Readable }),
        ...(what.signal === undefined ? {} : { signal: what.signal }),
      });
    } catch (error) {
      await body?.close();
      if (what.signal !== undefined && aborted(what.signal)) throw abortError(what.signal);
      // The engine said no before the body's last bytes (TransferOptions.beforePublish): its error, unchanged.
      if (body?.refusal !== undefined) throw body.refusal.error;
      throw networkFailure(error, {
        host: what.url.host,
        proxy: proxyInUse(this.settings, what.url),
        timeoutMs: this.settings.timeoutMs,
        bodyLeft: body?.bodyLeft ?? false,
      });
    }
  }

  /** Another client with the same settings and its own, new connections (for `diagnose`). */
  fresh(): WebClient {
    return new WebClient(this.settings, this.tlsOptions, createDispatcher(this.settings, this.tlsOptions));
  }

  /** The failure context for errors that happen while reading an answer's body. */
  failureContext(url: URL, bodyLeft: boolean): Parameters<typeof networkFailure>[1] {
    return { host: url.host, proxy: proxyInUse(this.settings, url), timeoutMs: this.settings.timeoutMs, bodyLeft };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.dispatcher.close().catch(() => this.dispatcher.destroy());
  }
}

function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
