import type { ConsumerObserver } from '../consumer/observer.js';
import type { EventStore } from '../store/contract.js';
import { waitFor } from './wait.js';

/**
 * Knows when a run has gone quiet: nothing left in the outbox, nothing due on the clock that the
 * relay has not released, and every published message settled (handled or found a duplicate).
 */
export class SettleTracker {
  private readonly settled = new Set<string>();
  private readonly unsettled = new Set<string>();

  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly timeoutMs: number,
  ) {}

  published(ids: readonly string[]): void {
    for (const id of ids) if (!this.settled.has(id)) this.unsettled.add(id);
  }

  consumerObserver(): ConsumerObserver {
    const settle = (id: string) => {
      this.settled.add(id);
      this.unsettled.delete(id);
    };
    return {
      handled: (message) => settle(message.id),
      duplicate: (message) => settle(message.id),
      ignored: (message) => settle(message.id),
    };
  }

  /** Waits until the run is quiet at two polls in a row (a publish between them shows up). */
  async quiet(): Promise<void> {
    let quietPolls = 0;
    const settled = async () => {
      quietPolls = (await this.isQuiet()) ? quietPolls + 1 : 0;
      return quietPolls >= 2;
    };
    await waitFor(
      settled,
      { timeoutMs: this.timeoutMs, intervalMs: 2 },
      () => `quiet; ${this.unsettled.size} published messages unsettled`,
    );
  }

  private async isQuiet(): Promise<boolean> {
    if (this.unsettled.size > 0) return false;
    if ((await this.store.outboxBacklog()).pending > 0) return false;
    const due = await this.store.nextDueAt();
    return due === undefined || due.getTime() > this.now().getTime();
  }
}
