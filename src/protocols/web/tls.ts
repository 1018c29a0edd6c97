// The TLS options of a profile, read from its PEM files when a session opens: the authorities to
// trust (Node's usual ones plus `ca`), the client certificate, and whether to check at all.
import { readFile } from 'node:fs/promises';
import * as tls from 'node:tls';
import { TransferError } from '../contract.js';
import { errorCode } from '../common/file-errors.js';
import type { TlsSettings } from './settings.js';

export interface TlsOptions {
  ca?: string[];
  cert?: string;
  key?: string;
  /** A PKCS#12 file (certificate and key), opened with `passphrase`. */
  pfx?: Buffer;
  passphrase?: string;
  rejectUnauthorized: boolean;
}

/** The TLS settings, with a client certificate that may come as one PKCS#12 file (`s2low`) instead of PEM files. */
export type TlsFileSettings = TlsSettings & { pfxPath?: string | undefined };

/** Node 22.15+ also knows the certificates added through NODE_EXTRA_CA_CERTS and the system store. */
type WithCaList = typeof tls & { getCACertificates?: (type: 'default') => string[] };

export async function loadTlsOptions(settings: TlsFileSettings): Promise<TlsOptions> {
  const options: TlsOptions = { rejectUnauthorized: !settings.insecure };
  if (settings.caPath !== undefined) {
    const defaults = (tls as WithCaList).getCACertificates?.('default') ?? tls.rootCertificates;
    options.ca = [...defaults, await readPem('ca', settings.caPath)];
  }
  if (settings.certPath !== undefined && settings.keyPath !== undefined) {
    options.cert = await readPem('cert', settings.certPath);
    options.key = await readPem('key', settings.keyPath);
    if (settings.passphrase !== undefined) options.passphrase = settings.passphrase;
  } else if (settings.pfxPath !== undefined) {
    options.pfx = await readPfx(settings.pfxPath);
    if (settings.passphrase !== undefined) options.passphrase = settings.passphrase;
  }
  return options;
}

async function readPfx(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new TransferError('permanent', 'protocol.web.tlsFileUnreadable', { key: 'pfx', path, code: errorCode(error) ?? 'UNKNOWN' }, { fixKey: 'protocol.web.tlsFileUnreadable.fix', connection: true, cause: error });
  }
}

async function readPem(key: string, path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TransferError('permanent', 'protocol.web.tlsFileUnreadable', { key, path, code: errorCode(error) ?? 'UNKNOWN' }, { fixKey: 'protocol.web.tlsFileUnreadable.fix', connection: true, cause: error });
  }
  if (!text.includes('-----BEGIN ')) throw new TransferError('permanent', 'protocol.web.tlsFileNotPem', { key, path }, { fixKey: 'protocol.web.tlsFileNotPem.fix', connection: true });
  return text;
}
