// Small formatting helpers shared by the human renderers.
import { getLang, t, type Params } from '../../i18n/index.js';
import { peopleStamp } from '../../shared/local-time.js';

/** 1536 → "1.5 KB", in French "1,5 Kio" (one function for every size shown, see src/i18n/units.ts). */
export { formatSize } from '../../i18n/units.js';

/** An ISO time as local time for a column: "AAAA-MM-JJ HH:MM:SS", in French "JJ/MM/AAAA HH:MM". */
export function formatTime(iso: string | Date): string {
  return peopleStamp(iso);
}

/** 3400 → "3.4 s", 125000 → "2 min 5 s" (src/i18n/units.ts). */
export { formatElapsed } from '../../i18n/units.js';

export function padEnd(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** `key.one` or `key.other` by `count` (French puts 0 in the singular, English does not). */
export function plural(key: string, count: number, params: Params = {}): string {
  const one = getLang() === 'fr' ? count <= 1 : count === 1;
  return t(`${key}.${one ? 'one' : 'other'}`, { ...params, count });
}
