// The one way ordo shows a time to people: local time, as the messages' language writes it —
// `02/12/2026 11:40` in French (JJ/MM/AAAA HH:MM), `2026-12-02 11:40:05` in English — with its offset
// from UTC where an instant is named (`… +01:00`). The log files' lines keep their documented
// `AAAA-MM-JJ HH:MM:SS` stamp in every language (the seconds find a moment there); `--json` keeps ISO
// UTC (`…Z`) values.
import { getLang, type Lang } from '../i18n/index.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** How messages show an instant: `local` for people, `utc` (ISO, `…Z`) when they go into a --json document. */
export type TimeStyle = 'local' | 'utc';

let style: TimeStyle = 'local';

/** Set once by the output layer: `utc` with --json, `local` otherwise. */
export function setTimeStyle(value: TimeStyle): void {
  style = value;
}

/** Local "AAAA-MM-JJ HH:MM:SS", without the offset, whatever the language: the log files' stamp. */
export function localStamp(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock(date)}`;
}

/** Local time for people, without the offset (table columns, journal entries): `02/12/2026 11:40` in French. */
export function peopleStamp(value: string | Date, lang: Lang = getLang()): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  if (lang === 'en') return localStamp(date);
  return `${peopleDate(date, lang)} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A local day for people: `02/12/2026` in French, `2026-12-02` in English. */
export function peopleDate(value: string | Date, lang: Lang = getLang()): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  if (lang === 'en') return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${date.getFullYear()}`;
}

function clock(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The local offset from UTC at that instant: `+01:00`, `-03:30`, `+00:00`. */
export function localOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * An instant (an ISO string such as a lock's `since`, or a Date) as a message shows it: for people,
 * local time and its offset, `2026-12-02 11:40:05 +01:00` (French: `02/12/2026 11:40 +01:00`); in a
 * --json document (time style `utc`), the ISO UTC value unchanged. Text that is not a time is returned as it is.
 */
export function localTime(value: string | Date, as: TimeStyle = style): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  if (as === 'utc') return typeof value === 'string' ? value : date.toISOString();
  return `${peopleStamp(date)} ${localOffset(date)}`;
}
