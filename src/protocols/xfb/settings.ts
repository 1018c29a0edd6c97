// The `xfb` protocol's settings (`profiles.<P>.xfb`): the gateway's address, the collectivité's
// credentials and DGFiP codes, plus the connection settings shared with `http`.
import type { ProtocolSettingProblem } from '../contract.js';
import { resolveWebSettings, webSettingProblems, webUrlProblem, type WebSettings } from '../web/settings.js';

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

const REQUIRED_TEXT = ['user', 'password', 'partner', 'application'] as const;

export function xfbSettingProblems(profile: Record<string, unknown>): ProtocolSettingProblem[] {
  const problems: ProtocolSettingProblem[] = [];
  const url = webUrlProblem('url', profile.url);
  if (url !== undefined) problems.push({ where: 'profile', ...url });
  for (const key of REQUIRED_TEXT) {
    const value = profile[key];
    if (value === undefined) problems.push({ where: 'profile', key, messageKey: 'protocol.web.setting.required', params: { key } });
    else if (typeof value !== 'string' || value === '') problems.push({ where: 'profile', key, messageKey: 'protocol.web.setting.text', params: { key } });
  }
  return [...problems, ...webSettingProblems(profile)];
}

/** Call only once `xfbSettingProblems` found nothing. */
export function resolveXfbSettings(profile: Record<string, unknown>, configDir: string): XfbSettings {
  const url = new URL(String(profile.url).trim());
  url.pathname = url.pathname.replace(/\/+$/, '');
  return {
    url,
    user: String(profile.user),
    password: String(profile.password),
    partner: String(profile.partner),
    application: String(profile.application),
    web: resolveWebSettings(profile, configDir),
  };
}
