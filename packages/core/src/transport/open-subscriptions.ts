import { TransportClosedError } from '../errors.js';
import type { Subscription } from './contract.js';

/**
 * The bookkeeping every transport shares: the subscriptions it has open, each leaving the set as
 * it closes, all of them closed with the transport, and TransportClosedError once it is closed.
 */
export class OpenSubscriptions {
  private readonly open = new Set<Subscription>();
  private closed = false;

  constructor(private readonly kind: string) {}

  assertOpen(): void {
    if (this.closed) throw new TransportClosedError(this.kind);
  }

  /** Wraps a running subscription so that closing it also forgets it. */
  track(running: Subscription): Subscription {
    const subscription: Subscription = {
      close: async () => {
        this.open.delete(subscription);
        await running.close();
      },
    };
    this.open.add(subscription);
    return subscription;
  }

  /** Refuses any further use at once, then closes every subscription still open. */
  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.open].map((subscription) => subscription.close()));
  }
}
