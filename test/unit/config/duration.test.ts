import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/shared/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['30', 30_000],
    ['0', 0],
    ['1.5s', 1_500],
    [' 60s ', 60_000],
    ['10 s', 10_000],
    ['2M', 120_000],
    [45, 45_000],
    [0.5, 500],
  ] as const)('%j → %d ms', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each(['', 'abc', '30x', '-5s', '1h30m', 's', '5 minutes', '1e3'])('%j is not a duration', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('%d is not a duration', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1_500, '1500ms'],
    [30_000, '30s'],
    [90_000, '90s'],
    [60_000, '1m'],
    [3_600_000, '1h'],
    [86_400_000, '1d'],
  ])('%d ms → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
    expect(parseDuration(expected)).toBe(ms);
  });
});
