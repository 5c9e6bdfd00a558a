/** Counts messages a member holds, so it never asks the broker for more than `limit` at once. */
export class InFlightLimit {
  private held = 0;
  private waiters: Array<() => void> = [];

  constructor(readonly limit: number) {}

  /** How many more messages may be taken now. */
  get available(): number {
    return this.limit - this.held;
  }

  take(count = 1): void {
    this.held += count;
  }

  release(): void {
    this.held -= 1;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Resolves once at least one more message may be taken, or `signal` aborts. After a wait it
   * lets the rest of the event-loop turn finish first, so the messages settled in that turn
   * are taken back in one receive rather than one receive each.
   */
  async whenAvailable(signal: AbortSignal): Promise<void> {
    if (this.available > 0 || signal.aborted) return;
    while (this.available <= 0 && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}
