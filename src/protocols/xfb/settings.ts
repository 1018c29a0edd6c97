// The `xfb` protocol's validated keys (xfb/options.ts) turned into the settings its sessions work with.
import { readSettings } from '../options.js';
import { resolveWebSettings, type WebSettings } from '../web/settings.js';
import { xfbDeclaration } from './options.js';

export interface XfbSettings {
  /** The upload address (`…/depot-xt`), without a trailing slash. */
  url: URL;
  user: string;
  password: string;
  /** Codes the DGFiP gives each collectivité, sent with every file. */
  partner: string;
  application: string;
  web: WebSettings;
}

/** Call only on settings `settingProblems` found nothing wrong with. */
export function resolveXfbSettings(profile: Record<string, unknown>, configDir: string): XfbSettings {
  const read = readSettings(xfbDeclaration.options, { profile, options: {} }, configDir).profile;
  const url = read.url;
  url.pathname = url.pathname.replace(/\/+$/, '');
  return { url, user: read.user, password: read.password, partner: read.partner, application: read.application, web: resolveWebSettings(profile, configDir) };
}
