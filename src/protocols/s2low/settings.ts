// The `s2low` protocol's validated keys (s2low/options.ts) turned into the settings its sessions work with.
import { readSettings } from '../options.js';
import { resolveWebSettings, type WebSettings } from '../web/settings.js';
import type { TlsFileSettings } from '../web/tls.js';
import { s2lowDeclaration, type S2lowAfterRetrieve } from './options.js';

export interface S2lowSettings {
  /** S²LOW's address, without a trailing slash: the API paths are added to it. */
  url: URL;
  /** HTTP Basic login, needed when several accounts share the certificate. */
  login: { user: string; password: string } | undefined;
  /** What names the client certificate in messages: the PKCS#12 file or the PEM certificate. */
  certificatePath: string;
  web: WebSettings & { tls: TlsFileSettings };
  /** Refuse, before uploading, a file that is not a PES Aller. */
  checkPes: boolean;
  afterRetrieve: S2lowAfterRetrieve;
}

/** Call only on settings `settingProblems` found nothing wrong with. */
export function resolveS2lowSettings(profile: Record<string, unknown>, options: Record<string, unknown>, configDir: string): S2lowSettings {
  const read = readSettings(s2lowDeclaration.options, { profile, options }, configDir);
  const url = read.profile.url;
  url.pathname = url.pathname.replace(/\/+$/, '');
  const web = resolveWebSettings(profile, configDir);
  const { pfx, pfxPassword, user, password } = read.profile;
  const tls: TlsFileSettings = pfx === undefined ? web.tls : { ...web.tls, pfxPath: pfx, passphrase: pfxPassword === '' ? undefined : pfxPassword };
  return {
    url,
    login: user === undefined || password === undefined ? undefined : { user, password },
    certificatePath: pfx ?? web.tls.certPath ?? '',
    web: { ...web, tls },
    checkPes: read.options.checkPes,
    afterRetrieve: read.options.afterRetrieve,
  };
}
