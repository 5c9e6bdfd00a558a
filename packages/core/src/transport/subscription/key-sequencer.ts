/**
 * Runs items one at a time per key, in arrival order, and many keys concurrently. An item holds
 * its key until `run` settles, so a retried message holds back the later ones of its key only.
 */
export class KeySequencer<Item> {
  private readonly queues = new Map<string, Item[]>();
  private readonly running = new Set<Promise<void>>();
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
    if (!this.stopped) this.start(key, fresh);
  }

  /** Starts nothing more; items not yet started stay queued (see `unstarted`). */
  stop(): void {
    this.stopped = true;
  }

  /** Resolves once no item is running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
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

  private start(key: string, queue: Item[]): void {
    const drain = this.drain(key, queue).finally(() => this.running.delete(drain));
    this.running.add(drain);
  }

  private async drain(key: string, queue: Item[]): Promise<void> {
    while (!this.stopped && queue.length > 0) {
      await this.run(queue[0] as Item);
      queue.shift();
    }
    if (queue.length === 0) this.queues.delete(key);
  }
}
