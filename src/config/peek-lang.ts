// The configuration's `lang`, known before anything is written: usage errors, the help and every
// configuration error (exit 3) speak the site's language even when the file does not load. The same
// file as the loader's (./discovery.ts), read within the same bounds; `lang` is found by a forgiving
// scan of its lines, so that a syntax error elsewhere in the file does not hide it. Never throws.
import { extname } from 'node:path';
import { langOf, type Lang } from '../i18n/index.js';
import { findConfigFile, type DiscoveryOptions } from './discovery.js';
import { readBounded } from './limits.js';
import { decodeText } from './text-encoding.js';

export async function peekLang(options: DiscoveryOptions): Promise<Lang | undefined> {
  try {
    const file = await findConfigFile(options);
    const read = await readBounded(file);
    if (!read.ok) return undefined;
    const text = decodeText(read.bytes).text;
    // Not ./read-source.ts (it loads every reader): `--help` comes here too, and must stay quick.
    return extname(file).toLowerCase() === '.ini' ? iniLang(text) : jsonOrYamlLang(text);
  } catch {
    return undefined;
  }
}

const VALUE = String.raw`["']?([A-Za-z]{2})["']?`;
/** `[general]` … `lang = fr` (automate.ini: section and key in any case, `;`/`#` comments). */
const INI_SECTION = /^\s*\[([^\]]*)\]/;
const INI_LANG = new RegExp(String.raw`^\s*lang\s*[=:]\s*${VALUE}\s*(?:[;#].*)?$`, 'i');
/** A top-level `lang: fr` of YAML (at the start of the line), or `"lang": "fr"` anywhere in JSON. */
const YAML_LANG = new RegExp(String.raw`^["']?lang["']?\s*:\s*${VALUE}\s*(?:#.*)?$`);
const JSON_LANG = new RegExp(String.raw`"lang"\s*:\s*"([A-Za-z]{2})"`);

export function iniLang(text: string): Lang | undefined {
  let general = false;
  for (const line of text.split(/\r\n|\n|\r/)) {
    const section = INI_SECTION.exec(line);
    if (section) general = (section[1] ?? '').trim().toLowerCase() === 'general';
    else if (general) {
      const lang = langOf(INI_LANG.exec(line)?.[1]);
      if (lang !== undefined) return lang;
    }
  }
  return undefined;
}

export function jsonOrYamlLang(text: string): Lang | undefined {
  for (const line of text.split(/\r\n|\n|\r/)) {
    const lang = langOf(YAML_LANG.exec(line.trimEnd())?.[1]);
    if (lang !== undefined) return lang;
  }
  return langOf(JSON_LANG.exec(text)?.[1]);
}
