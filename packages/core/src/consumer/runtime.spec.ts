import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { decider } from '../domain/decider.js';
import { rejection } from '../domain/rejection.js';
import { createEnvelope } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';
import { InvalidInputError } from '../errors.js';
import type { EventStore } from '../store/contract.js';
import { createMemoryStore } from '../store/memory/index.js';
import { gate } from '../testing/store-conformance-fixtures.js';
import { waitFor } from '../testing/wait.js';
import { createMemoryTransport, type MemoryTransport } from '../transport/memory/index.js';
import { handler } from './handler.js';
import { type ConsumerOptions, ConsumerRuntime } from './runtime.js';

const fastSubscription = {
  ackTimeoutMs: 2_000,
  maxDeliveries: 5,
  retryBackoff: { initialMs: 1, maxMs: 10, multiplier: 2 },
};

const order = (id: string, n = 1): Envelope =>
  createEnvelope({ type: 'order.placed', data: { n }, id, subject: 'order-1', partitionkey: 'order-1' });

const ledger = decider<
  { type: 'record'; n: number },
  { type: 'ledger.recorded'; data: { n: number } },
  { total: number }
>({
  name: 'ledger',
  eventTypes: { 'ledger.recorded': true },
  initialState: () => ({ total: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.n }),
  decide: (c) =>
    c.n > 0 ? E.right([{ type: 'ledger.recorded', data: { n: c.n } }]) : E.left(rejection('not-positive')),
});

const running: ConsumerRuntime[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((runtime) => runtime.stop()));
});

async function startConsumer(
  options: Partial<ConsumerOptions> & Pick<ConsumerOptions, 'store' | 'transport' | 'handlers'>,
) {
  const runtime = new ConsumerRuntime({
    group: 'orders',
    subscription: fastSubscription,
    inbox: false,
    ...options,
  });
  running.push(runtime);
  await runtime.start();
  return runtime;
}

const publish = (transport: MemoryTransport, ...messages: Envelope[]) =>
  transport.publish(messages.map((envelope) => ({ topic: envelope.type, envelope })));

async function documentValue(store: EventStore, collection: string, id: string) {
  return store.transaction(async (uow) => (await uow.documents(collection).get(id))?.value);
}

const counting = handler({
  consumer: 'order-counter',
  types: ['order.placed'],
  async handle(message, { uow }) {
    const counts = uow.documents<number>('order-counts');
    const current = (await counts.get(message.subject ?? '?'))?.value ?? 0;
    await counts.put(message.subject ?? '?', current + 1);
  },
});

describe('ConsumerRuntime', () => {
  it('commits the inbox claim and the effects, then acks: a message is handled once, and a redelivered copy is dropped', async () => {
    const store = createMemoryStore();
    const transport = createMemoryTransport();
    const duplicates: string[] = [];
    await startConsumer({
      store,
      transport,
      handlers: [counting],
      observer: { duplicate: (m) => duplicates.push(m.id) },
    });
    await publish(transport, order('m-1'), order('m-1'), order('m-2'));
    // m-2 follows the copy of m-1 on the same key: wait for both before judging.
    await waitFor(
      async () => duplicates.length === 1 && (await documentValue(store, 'order-counts', 'order-1')) === 2,
      {
        timeoutMs: 5_000,
      },
    );
    expect(await documentValue(store, 'order-counts', 'order-1')).toBe(2);
    expect(duplicates).toEqual(['m-1']);
  });

  it('a handler that fails after writing leaves nothing behind, and the retry applies its effects once', async () => {
    const store = createMemoryStore();
    const transport = createMemoryTransport();
    const attempts: number[] = [];
    const flaky = handler({
      consumer: 'flaky',
      types: ['order.placed'],
      async handle(message, context) {
        attempts.push(context.attempt);
        await counting.handle(message, context);
        await context.send({ type: 'order.noted', data: {}, partitionkey: 'order-1' });
        await context.execute(ledger, 'l-1', { type: 'record', n: 5 });
        if (context.attempt === 1) throw new Error('failed after writing');
      },
    });
    await startConsumer({ store, transport, handlers: [flaky] });
    await publish(transport, order('m-1'));
    await waitFor(async () => (await documentValue(store, 'order-counts', 'order-1')) !== undefined, {
      timeoutMs: 5_000,
    });
    expect(attempts).toEqual([1, 2]);
    expect(await documentValue(store, 'order-counts', 'order-1')).toBe(1);
    expect(await store.readStream('ledger-l-1')).toHaveLength(1);
    expect((await store.outboxBacklog()).pending).toBe(2);
  });

  it('carries the correlation id and the causation of each consumed message into everything its handler produces', async () => {
    const store = createMemoryStore();
    const transport = createMemoryTransport();
    const producing = handler({
      consumer: 'producer',
      types: ['order.placed'],
      async handle(_message, context) {
        await context.send({ type: 'order.noted', data: {} });
        await context.execute(ledger, 'l-1', { type: 'record', n: 1 });
        await context.schedule({ message: { type: 'order.reminder', data: {} }, afterMs: 0 });
      },
    });
    await startConsumer({ store, transport, handlers: [producing] });
    const placed = createEnvelope(
      { type: 'order.placed', data: {}, id: 'cause-1', partitionkey: 'order-1' },
      {
        correlationid: 'conversation-7',
        causationid: 'earlier',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
    );
    await publish(transport, placed);
    await waitFor(async () => (await store.outboxBacklog()).pending === 2, { timeoutMs: 5_000 });
    await store.releaseDue(new Date(Date.now() + 1_000), 10);
    const produced = [
      ...(await store.pendingOutbox(10)).map((row) => row.envelope),
      ...(await store.readAll()),
    ];
    expect(produced.map((e) => e.type).sort()).toEqual([
      'ledger.recorded',
      'ledger.recorded',
      'order.noted',
      'order.reminder',
    ]);
    for (const envelope of produced) {
      expect(envelope.correlationid).toBe('conversation-7');
      expect(envelope.causationid).toBe('cause-1');
      expect(envelope.traceparent).toBe(placed.traceparent);
    }
  });

  it('stop() lets a handler in progress commit and be acked, and takes nothing new', async () => {
    const store = createMemoryStore();
    const transport = createMemoryTransport();
    const entered = gate();
    const release = gate();
    const slow = handler({
      consumer: 'slow',
      types: ['order.placed'],
      async handle(message, context) {
        entered.open();
        await release.opened;
        await counting.handle(message, context);
      },
    });
    const runtime = await startConsumer({ store, transport, handlers: [slow] });
    await publish(transport, order('m-1'));
    await entered.opened;
    const stopping = runtime.stop();
    release.open();
    await stopping;
    expect(await documentValue(store, 'order-counts', 'order-1')).toBe(1);
    const handledAgain: string[] = [];
    const next = await startConsumer({
      store,
      transport,
      handlers: [counting],
      observer: { duplicate: (m) => handledAgain.push(m.id) },
    });
    await publish(transport, order('m-2'));
    await waitFor(async () => (await documentValue(store, 'order-counts', 'order-1')) === 2, {
      timeoutMs: 5_000,
    });
    await next.stop();
    expect(handledAgain).toEqual([]);
  });

  it('a handler still running at the stop timeout is aborted: it rolls back, is not acked, and comes back to the next member', async () => {
    const store = createMemoryStore();
    const transport = createMemoryTransport();
    const entered = gate();
    const stubborn = handler({
      consumer: 'order-counter',
      types: ['order.placed'],
      async handle(_message, context) {
        entered.open();
        await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
        await context.uow.documents('order-counts').put('order-1', 100);
        throw new Error('gave up');
      },
    });
    const runtime = await startConsumer({ store, transport, handlers: [stubborn], stopTimeoutMs: 50 });
    await publish(transport, order('m-1'));
    await entered.opened;
    await runtime.stop();
    expect(await documentValue(store, 'order-counts', 'order-1')).toBeUndefined();
    await startConsumer({ store, transport, handlers: [counting] });
    await waitFor(async () => (await documentValue(store, 'order-counts', 'order-1')) === 1, {
      timeoutMs: 5_000,
    });
  });

  it('names the invalid field at construction', () => {
    const store = createMemoryStore();
    const transport = createMemoryTransport();
    const base = { store, transport, group: 'g', handlers: [counting] };
    expect(() => new ConsumerRuntime({ ...base, handlers: [counting, counting] })).toThrow(
      'handlers[1].consumer',
    );
    expect(() => new ConsumerRuntime({ ...base, group: '' })).toThrow('subscribe.group');
    expect(() => new ConsumerRuntime({ ...base, stopTimeoutMs: 0 })).toThrow('stopTimeoutMs');
    expect(
      () =>
        new ConsumerRuntime({
          ...base,
          subscription: { ackTimeoutMs: 60_000, maxDeliveries: 10 },
          inbox: { retentionMs: 60_000 },
        }),
    ).toThrow(InvalidInputError);
    expect(() => new ConsumerRuntime({ ...base, inbox: { retentionMs: 60_000 } })).toThrow(
      'inbox.retentionMs',
    );
  });
});
