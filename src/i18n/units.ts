// Sizes and durations for people, in the language of the messages. Sizes in binary multiples (1 K =
// 1024 bytes) in both languages: English writes KB, MB, GB, TB; French writes o, Kio, Mio, Gio, Tio.
// French puts a decimal comma and a no-break space between the number and the unit.
import { getLang } from './index.js';
import type { Lang } from './types.js';

const UNITS: Record<Lang, readonly string[]> = {
  en: ['B', 'KB', 'MB', 'GB', 'TB'],
  fr: ['o', 'Kio', 'Mio', 'Gio', 'Tio'],
};

/** 1536 → "1.5 KB" (English), "1,5 Kio" (French); below 10 units one decimal, above none. */
export function formatSize(bytes: number, lang: Lang = getLang()): string {
  const units = UNITS[lang];
  let value = bytes;
  let index = 0;
  while (index < units.length - 1 && value >= 1024) {
    value /= 1024;
    index += 1;
  }
  const number = index === 0 ? String(value) : value.toFixed(value < 10 ? 1 : 0);
  return lang === 'fr' ? `${number.replace('.', ',')}\u00a0${units[index]}` : `${number} ${units[index]}`;
}

/** The space between a number and its unit: a no-break one in French. */
function unitSpace(lang: Lang): string {
  return lang === 'fr' ? '\u00a0' : ' ';
}

/** 3400 → "3.4 s" ("3,4 s"), 125000 → "2 min 5 s": how long a run took. */
export function formatElapsed(ms: number, lang: Lang = getLang()): string {
  const sp = unitSpace(lang);
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}${sp}ms`;
  if (ms < 60_000) {
    const s = (ms / 1000).toFixed(1);
    return `${lang === 'fr' ? s.replace('.', ',') : s}${sp}s`;
  }
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}${sp}min ${seconds}${sp}s`;
}

interface AgeUnit {
  ms: number;
  en: string;
  fr: string;
}

const SECOND: AgeUnit = { ms: 1000, en: 's', fr: 's' };
const AGE_UNITS: readonly AgeUnit[] = [{ ms: 86_400_000, en: 'd', fr: 'j' }, { ms: 3_600_000, en: 'h', fr: 'h' }, { ms: 60_000, en: 'min', fr: 'min' }, SECOND];

/** How long ago, in the largest whole unit: "3 d" ("3 j"), "5 h", "12 min", "40 s". */
export function formatAge(ms: number, lang: Lang = getLang()): string {
  const positive = Math.max(0, ms);
  const unit = AGE_UNITS.find((u) => positive >= u.ms) ?? SECOND;
  return `${Math.floor(positive / unit.ms)}${unitSpace(lang)}${unit[lang]}`;
}
