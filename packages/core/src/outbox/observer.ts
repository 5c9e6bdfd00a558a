import type { OutboxRow } from '../store/contract.js';

/**
 * What the relay reports as it works: hooks for metrics, tracing and logs (each optional and
 * synchronous; an observer that throws is ignored).
 */
export interface RelayObserver {
  readonly published?: (rows: readonly OutboxRow[], durationMs: number) => void;
  readonly failed?: (error: unknown, attempt: number) => void;
  readonly released?: (count: number) => void;
  readonly purged?: (count: number) => void;
  readonly leaseChanged?: (held: boolean) => void;
}

/** Calls one observer hook, keeping a faulty observer away from the work it watches. */
export function notify<Args extends unknown[]>(
  hook: ((...args: Args) => void) | undefined,
  ...args: Args
): void {
  if (hook === undefined) return;
  try {
    hook(...args);
  } catch {
    // Observability must never change what the relay or a consumer does.
  }
}
