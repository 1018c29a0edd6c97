// Counter arithmetic: the stored value is the LAST number used; the next one is +1, zero-padded to
// the stored width, and a value that outgrows its width (9999 → 10000) is reported as widened.

export interface CounterValue {
  /** The number to use, as digits (`0042`). */
  value: string;
  /** The value needed one more digit than the stored one (9999 → 10000). */
  widened: boolean;
}

/** Width of a counter that has never been used (no key, or an empty value): its first number is `0001`. */
export const DEFAULT_COUNTER_WIDTH = 4;

export function isCounterDigits(text: string): boolean {
  return /^[0-9]+$/.test(text);
}

/** The value that follows `lastUsed` (digits, or undefined/'' when the counter was never used). */
export function nextCounterValue(lastUsed: string | undefined): CounterValue {
  const stored = lastUsed === undefined || lastUsed === '' ? '0'.repeat(DEFAULT_COUNTER_WIDTH) : lastUsed;
  const next = (BigInt(stored) + 1n).toString();
  return { value: next.padStart(stored.length, '0'), widened: next.length > stored.length };
}
