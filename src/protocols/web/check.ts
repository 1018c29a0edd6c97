// `diagnose` for `xfb` and `http`: name resolution, then one real request through the session's own
// dispatcher (same proxy, same TLS settings as transfers), watched through undici's diagnostics
// channels to report the TCP connection, the proxy tunnel and the server's certificate (chain,
// expiry date, names) — then whatever the protocol's own probe concluded (credentials, listing…).
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { lookup } from 'node:dns/promises';
import { isIP, type Socket } from 'node:net';
import { connect, type Certificate, type DetailedPeerCertificate, type PeerCertificate, type TLSSocket } from 'node:tls';
import { isTransferError, type CheckResult } from '../contract.js';
import type { WebClient } from './client.js';
import { errorCodeOf, proxyHost } from './errors.js';

/** A certificate that expires sooner than this is worth a warning. */
const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

/** What the connection showed while it was open (sockets of a finished request may be closed since). */
interface Observed {
  proxy?: string;
  address?: string;
  tls?: { certificate: DetailedPeerCertificate; protocol: string; authorizationError: string | undefined };
}

/** The socket undici reports: TLS for `https:`, plain for `http:` (and then not `encrypted`). */
type ConnectedSocket = TLSSocket | (Socket & { encrypted?: undefined });

/**
 * A certificate of the chain as Node hands it over: `issuerCertificate` is left out when the chain the
 * peer sent stops short of a root (a root's own is itself), and a missing certificate is `{}`.
 */
type ChainCertificate = Omit<DetailedPeerCertificate, 'issuer' | 'issuerCertificate'> & { issuer?: Certificate; issuerCertificate?: ChainCertificate };

/**
 * @param prefix the protocol's name, which starts every check id (`xfb.tls`, `http.dns`…)
 * @param probe one request to the partner through the client it is given (whose connections are new,
 *   so that they can be watched); its network failures are reported as the check they belong to
 */
export async function connectionChecks(
  session: WebClient,
  url: URL,
  prefix: string,
  probe: (client: WebClient) => Promise<CheckResult[]>,
): Promise<CheckResult[]> {
  const client = session.fresh();
  try {
    return await watchedChecks(client, url, prefix, probe);
  } finally {
    await client.close();
  }
}

async function watchedChecks(client: WebClient, url: URL, prefix: string, probe: (client: WebClient) => Promise<CheckResult[]>): Promise<CheckResult[]> {
  const results: CheckResult[] = [await nameCheck(client, url, prefix)];
  const observed: Observed = {};
  const onConnected = (message: unknown): void => {
    const { connectParams, socket } = message as { connectParams?: { hostname?: string; port?: string | number }; socket?: ConnectedSocket };
    if (socket === undefined || connectParams?.hostname !== url.hostname || String(connectParams.port ?? '') !== url.port) return;
    observed.address = socket.remoteAddress ?? '?';
    // A later connection that resumed the first one's TLS session shows no certificate (`{}`): keep the first.
    if (socket.encrypted && observed.tls?.certificate.valid_to === undefined) {
      const problem = socket.authorizationError as Error | string | null | undefined;
      observed.tls = {
        certificate: socket.getPeerCertificate(true),
        protocol: socket.getProtocol() ?? '?',
        authorizationError: problem === null || problem === undefined ? undefined : problem instanceof Error ? problem.message : problem,
      };
    }
  };
  const onProxy = (message: unknown): void => {
    const origin = (message as { connectParams?: { origin?: unknown } }).connectParams?.origin;
    observed.proxy = origin instanceof URL ? origin.host : typeof origin === 'string' ? proxyHost(origin) : 'proxy';
  };
  subscribe('undici:client:connected', onConnected);
  subscribe('undici:proxy:connected', onProxy);
  // The probe's checks, or what it threw.
  let outcome: unknown;
  try {
    outcome = await probe(client);
  } catch (error) {
    outcome = error;
  } finally {
    unsubscribe('undici:client:connected', onConnected);
    unsubscribe('undici:proxy:connected', onProxy);
  }
  if (observed.proxy !== undefined) results.push({ id: `${prefix}.proxy`, status: 'ok', key: 'protocol.web.check.proxyOk', params: { proxy: observed.proxy, host: url.host } });
  else if (observed.address !== undefined) results.push({ id: `${prefix}.tcp`, status: 'ok', key: 'protocol.web.check.tcpOk', params: { host: url.host, address: observed.address } });
  if (observed.tls !== undefined) results.push(tlsCheck(observed.tls, url, prefix, client.settings.tls.insecure));
  else if (observed.address !== undefined && url.protocol === 'http:') {
    results.push({ id: `${prefix}.tls`, status: 'warn', key: 'protocol.web.check.noTls', params: { host: url.host }, fixKey: 'protocol.web.plainHttp.fix' });
  }
  if (Array.isArray(outcome)) return [...results, ...(outcome as CheckResult[])];
  return [...results, ...(await failureChecks(outcome, client, url, prefix))];
}

async function nameCheck(client: WebClient, url: URL, prefix: string): Promise<CheckResult> {
  const id = `${prefix}.dns`;
  const proxy = client.settings.proxy;
  const host = proxy === undefined ? url.hostname : new URL(proxy).hostname;
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) return { id, status: 'ok', key: 'protocol.web.check.ipAddress', params: { host: bare } };
  try {
    const addresses = await lookup(bare, { all: true });
    return { id, status: 'ok', key: 'protocol.web.check.dnsOk', params: { host: bare, addresses: addresses.map((a) => a.address).join(', ') } };
  } catch (error) {
    const code = errorCodeOf(error) ?? 'UNKNOWN';
    // A proxy from the environment may resolve names this machine cannot.
    const status = proxy === undefined && (process.env.HTTPS_PROXY ?? process.env.https_proxy ?? process.env.HTTP_PROXY ?? process.env.http_proxy) ? 'warn' : 'fail';
    return { id, status, key: 'protocol.web.dns', params: { host: bare, code }, fixKey: 'protocol.web.dns.fix' };
  }
}

function tlsCheck(tls: NonNullable<Observed['tls']>, url: URL, prefix: string, insecure: boolean): CheckResult {
  const id = `${prefix}.tls`;
  const params = { host: url.host, ...describeCertificate(tls.certificate), protocol: tls.protocol };
  if (insecure) {
    return { id, status: 'warn', key: 'protocol.web.check.tlsUnchecked', params: { ...params, problem: tls.authorizationError ?? '—' }, fixKey: 'protocol.web.insecure.fix' };
  }
  if (params.days < EXPIRY_WARNING_DAYS) return { id, status: 'warn', key: 'protocol.web.check.tlsExpiresSoon', params, fixKey: 'protocol.web.check.tlsExpiresSoon.fix' };
  return { id, status: 'ok', key: 'protocol.web.check.tlsOk', params };
}

function describeCertificate(certificate: PeerCertificate | DetailedPeerCertificate): { subject: string; names: string; chain: string; until: string; days: number } {
  const chain: string[] = [];
  // Only ever an issuer that is there: the loop stops at a chain's end.
  let current: ChainCertificate = certificate;
  for (let depth = 0; depth < 8 && Object.keys(current).length > 0; depth += 1) {
    chain.push(commonName(current.subject));
    if (current.issuerCertificate === undefined || current.issuerCertificate === current) {
      if (current.issuerCertificate === undefined && current.issuer !== undefined) chain.push(commonName(current.issuer));
      break;
    }
    current = current.issuerCertificate;
  }
  const until = new Date(certificate.valid_to);
  return {
    subject: commonName(certificate.subject),
    names: (certificate.subjectaltname ?? '—').replace(/IP Address:/g, 'IP:'),
    chain: chain.join(' ← '),
    until: Number.isNaN(until.getTime()) ? certificate.valid_to : until.toISOString().slice(0, 10),
    days: Number.isNaN(until.getTime()) ? 0 : Math.floor((until.getTime() - Date.now()) / DAY_MS),
  };
}

function commonName(name: PeerCertificate['subject'] | undefined): string {
  if (name === undefined) return '?';
  const cn = name.CN;
  const org = name.O;
  const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
  return first(cn) ?? first(org) ?? '?';
}

/** A probe that failed: each network failure becomes the check it belongs to, with its fix. */
async function failureChecks(error: unknown, client: WebClient, url: URL, prefix: string): Promise<CheckResult[]> {
  if (!isTransferError(error)) throw error;
  const check = (what: string): CheckResult => ({ id: `${prefix}.${what}`, status: 'fail', key: error.key, params: error.params, ...(error.fixKey === undefined ? {} : { fixKey: error.fixKey }) });
  if (error.key === 'protocol.web.dns') return [check('dns')];
  if (error.key.startsWith('protocol.web.proxy')) return [check('proxy')];
  if (error.key === 'protocol.web.unreachable') return [check(client.settings.proxy === undefined ? 'tcp' : 'proxy')];
  if (error.key === 'protocol.web.tls') {
    const inspected = client.settings.proxy === undefined ? await inspectCertificate(url) : undefined;
    if (inspected === undefined) return [check('tls')];
    return [{ id: `${prefix}.tls`, status: 'fail', key: 'protocol.web.check.tlsRefused', params: { ...error.params, ...inspected }, fixKey: 'protocol.web.tls.fix' }];
  }
  return [check('answer')];
}

/** The certificate a server shows, read without trusting it — only to explain a refusal. */
async function inspectCertificate(url: URL): Promise<ReturnType<typeof describeCertificate> | undefined> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(url.port || 443), ...(isIP(host) === 0 ? { servername: host } : {}), rejectUnauthorized: false, timeout: 10_000 });
    const done = (value: ReturnType<typeof describeCertificate> | undefined): void => {
      socket.destroy();
      resolve(value);
    };
    socket.once('secureConnect', () => done(describeCertificate(socket.getPeerCertificate(true))));
    socket.once('error', () => done(undefined));
    socket.once('timeout', () => done(undefined));
  });
}
