import { handler } from '../consumer/handler.js';
import { ConsumerRuntime } from '../consumer/runtime.js';
import { createEnvelope } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';
import type { EventStore } from '../store/contract.js';
import type { SubscribeOptions, Transport } from '../transport/contract.js';
import { delay, publishUntilAccepted } from './transport-conformance-fixtures.js';
import { waitFor } from './wait.js';

const COLLECTION = 'keyed-effects';

interface SeenDocument {
  readonly seen: readonly number[];
}

export interface KeyedEffectsOptions {
  /** Where the effects are applied, in the transaction of each inbox claim. */
  readonly store: EventStore;
  readonly topic: string;
  readonly keys: number;
  readonly perKey: number;
  /** The messages' type; the topic by default. */
  readonly type?: string;
}

export interface EffectsConsumerOptions {
  readonly transport: Transport;
  readonly group: string;
  readonly subscription: Omit<SubscribeOptions, 'group' | 'topics'>;
  /** Called on every handler run, rolled-back runs included. */
  readonly onHandle?: () => void;
}

export interface EffectsPublishOptions {
  readonly batchSize: number;
  /** The wait before a batch the broker refused is published again. */
  readonly retryMs: number;
  /** The wait after each batch; none by default. */
  readonly pauseMs?: number;
}

/**
 * A workload whose effects show losses, duplicates and reordering: message `n` of `key-<k>`
 * appends `n` to that key's document in the same transaction as its inbox claim, so a lost
 * message leaves a gap, a duplicate effect shows twice and a reordering shows out of order.
 */
export class KeyedEffects {
  readonly store: EventStore;
  readonly topic: string;
  readonly keys: number;
  readonly messages: readonly Envelope[];
  private readonly type: string;

  constructor(options: KeyedEffectsOptions) {
    const { store, topic, keys, perKey, type = topic } = options;
    this.store = store;
    this.topic = topic;
    this.keys = keys;
    this.type = type;
    this.messages = Array.from({ length: keys * perKey }, (_, i) =>
      createEnvelope({ type, data: { n: Math.floor(i / keys) }, partitionkey: `key-${i % keys}` }),
    );
  }

  /** A consumer runtime, one member of `group`, that applies the effects (inbox retention off). */
  async startConsumer(options: EffectsConsumerOptions): Promise<ConsumerRuntime> {
    const consumer = new ConsumerRuntime({
      store: this.store,
      transport: options.transport,
      group: options.group,
      topics: [this.topic],
      handlers: [this.appendSeen(options.onHandle)],
      subscription: options.subscription,
      inbox: false,
    });
    await consumer.start();
    return consumer;
  }

  /** Publishes every message in batches, retrying a batch the broker refused, as the relay does. */
  async publish(transport: Transport, options: EffectsPublishOptions): Promise<void> {
    const { batchSize, retryMs, pauseMs = 0 } = options;
    for (let start = 0; start < this.messages.length; start += batchSize) {
      const batch = this.messages
        .slice(start, start + batchSize)
        .map((envelope) => ({ topic: this.topic, envelope }));
      await publishUntilAccepted(transport, batch, retryMs);
      if (pauseMs > 0) await delay(pauseMs);
    }
  }

  /** Each key's document: the `n` of every effect applied, in the order applied. */
  async effects(): Promise<Map<string, readonly number[]>> {
    return this.store.transaction(async (uow) => {
      const documents = uow.documents<SeenDocument>(COLLECTION);
      const found = new Map<string, readonly number[]>();
      for (let key = 0; key < this.keys; key++) {
        found.set(`key-${key}`, (await documents.get(`key-${key}`))?.value.seen ?? []);
      }
      return found;
    });
  }

  async appliedCount(): Promise<number> {
    let count = 0;
    for (const seen of (await this.effects()).values()) count += seen.length;
    return count;
  }

  async waitForAll(timeoutMs: number): Promise<void> {
    let applied = 0;
    await waitFor(
      async () => {
        applied = await this.appliedCount();
        return applied >= this.messages.length;
      },
      { timeoutMs, intervalMs: 200 },
      () => `${this.messages.length} effects, ${applied} applied`,
    );
  }

  private appendSeen(onHandle: (() => void) | undefined) {
    return handler<{ type: string; data: { n: number } }>({
      consumer: COLLECTION,
      types: [this.type],
      handle: async (message, { uow }) => {
        onHandle?.();
        const documents = uow.documents<SeenDocument>(COLLECTION);
        const key = message.partitionkey;
        const current = (await documents.get(key))?.value.seen ?? [];
        await documents.put(key, { seen: [...current, message.data.n] });
      },
    });
  }
}
