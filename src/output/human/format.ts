// Small formatting helpers shared by the human renderers.
import { getLang, t, type Params } from '../../i18n/index.js';
import { localStamp } from '../../shared/local-time.js';

const LARGER_UNITS = ['KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB" (1 KB = 1024 bytes; French uses a decimal comma and "o" for bytes). */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 'B';
  for (const larger of LARGER_UNITS) {
    if (!(value >= 1024)) break; // NaN too stays in bytes
    value /= 1024;
    unit = larger;
  }
  const fr = getLang() === 'fr';
  const number = unit === 'B' ? String(value) : value.toFixed(value < 10 ? 1 : 0);
  const label = fr ? unit.replace('B', 'o') : unit;
  return `${fr ? number.replace('.', ',') : number} ${label}`;
}

/** An ISO time as local "AAAA-MM-JJ HH:MM:SS" (what the logs show too), for columns. */
export function formatTime(iso: string | Date): string {
  return localStamp(iso);
}

/** 3400 → "3.4 s", 125000 → "2 min 5 s". */
export function formatElapsed(ms: number): string {
  const fr = getLang() === 'fr';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) {
    const s = (ms / 1000).toFixed(1);
    return `${fr ? s.replace('.', ',') : s} s`;
  }
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

export function padEnd(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** `key.one` or `key.other` by `count` (French puts 0 in the singular, English does not). */
export function plural(key: string, count: number, params: Params = {}): string {
  const one = getLang() === 'fr' ? count <= 1 : count === 1;
  return t(`${key}.${one ? 'one' : 'other'}`, { ...params, count });
}
