// One message catalog for every user-facing text (output, errors, logs), in French and English.
// Each domain keeps its messages in its own file under ./catalog; keys are "domain.name".
import { cliMessages } from './catalog/cli.js';
import { configMessages } from './catalog/config.js';
import { engineMessages } from './catalog/engine.js';
import { namingMessages } from './catalog/naming.js';
import { protocolMessages } from './catalog/protocols.js';
import { sftpMessages } from './catalog/sftp.js';
import { tedecoMessages } from './catalog/tedeco.js';
import { webMessages } from './catalog/web.js';

export type Lang = 'fr' | 'en';
export type Params = Record<string, string | number | undefined>;
export interface Catalog {
  en: Record<string, string>;
  fr: Record<string, string>;
}

const catalogs: Catalog[] = [cliMessages, configMessages, engineMessages, namingMessages, protocolMessages, sftpMessages, webMessages, tedecoMessages];
const merged: Record<Lang, Record<string, string>> = { en: {}, fr: {} };
for (const c of catalogs) {
  Object.assign(merged.en, c.en);
  Object.assign(merged.fr, c.fr);
}

let current: Lang = detectLang(process.env);

/** `fr*` in LC_ALL, then LC_MESSAGES, then LANG selects French; anything else English. */
export function detectLang(env: NodeJS.ProcessEnv): Lang {
  const value = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return value.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function setLang(lang: Lang): void {
  current = lang;
}

export function getLang(): Lang {
  return current;
}

export function isLang(value: unknown): value is Lang {
  return value === 'fr' || value === 'en';
}

/** Translate `key` with `{name}` placeholders. An unknown key falls back to English, then to the key. */
export function t(key: string, params: Params = {}, lang: Lang = current): string {
  const template = merged[lang][key] ?? merged.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function hasMessage(key: string): boolean {
  return Object.hasOwn(merged.en, key);
}

/** Every key known to the catalog, for the completeness test. */
export function catalogKeys(): { en: string[]; fr: string[] } {
  return { en: Object.keys(merged.en), fr: Object.keys(merged.fr) };
}
