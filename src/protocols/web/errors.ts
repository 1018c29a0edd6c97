// How network failures and HTTP statuses become the contract's typed errors for `xfb` and `http`.
// transient: the network's or the partner's trouble (retry later); permanent: the settings' or the
// file's (stop and say what to fix). `uncertain` only when the whole body had left.
import { redact } from '../../shared/redact.js';
import { TransferError } from '../contract.js';

export interface FailureContext {
  /** host[:port] of the partner. */
  host: string;
  /** The proxy that would carry the request, for messages about a proxy that answered. */
  proxy: string | undefined;
  timeoutMs: number;
  /** The whole request body had been handed to the connection: the partner may have the file. */
  bodyLeft: boolean;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME', 'EAI_FAIL']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/** Certificate problems reported by OpenSSL / Node (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT…). */
const TLS_CODE = /CERT|SELF_SIGNED|ERR_TLS_|ERR_SSL_|UNABLE_TO_(GET|VERIFY)/;
const PROXY_ANSWER = /Proxy response \((\d{3})\)/;

/** The most specific `code` in an error, its causes, and the attempts of an AggregateError. */
export function errorCodeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR' && code !== 'UND_ERR_ABORTED') return code;
    const attempts = (current as { errors?: unknown }).errors;
    if (Array.isArray(attempts) && attempts.length > 0) return errorCodeOf(attempts[0]);
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What a proxy answered instead of opening a tunnel, when that is what happened. */
export function proxyAnswer(error: unknown): number | undefined {
  const match = error instanceof Error ? PROXY_ANSWER.exec(error.message) : null;
  return match === null ? undefined : Number(match[1]);
}

export function networkFailure(error: unknown, context: FailureContext): TransferError {
  if (error instanceof TransferError) return error;
  const code = errorCodeOf(error) ?? 'UNKNOWN';
  const { host, bodyLeft } = context;
  const proxyStatus = proxyAnswer(error);
  if (proxyStatus !== undefined) return proxyFailure(proxyStatus, context, error);
  if (DNS_CODES.has(code)) return new TransferError('transient', 'protocol.web.dns', { host, code }, { fixKey: 'protocol.web.dns.fix', connection: true, cause: error });
  if (UNREACHABLE_CODES.has(code)) return new TransferError('transient', 'protocol.web.unreachable', { host, code }, { fixKey: 'protocol.web.unreachable.fix', connection: true, cause: error });
  if (TLS_CODE.test(code)) {
    const detail = error instanceof Error ? redact(error.message) : code;
    return new TransferError('permanent', 'protocol.web.tls', { host, code, detail }, { fixKey: 'protocol.web.tls.fix', connection: true, cause: error });
  }
  const seconds = Math.round(context.timeoutMs / 100) / 10;
  if (TIMEOUT_CODES.has(code)) {
    const key = bodyLeft ? 'protocol.web.timeoutAfterBody' : 'protocol.web.timeout';
    return new TransferError('transient', key, { host, seconds }, { fixKey: `${key}.fix`, uncertain: bodyLeft, cause: error });
  }
  const key = bodyLeft ? 'protocol.web.cutAfterBody' : 'protocol.web.cut';
  return new TransferError('transient', key, { host, code }, { fixKey: `${key}.fix`, uncertain: bodyLeft, cause: error });
}

function proxyFailure(status: number, context: FailureContext, cause: unknown): TransferError {
  const proxy = context.proxy === undefined ? '—' : proxyHost(context.proxy);
  if (status === 407) return new TransferError('permanent', 'protocol.web.proxyAuth', { proxy }, { fixKey: 'protocol.web.proxyAuth.fix', connection: true, cause });
  const kind = status >= 500 ? 'transient' : 'permanent';
  return new TransferError(kind, 'protocol.web.proxyRefused', { proxy, host: context.host, status }, { fixKey: 'protocol.web.proxyRefused.fix', connection: true, cause });
}

export function proxyHost(proxy: string): string {
  try {
    return new URL(proxy).host;
  } catch {
    return redact(proxy);
  }
}

export interface StatusContext {
  host: string;
  status: number;
  /** The partner's own words, already free of secrets. */
  serverMessage: string | undefined;
  retryAfter: string | undefined;
  location: string | undefined;
  /** The address asked for, without its query (for "not found"). */
  address: string;
}

/** A status that is not the partner's success: what it means for the file and the settings. */
export function statusFailure(context: StatusContext): TransferError {
  const { host, status } = context;
  const words = context.serverMessage === undefined || context.serverMessage === '' ? {} : { serverMessage: context.serverMessage };
  const params = { host, status };
  if (status >= 500 || status === 408 || status === 429) {
    const retryAfterMs = retryAfterToMs(context.retryAfter);
    const key = status >= 500 ? 'protocol.web.serverError' : 'protocol.web.busy';
    return new TransferError('transient', key, params, { fixKey: `${key}.fix`, ...words, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  if (status === 401) return new TransferError('permanent', 'protocol.web.authRefused', params, { fixKey: 'protocol.web.authRefused.fix', ...words, connection: true });
  if (status === 403) return new TransferError('permanent', 'protocol.web.forbidden', params, { fixKey: 'protocol.web.forbidden.fix', ...words, connection: true });
  if (status === 404) return new TransferError('permanent', 'protocol.web.notFound', { ...params, address: context.address }, { fixKey: 'protocol.web.notFound.fix', ...words, connection: true });
  if (status === 407) return new TransferError('permanent', 'protocol.web.proxyAuth', { proxy: host }, { fixKey: 'protocol.web.proxyAuth.fix', ...words, connection: true });
  if (status >= 300 && status < 400) {
    const location = context.location === undefined ? '—' : redact(context.location);
    return new TransferError('permanent', 'protocol.web.redirect', { ...params, location }, { fixKey: 'protocol.web.redirect.fix', ...words, connection: true });
  }
  if (status >= 400) return new TransferError('permanent', 'protocol.web.rejected', params, { fixKey: 'protocol.web.rejected.fix', ...words });
  return new TransferError('permanent', 'protocol.web.unexpectedStatus', params, { fixKey: 'protocol.web.unexpectedStatus.fix', ...words });
}

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterToMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
