import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsumerRuntime, Envelope, EventStore, Transport } from '@eventloom/core';
import { openSqliteStore } from '@eventloom/core/sqlite';
import { KeyedEffects } from '@eventloom/core/testing';

/**
 * The keyed-effects workload (see KeyedEffects) on Kafka: one group of consumer runtimes over a
 * SQLite store of its own, with how many handler runs each member made.
 */
export class EffectsWorkload {
  readonly store: EventStore;
  private readonly run: KeyedEffects;
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
    this.run = new KeyedEffects({ store: this.store, topic, keys, perKey, type: 'effect.requested' });
  }

  get messages(): readonly Envelope[] {
    return this.run.messages;
  }

  /** A consumer runtime as one member of the group. */
  async startConsumer(transport: Transport): Promise<ConsumerRuntime> {
    const member = this.consumers.length;
    this.handledBy[member] = 0;
    const consumer = await this.run.startConsumer({
      transport,
      group: this.group,
      subscription: {
        maxInFlight: 8,
        ackTimeoutMs: 10_000,
        retryBackoff: { initialMs: 5, maxMs: 200, multiplier: 2 },
      },
      onHandle: () => {
        this.handledBy[member] = (this.handledBy[member] ?? 0) + 1;
      },
    });
    this.consumers.push(consumer);
    return consumer;
  }

  /** Publishes every message in small paced batches, retrying a batch the broker did not take. */
  publish(transport: Transport, batchSize = 20, pauseMs = 30): Promise<void> {
    return this.run.publish(transport, { batchSize, retryMs: 100, pauseMs });
  }

  effects(): Promise<Map<string, readonly number[]>> {
    return this.run.effects();
  }

  appliedCount(): Promise<number> {
    return this.run.appliedCount();
  }

  waitForAll(timeoutMs: number): Promise<void> {
    return this.run.waitForAll(timeoutMs);
  }

  async close(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop(5_000)));
    await this.store.close();
    rmSync(this.folder, { recursive: true, force: true });
  }
}
