// Durations as written in configurations and on the command line: `500ms`, `30s`, `2m`, `1h`, `1d`,
// or a bare number of seconds.

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i;

/** Milliseconds, or undefined when `value` is not a duration (negative, empty, unknown unit…). */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.round(value * UNIT_MS.s) : undefined;
  }
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const unit = (match[2]?.toLowerCase() ?? 's') as Unit;
  return Math.round(Number(match[1]) * UNIT_MS[unit]);
}

/** The shortest readable form: 60000 → `1m`, 90000 → `90s`, 1500 → `1500ms`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
