// One message catalog for every user-facing text (output, errors, logs), in French and English; keys
// are "domain.name". The cli, config, engine, naming and pes messages are files of ./catalog, merged here.
// The protocols keep theirs in their own folders (src/protocols/<name>/messages.ts, with the shared
// common/ and web/ ones): src/i18n imports nothing from outside it, so src/protocols/registry.ts adds
// them with addCatalog() when it is loaded. Whatever may render a protocol message loads the registry
// first (loading the configuration does; src/cli.ts does it for `diagnose --help`).
import { cliMessages } from './catalog/cli.js';
import { configMessages } from './catalog/config.js';
import { engineMessages } from './catalog/engine.js';
import { namingMessages } from './catalog/naming.js';
import { pesMessages } from './catalog/pes.js';

import { frenchTypography } from './typography.js';
import { resolveLang } from './resolve-lang.js';
import type { Catalog, Lang, Params } from './types.js';

export type { Catalog, Lang, Params } from './types.js';
export { langOf, resolveLang, systemLang, type LangSources } from './resolve-lang.js';

const LANGS: readonly Lang[] = ['en', 'fr'];
const merged: Record<Lang, Record<string, string>> = { en: {}, fr: {} };

/**
 * Merges `catalog` into the messages `t` knows. A key defined twice (by two catalogs, or by the same
 * one added twice) is a programming error: refused, before anything of `catalog` is merged.
 */
export function addCatalog(catalog: Catalog): void {
  for (const lang of LANGS) {
    const twice = Object.keys(catalog[lang]).find((key) => Object.hasOwn(merged[lang], key));
    if (twice !== undefined) throw new Error(`the message ${twice} (${lang}) is defined twice`);
  }
  Object.assign(merged.en, catalog.en);
  Object.assign(merged.fr, catalog.fr);
}

// French typography is applied to a template when it is first used, not to the thousand of them at every start.
const typeset = new Map<string, string>();
function templateOf(key: string, lang: Lang): string | undefined {
  if (lang === 'en') return merged.en[key];
  let template = typeset.get(key);
  const raw = Object.hasOwn(merged.fr, key) ? merged.fr[key] : undefined;
  if (template === undefined && raw !== undefined) {
    template = frenchTypography(raw);
    typeset.set(key, template);
  }
  return template;
}

for (const catalog of [cliMessages, configMessages, engineMessages, namingMessages, pesMessages]) addCatalog(catalog);

// Until src/cli.ts knows --lang and the configuration's `lang`: $ORDO_LANG, the system's locale, French.
let current: Lang = resolveLang({ env: process.env });

export function setLang(lang: Lang): void {
  current = lang;
}

export function getLang(): Lang {
  return current;
}

/**
 * What `render` writes in each language, for a text kept on disk and read later in whatever language
 * that reader speaks (the reason of a file set aside). `render` must be synchronous.
 */
export function inEveryLang(render: () => string): Record<Lang, string> {
  const saved = current;
  try {
    const texts = {} as Record<Lang, string>;
    for (const lang of LANGS) {
      current = lang;
      texts[lang] = render();
    }
    return texts;
  } finally {
    current = saved;
  }
}

/**
 * Translate `key` with `{name}` placeholders. An unknown key falls back to English, then to the key.
 * Parameters are where outside text enters (names announced by a partner, paths, server replies):
 * their control characters are escaped, so that a value can neither drive the terminal nor start a
 * new line in a log. The templates' own text is kept as written.
 */
export function t(key: string, params: Params = {}, lang: Lang = current): string {
  const template = templateOf(key, lang) ?? merged.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : escapeParam(String(value));
  });
}

/**
 * C0 and C1 controls, DEL, the line and paragraph separators, and the bidirectional embeddings,
 * overrides and isolates (which make `gpj.exe` read as `exe.jpg`).
 */
const UNSAFE_CLASS = '[\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]';
const UNSAFE = new RegExp(UNSAFE_CLASS, 'g');
const UNSAFE_ONE = new RegExp(UNSAFE_CLASS);
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `\x1b`, `\n`, `\u202e`…: the visible form of every character a terminal or a log reader would act
 * on. Backslashes are kept as they are: Windows paths must stay readable.
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

export function hasControls(text: string): boolean {
  return UNSAFE_ONE.test(text);
}

// A secret holding a control character is masked in its escaped form too (shared/redact.ts registers both).
function escapeParam(value: string): string {
  return hasControls(value) ? escapeControls(value) : value;
}

/** `label: text` built outside the catalog (a file name, a scenario), with French typography in French: `label\u00a0: text`. */
export function labelled(label: string, text: string, lang: Lang = current): string {
  return `${label}${lang === 'fr' ? '\u00a0' : ''}: ${text}`;
}

export function hasMessage(key: string): boolean {
  return Object.hasOwn(merged.en, key);
}

/** Every key known to the catalog (the protocols' ones once the registry is loaded), for the completeness test. */
export function catalogKeys(): { en: string[]; fr: string[] } {
  return { en: Object.keys(merged.en), fr: Object.keys(merged.fr) };
}
