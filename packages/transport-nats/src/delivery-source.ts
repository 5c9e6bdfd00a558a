import type { DeliverySource, RawDelivery } from '@eventloom/core';
import { withTimeout } from '@eventloom/core';
import type { DeliveryTerms } from './delivery.js';
import { NatsDelivery } from './delivery.js';
import type { Publisher } from './publisher.js';
import type { PullFeed } from './pull-feed.js';

/** One member of a group, as the shared subscription engine pulls from it, over every partition consumer. */
export class NatsDeliverySource implements DeliverySource {
  constructor(
    private readonly feed: PullFeed,
    private readonly publisher: Publisher,
    private readonly terms: DeliveryTerms,
  ) {}

  async receive(max: number, signal: AbortSignal): Promise<RawDelivery[]> {
    const arrivals = await this.feed.next(max, signal);
    return arrivals.map(
      ({ msg, partition, leaseFrom }) =>
        new NatsDelivery(msg, this.terms, leaseFrom, () => this.feed.settled(partition)),
    );
  }

  publishRaw(topic: string, headers: Readonly<Record<string, string>>, body: Uint8Array): Promise<void> {
    return this.publisher.publishRaw(topic, headers, body);
  }

  /**
   * Gives back, in order and confirmed, what arrived after the engine stopped taking messages
   * (the server applies naks and pull requests on separate queues, so an unconfirmed nak could
   * land after the next member's first pull and reorder the key), then flushes the acks.
   */
  async close(): Promise<void> {
    for (const { msg, leaseFrom } of await this.feed.close()) {
      await new NatsDelivery(msg, this.terms, leaseFrom).nack(0).catch(() => false);
    }
    await withTimeout(this.terms.nc.flush(), this.terms.requestTimeoutMs, 'flushing acks').catch(() => {});
  }
}
