// Waiting between attempts: exponential backoff, and never sooner than the partner's Retry-After
// (docs/engine.md, "Retries"). A Retry-After longer than the scenario lets a run wait is not waited
// for: the file stays queued, the scenario stops for this run, and a later run tries again — the engine
// against a real peer answering 503 + Retry-After is tested in test/e2e/retry-after.test.ts.
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/shared/wait.js';

describe('backoffDelay', () => {
  it('without Retry-After: base doubled at each attempt, capped at the max delay', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(attempt, 2_000, 60_000))).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(backoffDelay(1, 2_000, 60_000, undefined)).toBe(2_000);
  });

  it('a Retry-After of zero, negative or not a number counts as absent', () => {
    for (const retryAfter of [0, -5_000, Number.NaN]) expect(backoffDelay(2, 2_000, 60_000, retryAfter)).toBe(4_000);
  });

  it('a Retry-After shorter than the backoff changes nothing', () => {
    expect(backoffDelay(3, 2_000, 60_000, 1_000)).toBe(8_000);
  });

  it('a Retry-After longer than the backoff and within the max delay is waited exactly', () => {
    expect(backoffDelay(1, 2_000, 60_000, 45_000)).toBe(45_000);
    expect(backoffDelay(1, 2_000, 60_000, 60_000)).toBe(60_000);
  });

  it('never shorter than Retry-After: one longer than the max delay is not waited in this run', () => {
    expect(backoffDelay(1, 2_000, 60_000, 60_001)).toBeUndefined();
    expect(backoffDelay(7, 2_000, 60_000, 3_600_000)).toBeUndefined();
    expect(backoffDelay(1, 2_000, 60_000, Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('whatever the inputs, a delay it gives is at least the Retry-After and at most the max delay', () => {
    for (const attempt of [1, 2, 5, 30]) {
      for (const retryAfter of [undefined, 1, 999, 5_000, 59_999, 60_000, 60_001, 86_400_000]) {
        const delay = backoffDelay(attempt, 2_000, 60_000, retryAfter);
        if (delay === undefined) {
          expect(retryAfter).toBeGreaterThan(60_000);
          continue;
        }
        expect(delay).toBeGreaterThanOrEqual(retryAfter ?? 0);
        expect(delay).toBeLessThanOrEqual(60_000);
      }
    }
  });
});
