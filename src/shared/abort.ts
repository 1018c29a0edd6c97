// Interruption: the one AbortError shape every layer recognises and throws.

/** An interruption (Ctrl+C, SIGTERM, a caller's signal), whatever threw it. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** The AbortError the contract's callers expect, whatever reason the signal carries. */
export function abortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw abortError(signal);
}
