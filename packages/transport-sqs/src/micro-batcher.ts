import { MAX_BATCH_ENTRIES } from './batches.js';

interface Pending<Item, Result> {
  readonly item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Gathers single requests made in the same turn of the event loop into batch calls of up to
 * 10, e.g. the acks of many handlers into one DeleteMessageBatch. Each caller gets its own result.
 */
export class MicroBatcher<Item, Result> {
  private pending: Array<Pending<Item, Result>> = [];
  private scheduled = false;

  constructor(private readonly sendBatch: (items: readonly Item[]) => Promise<readonly Result[]>) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= MAX_BATCH_ENTRIES) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.pending.length > 0) void this.send(this.pending.splice(0, MAX_BATCH_ENTRIES));
  }

  private async send(batch: ReadonlyArray<Pending<Item, Result>>): Promise<void> {
    try {
      const results = await this.sendBatch(batch.map((pending) => pending.item));
      for (const [index, pending] of batch.entries()) pending.resolve(results[index] as Result);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}
