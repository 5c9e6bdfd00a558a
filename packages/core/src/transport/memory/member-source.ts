import type { DeliverySource, RawDelivery } from '../subscription/source.js';
import type { GroupMember, LeasedMessage, MemoryBroker } from './broker.js';

/** One group member's view of the memory broker, as the subscription engine consumes it. */
export class MemberSource implements DeliverySource {
  constructor(
    private readonly broker: MemoryBroker,
    private readonly who: GroupMember,
    private readonly ackTimeoutMs: number,
  ) {}

  async receive(max: number, signal: AbortSignal): Promise<RawDelivery[]> {
    for (;;) {
      if (signal.aborted) return [];
      const leased = this.broker.lease(this.who, max, this.ackTimeoutMs);
      if (leased.length > 0) return leased.map((message) => this.rawDelivery(message));
      await this.broker.waitForChange(this.who, signal);
      // The rest of this turn's acks land first, so that one receive takes what they free up.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async publishRaw(
    topic: string,
    headers: Readonly<Record<string, string>>,
    body: Uint8Array,
  ): Promise<void> {
    this.broker.append(topic, [{ headers, body }]);
  }

  async close(): Promise<void> {
    this.broker.leave(this.who);
  }

  private rawDelivery({ topic, cursor, entry, token }: LeasedMessage): RawDelivery {
    const { offset, headers, body } = entry.message;
    const { broker } = this;
    return {
      topic,
      headers,
      body,
      brokerAttempt: entry.deliveries,
      ack: async () => broker.settle(`ack on '${topic}'`, () => cursor.ack(offset, token)),
      nack: async (delayMs) =>
        broker.settle(`nack on '${topic}'`, () => cursor.nack(offset, token, Date.now() + delayMs)),
      extend: async () => {
        broker.settle(`extend on '${topic}'`, () =>
          cursor.extend(offset, token, Date.now() + this.ackTimeoutMs),
        );
      },
    };
  }
}
