import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';
import { InvalidInputError, TransportError } from '../errors.js';
import type { EventStore } from '../store/contract.js';
import { createMemoryStore } from '../store/memory/index.js';
import { gate, ManualClock } from '../testing/store-conformance-fixtures.js';
import { waitFor } from '../testing/wait.js';
import type { OutgoingMessage, Subscription, Transport } from '../transport/contract.js';
import { OutboxRelay } from './relay.js';

/** Records what the relay publishes; fails the next `failures` publishes after the broker "accepted" them. */
class RecordingTransport implements Transport {
  readonly kind = 'recording';
  readonly capabilities = { replayFromStart: true, perKeyOrder: true, maxMessageBytes: 1 << 20 };
  readonly published: OutgoingMessage[] = [];
  batches = 0;
  failures = 0;

  async publish(batch: readonly OutgoingMessage[]): Promise<void> {
    this.batches += 1;
    this.published.push(...batch);
    if (this.failures > 0) {
      this.failures -= 1;
      throw new TransportError('accepted, but the answer was lost');
    }
  }
  async subscribe(): Promise<Subscription> {
    throw new Error('not used');
  }
  async close(): Promise<void> {}

  /** Ids in first-publish order, without the copies a retry sent again. */
  firstSeen(): string[] {
    return [...new Set(this.published.map((message) => message.envelope.id))];
  }
}

const message = (n: number, key = 'k'): Envelope =>
  createEnvelope({
    type: 'thing.done',
    data: { n },
    id: `m-${String(n).padStart(4, '0')}`,
    partitionkey: key,
  });

async function enqueue(store: EventStore, ...messages: Envelope[]): Promise<void> {
  await store.transaction((uow) => uow.enqueue(messages));
}

const fast = { pollIntervalMs: 20, retryBackoff: { initialMs: 1, maxMs: 5, multiplier: 2 } } as const;

describe('OutboxRelay', () => {
  it('publishes committed rows in commit order, with topics from the naming strategy, and marks them dispatched', async () => {
    const store = createMemoryStore();
    const transport = new RecordingTransport();
    for (let n = 1; n <= 30; n++) await enqueue(store, message(n, `k${n % 3}`));
    const relay = new OutboxRelay(store, {
      ...fast,
      transport,
      batchSize: 7,
      topicNaming: (e) => `t.${e.type}`,
    });
    relay.start();
    await waitFor(async () => (await store.outboxBacklog()).pending === 0, { timeoutMs: 5_000 });
    await relay.stop();
    expect(transport.published.map((m) => m.envelope.id)).toEqual(
      Array.from({ length: 30 }, (_, i) => message(i + 1).id),
    );
    expect(new Set(transport.published.map((m) => m.topic))).toEqual(new Set(['t.thing.done']));
    expect(transport.batches).toBe(5);
  });

  it('wakes on an in-process commit instead of waiting for the poll', async () => {
    const store = createMemoryStore();
    const transport = new RecordingTransport();
    const relay = new OutboxRelay(store, { ...fast, transport, pollIntervalMs: 60_000 });
    relay.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await enqueue(store, message(1));
    await waitFor(() => transport.published.length === 1, { timeoutMs: 2_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
    await relay.stop();
  });

  it('retries a failed publish with backoff and publishes again from the same row: nothing skipped, nothing reordered', async () => {
    const store = createMemoryStore();
    const transport = new RecordingTransport();
    transport.failures = 3;
    const failures: number[] = [];
    for (let n = 1; n <= 10; n++) await enqueue(store, message(n));
    const relay = new OutboxRelay(store, {
      ...fast,
      transport,
      batchSize: 4,
      observer: { failed: (_e, attempt) => failures.push(attempt) },
    });
    relay.start();
    await waitFor(async () => (await store.outboxBacklog()).pending === 0, { timeoutMs: 5_000 });
    await relay.stop();
    expect(failures).toEqual([1, 2, 3]);
    expect(transport.firstSeen()).toEqual(Array.from({ length: 10 }, (_, i) => message(i + 1).id));
    const ids = transport.published.map((m) => m.envelope.id);
    expect(ids.slice(0, 4)).toEqual(ids.slice(4, 8));
  });

  it('one relay per lease is active; when the holder dies, another takes over after the lease expires', async () => {
    const store = createMemoryStore();
    const transport = new RecordingTransport();
    expect(await store.acquireLease('eventloom.outbox-relay', 'crashed-relay', 300)).toBe(true);
    await enqueue(store, message(1));
    const leases: boolean[] = [];
    const relay = new OutboxRelay(store, {
      ...fast,
      transport,
      leaseTtlMs: 300,
      observer: { leaseChanged: (held) => leases.push(held) },
    });
    relay.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(transport.published).toEqual([]);
    await waitFor(() => transport.published.length === 1, { timeoutMs: 3_000 });
    expect(leases).toEqual([true]);
    const standby = new OutboxRelay(store, { ...fast, transport, leaseTtlMs: 300 });
    standby.start();
    await enqueue(store, message(2));
    await waitFor(async () => (await store.outboxBacklog()).pending === 0, { timeoutMs: 3_000 });
    await standby.stop();
    await relay.stop();
    expect(transport.published.map((m) => m.envelope.id)).toEqual([message(1).id, message(2).id]);
  });

  it('releases scheduled messages when due, never a cancelled one, and each once', async () => {
    const clock = new ManualClock();
    const store = createMemoryStore({ clock: clock.now });
    const transport = new RecordingTransport();
    await store.transaction(async (uow) => {
      await uow.schedule({ id: 'soon', dueAt: clock.at(1_000), envelope: message(1) });
      await uow.schedule({ id: 'cancelled', dueAt: clock.at(1_000), envelope: message(2) });
      await uow.schedule({ id: 'later', dueAt: clock.at(60_000), envelope: message(3) });
    });
    await store.transaction((uow) => uow.cancelScheduled('cancelled'));
    const relay = new OutboxRelay(store, { ...fast, transport, clock: clock.now });
    relay.start();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(transport.published).toEqual([]);
    clock.advance(1_000);
    await waitFor(() => transport.published.length === 1, { timeoutMs: 2_000 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await relay.stop();
    expect(transport.published.map((m) => m.envelope.id)).toEqual([message(1).id]);
    expect(await store.nextDueAt()).toEqual(clock.at(59_000));
  });

  it('purges dispatched rows after the retention, in bounded batches', async () => {
    const clock = new ManualClock();
    const store = createMemoryStore({ clock: clock.now });
    const transport = new RecordingTransport();
    for (let n = 1; n <= 25; n++) await enqueue(store, message(n));
    const purged: number[] = [];
    const options = {
      ...fast,
      transport,
      clock: clock.now,
      retentionMs: 10_000,
      purgeIntervalMs: 1,
      purgeBatchSize: 10,
    };
    const relay = new OutboxRelay(store, { ...options, observer: { purged: (count) => purged.push(count) } });
    relay.start();
    await waitFor(async () => (await store.outboxBacklog()).pending === 0, { timeoutMs: 2_000 });
    expect(purged).toEqual([]);
    clock.advance(10_001);
    await enqueue(store, message(26));
    await waitFor(() => purged.reduce((a, b) => a + b, 0) >= 25, { timeoutMs: 2_000 });
    await relay.stop();
    expect(await store.purgeDispatched(clock.now(), 100)).toBeLessThanOrEqual(1);
  });

  it('stop() publishes what is pending before it returns', async () => {
    const store = createMemoryStore();
    const transport = new RecordingTransport();
    for (let n = 1; n <= 5; n++) await enqueue(store, message(n));
    const relay = new OutboxRelay(store, { ...fast, transport, pollIntervalMs: 60_000, batchSize: 2 });
    relay.start();
    await relay.stop();
    expect((await store.outboxBacklog()).pending).toBe(0);
    expect(transport.firstSeen()).toHaveLength(5);
  });

  it('a transaction that commits after a later one is not skipped', async () => {
    const store = createMemoryStore();
    const transport = new RecordingTransport();
    const relay = new OutboxRelay(store, { ...fast, transport, pollIntervalMs: 5 });
    relay.start();
    const enqueued = gate();
    const release = gate();
    const slow = store.transaction(async (uow) => {
      await uow.enqueue([message(1, 'slow')]);
      enqueued.open();
      await release.opened;
    });
    await enqueued.opened;
    const quick = enqueue(store, message(2, 'quick'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    release.open();
    await Promise.all([slow, quick]);
    await waitFor(async () => (await store.outboxBacklog()).pending === 0, { timeoutMs: 2_000 });
    await relay.stop();
    expect(transport.firstSeen().sort()).toEqual([message(1).id, message(2).id]);
  });

  it('names the invalid field at construction', () => {
    const transport = new RecordingTransport();
    const store = createMemoryStore();
    expect(() => new OutboxRelay(store, { transport, batchSize: 0 })).toThrow(InvalidInputError);
    expect(() => new OutboxRelay(store, { transport, batchSize: 0 })).toThrow('relay.batchSize');
    expect(() => new OutboxRelay(store, { transport, leaseTtlMs: -1 })).toThrow('relay.leaseTtlMs');
    expect(
      () => new OutboxRelay(store, { transport, retryBackoff: { initialMs: 5, maxMs: 1, multiplier: 2 } }),
    ).toThrow('relay.retryBackoff.maxMs');
    expect(() => new OutboxRelay(store, { transport: {} as Transport })).toThrow('relay.transport');
  });
});
