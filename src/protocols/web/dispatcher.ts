// One undici dispatcher per session: keep-alive connections reused for every file, TLS as the profile
// says, and the proxy from the `proxy` setting or, without it, from HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
import { EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from 'undici';
import { MAX_CONNECT_MS, type WebSettings } from './settings.js';
import type { TlsOptions } from './tls.js';

export function createDispatcher(settings: WebSettings, tlsOptions: TlsOptions): Dispatcher {
  const connectMs = Math.min(settings.timeoutMs, MAX_CONNECT_MS);
  const timeouts = { headersTimeout: settings.timeoutMs, bodyTimeout: settings.timeoutMs };
  // Through a tunnel, the partner's TLS options are `requestTls`; direct, they are `connect`.
  const requestTls = { ...tlsOptions, timeout: connectMs };
  const proxyTls = { timeout: connectMs };
  if (settings.proxy !== undefined) return new ProxyAgent({ uri: settings.proxy, requestTls, proxyTls, ...timeouts });
  return new EnvHttpProxyAgent({ connect: requestTls, requestTls, proxyTls, ...timeouts });
}

/** The proxy named by the profile or the environment for this address, ignoring NO_PROXY (for messages). */
export function proxyInUse(settings: WebSettings, url: URL): string | undefined {
  if (settings.proxy !== undefined) return settings.proxy;
  const env = process.env;
  const http = env.http_proxy ?? env.HTTP_PROXY;
  const fromEnv = url.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY ?? http) : http;
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}
