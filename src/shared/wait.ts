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

/** Exponential backoff for attempt n (1-based), capped, or the partner's Retry-After when longer. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, retryAfterMs?: number): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(exponential, Math.min(retryAfterMs ?? 0, maxMs));
}
