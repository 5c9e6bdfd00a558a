import { fail } from 'node:assert/strict';

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
}

/**
 * Polls `predicate` until it holds, failing with `describe()` after the deadline. Tests wait on
 * conditions with generous deadlines, never on fixed sleeps, so a loaded machine only slows them.
 */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  options: WaitOptions,
  describe: () => string = () => 'condition',
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 10;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) fail(`timed out after ${options.timeoutMs} ms waiting for ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits `ms` — only to let something that must NOT happen have its chance to happen. */
export function quietPeriod(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
