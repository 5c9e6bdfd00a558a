import type { EventStore, Transport } from '@eventloom/core';
import { ConsumerRuntime, createEnvelope, handler, TransportError } from '@eventloom/core';

const COLLECTION = 'nats-effects';

/**
 * A run with an effect per message: the handler appends the message's number to its key's
 * document in the same transaction as the inbox claim, so a lost message leaves a gap and a
 * duplicate effect shows twice.
 */
export class EffectsRun {
  readonly messages;

  constructor(
    readonly topic: string,
    readonly keys: number,
    readonly perKey: number,
  ) {
    this.messages = Array.from({ length: keys * perKey }, (_, i) =>
      createEnvelope({ type: topic, data: { n: Math.floor(i / keys) }, partitionkey: `key-${i % keys}` }),
    );
  }

  async startConsumer(store: EventStore, transport: Transport, group: string): Promise<ConsumerRuntime> {
    const consumer = new ConsumerRuntime({
      store,
      transport,
      group,
      handlers: [this.effectHandler()],
      subscription: { ackTimeoutMs: 2_000, maxInFlight: 16 },
      inbox: false,
    });
    await consumer.start();
    return consumer;
  }

  /** Publishes in batches, retrying a batch the server did not confirm, as the relay does. */
  async publish(transport: Transport, batchSize = 10): Promise<void> {
    for (let start = 0; start < this.messages.length; start += batchSize) {
      const batch = this.messages
        .slice(start, start + batchSize)
        .map((envelope) => ({ topic: this.topic, envelope }));
      for (;;) {
        try {
          await transport.publish(batch);
          break;
        } catch (error) {
          if (!(error instanceof TransportError)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }
  }

  /** Message numbers applied, per key, in the order they were applied. */
  async effects(store: EventStore): Promise<Map<string, number[]>> {
    return store.transaction(async (uow) => {
      const documents = uow.documents<number[]>(COLLECTION);
      const applied = new Map<string, number[]>();
      for (let key = 0; key < this.keys; key++) {
        applied.set(`key-${key}`, (await documents.get(`key-${key}`))?.value ?? []);
      }
      return applied;
    });
  }

  async appliedCount(store: EventStore): Promise<number> {
    let count = 0;
    for (const seen of (await this.effects(store)).values()) count += seen.length;
    return count;
  }

  private effectHandler() {
    return handler({
      consumer: `${this.topic}.effects`,
      types: [this.topic],
      async handle(message, { uow }) {
        const documents = uow.documents<number[]>(COLLECTION);
        const key = message.partitionkey;
        const seen = (await documents.get(key))?.value ?? [];
        await documents.put(key, [...seen, (message.data as { n: number }).n]);
      },
    });
  }
}
