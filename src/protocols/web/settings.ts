// The connection settings `xfb` and `http` share, from their validated keys (web/options.ts): TLS files
// resolved against the configuration folder, `insecure`, `proxy` and `timeout`.
import { readSettings } from '../options.js';
import { webOptions } from './options.js';

/** Opening a connection never waits longer than this (or `timeout`, when shorter). */
export const MAX_CONNECT_MS = 30_000;

export interface TlsSettings {
  /** Absolute path of a PEM file of extra authorities to trust. */
  caPath: string | undefined;
  /** Absolute paths of the client certificate and its key (PEM). */
  certPath: string | undefined;
  keyPath: string | undefined;
  passphrase: string | undefined;
  /** Certificates are not checked at all (a loud warning on every run). */
  insecure: boolean;
}

export interface WebSettings {
  tls: TlsSettings;
  /** An explicit proxy (`http://host:port`); otherwise HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply. */
  proxy: string | undefined;
  /** Headers and body inactivity limit; a transfer that keeps moving is never cut by it. */
  timeoutMs: number;
}

/** Call only on settings `settingProblems` found nothing wrong with. */
export function resolveWebSettings(profile: Record<string, unknown>, configDir: string): WebSettings {
  const read = readSettings(webOptions, { profile, options: {} }, configDir).profile;
  return {
    tls: {
      caPath: read.ca,
      certPath: read.cert,
      keyPath: read.key,
      passphrase: read.passphrase === '' ? undefined : read.passphrase,
      insecure: read.insecure,
    },
    proxy: read.proxy,
    timeoutMs: read.timeout,
  };
}
