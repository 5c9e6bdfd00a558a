/**
 * Wakes everyone waiting for the broker's state to change (a publish, a settle, a restart).
 * Waiting is cheap, as members wait after nearly every receive: one timer serves every
 * deadline (it wakes all waiters at the earliest; they check again and wait on), and each
 * abort signal is listened to once.
 */
export class Notifier {
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly watched = new WeakSet<AbortSignal>();

  notifyAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    // A timer left for nobody fires harmlessly; it must not keep the process alive meanwhile.
    this.timer?.unref();
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notification, after `timeoutMs` if given, or when `signal` aborts. */
  wait(signal: AbortSignal | undefined, timeoutMs?: number): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    if (signal !== undefined) this.watch(signal);
    const promise = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (timeoutMs !== undefined) this.wakeBy(Date.now() + Math.max(0, timeoutMs));
    return promise;
  }

  private watch(signal: AbortSignal): void {
    if (this.watched.has(signal)) return;
    this.watched.add(signal);
    signal.addEventListener('abort', () => this.notifyAll(), { once: true });
  }

  private wakeBy(at: number): void {
    if (this.timer !== undefined && this.timerAt <= at) {
      this.timer.ref();
      return;
    }
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - Date.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.notifyAll();
  }
}
