// Reading the scalar values a person writes by hand (INI has only text): yes/no, lists, times of day.

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'oui']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'non']);

/** `1/0`, `true/false`, `yes/no`, `oui/non` (any case), or a real boolean; undefined otherwise. */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** A list: an array of texts, or one text whose items are separated by `;` (or `,`). */
export function parseList(value: unknown): string[] | undefined {
  const items = typeof value === 'string' ? value.split(/[;,]/) : Array.isArray(value) ? value : undefined;
  if (items === undefined) return undefined;
  const out: string[] = [];
  for (const item of items) {
    if (typeof item === 'number' && Number.isFinite(item)) out.push(String(item));
    else if (typeof item === 'string') {
      if (item.trim() !== '') out.push(item.trim());
    } else return undefined;
  }
  return out;
}

/** `HH:MM` between 00:00 and 23:59 (`8:30` is read as `08:30`); undefined otherwise. */
export function parseTimeOfDay(value: string): string | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  return match ? `${(match[1] ?? '').padStart(2, '0')}:${match[2] ?? ''}` : undefined;
}
