/**
 * Runs items one at a time per key, in arrival order, and many keys concurrently. An item holds
 * its key until `run` settles, so a retried message holds back the later ones of its key only.
 */
export class KeySequencer<Item> {
  private readonly queues = new Map<string, Item[]>();
  /** Keys with an item running. */
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  /** `run` must not throw; a rejection would stop its key. */
  constructor(private readonly run: (item: Item) => Promise<void>) {}

  push(key: string, item: Item): void {
    const queue = this.queues.get(key);
    if (queue !== undefined) {
      queue.push(item);
      return;
    }
    const fresh = [item];
    this.queues.set(key, fresh);
    if (!this.stopped) {
      this.running += 1;
      this.next(key, fresh);
    }
  }

  /** Starts nothing more; items not yet started stay queued (see `unstarted`). */
  stop(): void {
    this.stopped = true;
  }

  /** Resolves once no item is running. */
  idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Items queued but never started, in arrival order per key. */
  unstarted(): Item[] {
    return [...this.queues.values()].flat();
  }

  get size(): number {
    let count = 0;
    for (const queue of this.queues.values()) count += queue.length;
    return count;
  }

  /** Runs the key's first item, then the next once it settles: one promise per item, no loop frame. */
  private next(key: string, queue: Item[]): void {
    if (this.stopped || queue.length === 0) {
      if (queue.length === 0) this.queues.delete(key);
      this.keyDone();
      return;
    }
    let running: Promise<void>;
    try {
      running = this.run(queue[0] as Item);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      () => {
        queue.shift();
        this.next(key, queue);
      },
      (error: unknown) => {
        this.keyDone();
        throw error;
      },
    );
  }

  private keyDone(): void {
    this.running -= 1;
    if (this.running > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
