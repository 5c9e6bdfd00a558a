import type { DeliverySource, RawDelivery } from '@eventloom/core';
import { MAX_BATCH_ENTRIES } from './batches.js';
import type { DeliveryContext } from './lease.js';
import { rawDelivery } from './lease.js';
import type { SqsPublisher } from './publisher.js';
import type { GroupQueue, Received } from './queue.js';

export interface QueueSourceSettings {
  readonly waitTimeSeconds: number;
  /** The ack timeout, in the whole seconds SQS counts visibility in. */
  readonly visibilitySeconds: number;
  readonly fallbackTopic: string;
}

/**
 * One member's view of its group's queue for the shared subscription engine: long polls of up to
 * 10 messages (a full one is followed at once by short polls for the rest of the credit), the
 * receive count as the broker attempt, and dead letters published through SNS.
 */
export class QueueSource implements DeliverySource {
  constructor(
    private readonly queue: GroupQueue,
    private readonly publisher: SqsPublisher,
    private readonly settings: QueueSourceSettings,
  ) {}

  /** A poll in flight when `signal` aborts runs out its wait; what it brings is handed back by the engine. */
  async receive(max: number, signal: AbortSignal): Promise<RawDelivery[]> {
    const { waitTimeSeconds, visibilitySeconds } = this.settings;
    while (!signal.aborted) {
      const first = await this.queue.receive(
        Math.min(max, MAX_BATCH_ENTRIES),
        waitTimeSeconds,
        visibilitySeconds,
      );
      const rest = max - first.messages.length;
      const more = first.messages.length === MAX_BATCH_ENTRIES && rest > 0 ? await this.pollAtOnce(rest) : [];
      const deliveries = [first, ...more].flatMap((received) => this.deliveries(received));
      if (deliveries.length > 0) return deliveries;
    }
    return [];
  }

  publishRaw(topic: string, headers: Readonly<Record<string, string>>, body: Uint8Array): Promise<void> {
    return this.publisher.publishRaw(topic, headers, body);
  }

  /** SQS has no membership to leave: what this member did not settle comes back by its timeout. */
  async close(): Promise<void> {}

  /** Short polls in parallel; one that fails costs only its own messages' visibility timeout. */
  private async pollAtOnce(count: number): Promise<Received[]> {
    const polls: Array<Promise<Received>> = [];
    for (let left = count; left > 0; left -= MAX_BATCH_ENTRIES) {
      polls.push(this.queue.receive(Math.min(left, MAX_BATCH_ENTRIES), 0, this.settings.visibilitySeconds));
    }
    const settled = await Promise.allSettled(polls);
    return settled.flatMap((poll) => (poll.status === 'fulfilled' ? [poll.value] : []));
  }

  private deliveries(received: Received): RawDelivery[] {
    const context: DeliveryContext = {
      queue: this.queue,
      requestedAt: received.requestedAt,
      visibilitySeconds: this.settings.visibilitySeconds,
      fallbackTopic: this.settings.fallbackTopic,
    };
    return received.messages.map((message) => rawDelivery(message, context));
  }
}
