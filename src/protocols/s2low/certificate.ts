// The client certificate S²LOW knows the collectivité by: opened once per session (the PKCS#12 password
// or the PEM key's passphrase is checked here, not by a failed handshake), and described — subject,
// issuer, expiry — for every message about it. S²LOW refuses the TLS handshake itself without a valid
// certificate and closes an expired one's connection right after it: all the client sees is a reset,
// so ordo names the certificate instead.
import { Socket } from 'node:net';
import { createSecureContext, TLSSocket, type PeerCertificate } from 'node:tls';
import { TransferError } from '../contract.js';
import type { TlsOptions } from '../web/tls.js';

const DAY_MS = 24 * 3600 * 1000;
/** A certificate expiring sooner than this is worth a warning in `diagnose`. */
export const EXPIRY_WARNING_DAYS = 30;

export interface ClientCertificate {
  /** The file it was read from (PKCS#12 or PEM). */
  path: string;
  subject: string;
  issuer: string;
  /** Expiry, as a day (YYYY-MM-DD), and the moment itself. */
  until: string;
  notAfter: Date;
  notBefore: Date;
}

/** The certificate of the TLS options, or a permanent connection error saying why it cannot be used. */
export function openClientCertificate(tls: TlsOptions, path: string): ClientCertificate {
  let socket: TLSSocket | undefined;
  try {
    const context = createSecureContext({
      ...(tls.pfx === undefined ? {} : { pfx: tls.pfx }),
      ...(tls.cert === undefined ? {} : { cert: tls.cert }),
      ...(tls.key === undefined ? {} : { key: tls.key }),
      ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }),
    });
    // A socket that never connects: only its TLS object is asked for the certificate the context holds.
    socket = new TLSSocket(new Socket(), { secureContext: context });
    const certificate = socket.getCertificate();
    if (certificate === null || !('subject' in certificate)) throw new Error('no certificate in the file');
    return describe(certificate, path);
  } catch (error) {
    if (error instanceof TransferError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    const key = tls.pfx === undefined ? 'protocol.s2low.pemUnusable' : 'protocol.s2low.pfxUnusable';
    throw new TransferError('permanent', key, { path, detail }, { fixKey: `${key}.fix`, connection: true, cause: error });
  } finally {
    socket?.destroy();
  }
}

function describe(certificate: PeerCertificate, path: string): ClientCertificate {
  const notAfter = new Date(certificate.valid_to);
  const notBefore = new Date(certificate.valid_from);
  return { path, subject: nameOf(certificate.subject), issuer: nameOf(certificate.issuer), until: day(notAfter), notAfter, notBefore };
}

function nameOf(name: PeerCertificate['subject'] | undefined): string {
  const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
  return first(name?.CN) ?? first(name?.O) ?? '?';
}

function day(date: Date): string {
  return Number.isNaN(date.getTime()) ? '?' : date.toISOString().slice(0, 10);
}

/** Whole days left before expiry (negative once expired). */
export function daysLeft(certificate: ClientCertificate, now = Date.now()): number {
  return Math.floor((certificate.notAfter.getTime() - now) / DAY_MS);
}

/** The parameters every message about the certificate carries. */
export function certificateParams(certificate: ClientCertificate): { subject: string; issuer: string; until: string; path: string } {
  return { subject: certificate.subject, issuer: certificate.issuer, until: certificate.until, path: certificate.path };
}

/** S²LOW will refuse a certificate that is expired or not valid yet: said before any connection. */
export function certificateOutOfDate(certificate: ClientCertificate, now = Date.now()): TransferError | undefined {
  if (certificate.notAfter.getTime() <= now) {
    return new TransferError('permanent', 'protocol.s2low.certificateExpired', certificateParams(certificate), { fixKey: 'protocol.s2low.certificateExpired.fix', connection: true });
  }
  if (certificate.notBefore.getTime() > now) {
    return new TransferError('permanent', 'protocol.s2low.certificateNotYetValid', { ...certificateParams(certificate), from: day(certificate.notBefore) }, { fixKey: 'protocol.s2low.certificateNotYetValid.fix', connection: true });
  }
  return undefined;
}
