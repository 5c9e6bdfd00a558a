export interface WaitUntilOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Stops waiting (resolving false) when aborted: a signal asked the program to stop. */
  readonly signal?: AbortSignal;
  readonly describe?: () => string | Promise<string>;
}

/** Polls `condition` until it holds (true), the signal aborts (false), or the deadline passes (throws). */
export async function waitUntil(
  condition: () => Promise<boolean>,
  options: WaitUntilOptions,
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.signal?.aborted) return false;
    if (await condition()) return true;
    if (Date.now() > deadline) {
      const what = (await options.describe?.()) ?? 'the condition';
      throw new Error(`gave up after ${options.timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
