// The one way ordo shows a time to people: local time with its offset from UTC, e.g.
// `2026-12-02 11:40:05 +01:00`, the same clock as the logs. `--json` keeps ISO UTC (`…Z`) values.

const pad = (n: number) => String(n).padStart(2, '0');

/** How messages show an instant: `local` for people, `utc` (ISO, `…Z`) when they go into a --json document. */
export type TimeStyle = 'local' | 'utc';

let style: TimeStyle = 'local';

/** Set once by the output layer: `utc` with --json, `local` otherwise. */
export function setTimeStyle(value: TimeStyle): void {
  style = value;
}

/** Local "AAAA-MM-JJ HH:MM:SS", without the offset (log lines, table columns). */
export function localStamp(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
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
 * local time and its offset, `2026-12-02 11:40:05 +01:00`; in a --json document (time style `utc`), the
 * ISO UTC value unchanged. Text that is not a time is returned as it is.
 */
export function localTime(value: string | Date, as: TimeStyle = style): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  if (as === 'utc') return typeof value === 'string' ? value : date.toISOString();
  return `${localStamp(date)} ${localOffset(date)}`;
}
