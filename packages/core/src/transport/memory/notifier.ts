/** Wakes everyone waiting for the broker's state to change (a publish, a settle, a restart). */
export class Notifier {
  private waiters = new Set<() => void>();

  notifyAll(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notification, after `timeoutMs` if given, or when `signal` aborts. */
  wait(signal: AbortSignal | undefined, timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = timeoutMs === undefined ? undefined : setTimeout(wake, Math.max(0, timeoutMs));
      const waiters = this.waiters;
      function wake(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', wake);
        waiters.delete(wake);
        resolve();
      }
      waiters.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }
}
