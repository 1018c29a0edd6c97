// Waiting that an interruption cuts short (delays between files, backoff between attempts).

/** Resolves after `ms`, or as soon as `signal` aborts; returns false when it was cut short. */
export function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!(signal?.aborted ?? false));
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * How long to wait after failed attempt n (1-based) before the next one: `baseMs` doubled at each
 * attempt and capped at `maxMs`, and never shorter than the partner's Retry-After. A partner that asks
 * for more than `maxMs` is not waited for: undefined means "not in this run" (the caller leaves the file
 * queued for a later run rather than wait longer than the scenario allows, or call back too soon).
 * A Retry-After of zero, negative or not a number counts as absent (docs/engine.md, "Retries").
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, retryAfterMs?: number): number | undefined {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const asked = retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : 0;
  if (asked > maxMs) return undefined;
  return Math.max(exponential, asked);
}
