import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConsumerRuntime,
  createEnvelope,
  type Envelope,
  type EventStore,
  handler,
  type Transport,
} from '@eventloom/core';
import { openSqliteStore } from '@eventloom/core/sqlite';
import { publishUntilAccepted, waitFor } from '@eventloom/core/testing';

const COLLECTION = 'kafka-effects';

interface SeenDocument {
  readonly seen: readonly number[];
}

/**
 * A workload whose effects show duplicates, losses and reordering: message `n` of a key appends
 * `n` to that key's document, through the consumer runtime (inbox claim and effect in one
 * SQLite transaction, ack after commit).
 */
export class EffectsWorkload {
  readonly store: EventStore;
  readonly messages: Envelope[];
  private readonly folder = mkdtempSync(join(tmpdir(), 'eventloom-kafka-'));
  private readonly consumers: ConsumerRuntime[] = [];
  /** Handler runs per consumer, in start order (rolled-back runs included). */
  readonly handledBy: number[] = [];

  constructor(
    readonly topic: string,
    readonly group: string,
    readonly keys: number,
    perKey: number,
  ) {
    this.store = openSqliteStore({ path: join(this.folder, 'effects.db'), synchronous: 'NORMAL' });
    this.messages = Array.from({ length: keys * perKey }, (_, i) =>
      createEnvelope({
        type: 'effect.requested',
        data: { n: Math.floor(i / keys) },
        partitionkey: `key-${i % keys}`,
      }),
    );
  }

  /** A consumer runtime as one member of the group. */
  async startConsumer(transport: Transport): Promise<ConsumerRuntime> {
    const consumer = new ConsumerRuntime({
      store: this.store,
      transport,
      group: this.group,
      topics: [this.topic],
      handlers: [this.appendSeen(this.consumers.length)],
      subscription: {
        maxInFlight: 8,
        ackTimeoutMs: 10_000,
        retryBackoff: { initialMs: 5, maxMs: 200, multiplier: 2 },
      },
      inbox: false,
    });
    await consumer.start();
    this.consumers.push(consumer);
    return consumer;
  }

  /** Publishes every message in small paced batches, retrying a batch the broker did not take. */
  async publish(transport: Transport, batchSize = 20, pauseMs = 30): Promise<void> {
    for (let start = 0; start < this.messages.length; start += batchSize) {
      const batch = this.messages
        .slice(start, start + batchSize)
        .map((envelope) => ({ topic: this.topic, envelope }));
      await publishUntilAccepted(transport, batch, 100);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
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

  async close(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop(5_000)));
    await this.store.close();
    rmSync(this.folder, { recursive: true, force: true });
  }

  private appendSeen(member: number) {
    this.handledBy[member] = 0;
    return handler<{ type: 'effect.requested'; data: { n: number } }>({
      consumer: 'kafka-effects',
      types: ['effect.requested'],
      handle: async (message, { uow }) => {
        this.handledBy[member] = (this.handledBy[member] ?? 0) + 1;
        const documents = uow.documents<SeenDocument>(COLLECTION);
        const key = message.partitionkey;
        const current = (await documents.get(key))?.value.seen ?? [];
        await documents.put(key, { seen: [...current, message.data.n] });
      },
    });
  }
}
