// Waiting for something to happen, never for a fixed time: a condition polled until it holds, with a
// deadline that only guards against a hang (reaching it fails the test and says what did not happen).

export interface WaitOptions {
  /** What is awaited, for the failure message ("the first cycle's end in last.log"). */
  what: string;
  /** Hang guard, generous on purpose: a slow machine must not fail the test. */
  timeoutMs?: number;
  /** How often the condition is looked at. */
  everyMs?: number;
  /** Stops waiting early (with a failure) when this becomes true, e.g. the child process exited. */
  gaveUp?: () => string | undefined;
}

/** Resolves as soon as `condition()` is true; rejects at the deadline or when `gaveUp()` gives a reason. */
export async function waitFor(condition: () => boolean, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (condition()) return;
    const reason = options.gaveUp?.();
    if (reason !== undefined) throw new Error(`${options.what}: never happened (${reason})`);
    if (Date.now() > deadline) throw new Error(`${options.what}: not reached within ${options.timeoutMs ?? 30_000} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 5));
  }
}
