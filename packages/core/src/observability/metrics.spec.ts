import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../consumer/handler.js';
import { ConsumerRuntime } from '../consumer/runtime.js';
import { createEnvelope } from '../envelope/create.js';
import { createMemoryStore } from '../store/memory/index.js';
import { waitFor } from '../testing/wait.js';
import { createMemoryTransport } from '../transport/memory/index.js';
import { type Observability, observability } from './observability.js';
import {
  createTestTelemetry,
  type MetricPoint,
  metricTotal,
  type TestTelemetry,
} from './testing/telemetry.js';
import { runTracedScenario, tracedScenarioDomain } from './testing/traced-scenario.js';

describe('metrics', () => {
  let telemetry: TestTelemetry;
  let obs: Observability;

  beforeEach(async () => {
    telemetry = await createTestTelemetry();
    obs = await observability({ meterProvider: telemetry.meterProvider, tracing: false });
  });

  afterEach(async () => {
    obs.close();
    await telemetry.close();
  });

  it('count what the scenario published, consumed and executed, and the saga instances by status', async () => {
    const store = createMemoryStore();
    obs.watch({ sagas: { store, sagas: tracedScenarioDomain.sagas } });
    const before = await telemetry.collect();
    expect(metricTotal(before, 'eventloom.saga.instances', { 'eventloom.saga.name': 'fulfilment' })).toBe(0);
    await runTracedScenario({ store, transport: createMemoryTransport(), hooks: obs, orders: 3 });
    const points = await telemetry.collect();
    const total = (name: string, attributes = {}) => metricTotal(points, name, attributes);
    for (const topic of ['order.placed', 'shipping.ship-order', 'shipment.dispatched']) {
      expect(total('eventloom.messages.published', { 'messaging.destination.name': topic })).toBe(3);
    }
    expect(total('eventloom.messages.published', { 'messaging.system': 'memory' })).toBe(9);
    expect(total('eventloom.messages.consumed', { 'eventloom.consumer': 'saga.fulfilment' })).toBe(6);
    expect(total('eventloom.messages.consumed', { 'eventloom.consumer': 'shipping' })).toBe(3);
    expect(total('eventloom.handler.duration')).toBe(9);
    expect(total('eventloom.message.latency')).toBe(9);
    expect(
      total('eventloom.commands', { 'eventloom.decider': 'order', 'eventloom.outcome': 'accepted' }),
    ).toBe(3);
    expect(
      total('eventloom.commands', { 'eventloom.decider': 'shipment', 'eventloom.outcome': 'accepted' }),
    ).toBe(3);
    expect(total('eventloom.command.duration')).toBe(6);
    expect(total('eventloom.saga.transitions', { 'eventloom.saga.name': 'fulfilment' })).toBe(6);
    expect(total('eventloom.saga.instances', { 'eventloom.saga.status': 'completed' })).toBe(3);
    expect(total('eventloom.saga.instances', { 'eventloom.saga.status': 'running' })).toBe(0);
    expect(total('eventloom.saga.instances')).toBe(3);
    expect(total('eventloom.messages.failed')).toBe(0);
    expect(total('eventloom.relay.publish.duration')).toBeGreaterThan(0);
  });

  it('count failed deliveries, dead letters and the duplicates the inbox dropped', async () => {
    const store = createMemoryStore();
    const transport = createMemoryTransport();
    const consumer = new ConsumerRuntime({
      store,
      transport,
      group: 'metrics',
      handlers: [
        handler({
          consumer: 'broken',
          types: ['job.broken'],
          handle: () => Promise.reject(new Error('always')),
        }),
        handler({ consumer: 'fine', types: ['job.fine'], handle: async () => {} }),
      ],
      subscription: { maxDeliveries: 2, retryBackoff: { initialMs: 1, maxMs: 2, multiplier: 2 } },
      ...obs.consumer,
    });
    await consumer.start();
    const broken = createEnvelope({ type: 'job.broken', data: null });
    const fine = createEnvelope({ type: 'job.fine', data: null });
    await transport.publish([{ topic: broken.type, envelope: broken }]);
    await transport.publish([{ topic: fine.type, envelope: fine }]);
    await transport.publish([{ topic: fine.type, envelope: fine }]);
    let points: MetricPoint[] = [];
    await waitFor(
      async () => {
        points = await telemetry.collect();
        return (
          metricTotal(points, 'eventloom.messages.dead_lettered') === 1 &&
          metricTotal(points, 'eventloom.inbox.duplicates') === 1
        );
      },
      { timeoutMs: 10_000 },
    );
    await consumer.stop();
    expect(metricTotal(points, 'eventloom.messages.failed', { 'eventloom.message.type': 'job.broken' })).toBe(
      2,
    );
    expect(
      metricTotal(points, 'eventloom.messages.dead_lettered', {
        'messaging.destination.name': 'job.broken',
        'messaging.consumer.group.name': 'metrics',
      }),
    ).toBe(1);
    expect(metricTotal(points, 'eventloom.inbox.duplicates', { 'eventloom.consumer': 'fine' })).toBe(1);
    expect(metricTotal(points, 'eventloom.messages.consumed', { 'eventloom.consumer': 'fine' })).toBe(1);
  });

  it('observe the outbox backlog and the age of its oldest row, and consumer lag where the transport tells it', async () => {
    const store = createMemoryStore();
    const messages = [1, 2].map((n) => createEnvelope({ type: 'job.waiting', data: n }));
    await store.transaction((uow) => uow.enqueue(messages));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const transport = createMemoryTransport();
    const subscribe = () =>
      transport.subscribe({ group: 'lagging', topics: ['job.waiting'] }, async () => {});
    await (await subscribe()).close();
    await transport.publish(messages.map((envelope) => ({ topic: envelope.type, envelope })));
    const stop = obs.watch({ outbox: store, transport, group: 'lagging' });
    const points = await telemetry.collect();
    expect(metricTotal(points, 'eventloom.outbox.backlog')).toBe(2);
    expect(metricTotal(points, 'eventloom.outbox.oldest_age')).toBeGreaterThanOrEqual(0.015);
    const lag = { 'messaging.consumer.group.name': 'lagging', 'messaging.destination.name': 'job.waiting' };
    expect(metricTotal(points, 'eventloom.consumer.lag', lag)).toBe(2);
    const consuming = await subscribe();
    await waitFor(async () => metricTotal(await telemetry.collect(), 'eventloom.consumer.lag', lag) === 0, {
      timeoutMs: 10_000,
    });
    await consuming.close();
    const unreachable = Object.assign(createMemoryTransport(), {
      consumerLag: () => Promise.reject(new Error('broker not answering')),
    });
    const stopUnreachable = obs.watch({ transport: unreachable, group: 'unanswered' });
    const despiteFailure = await telemetry.collect();
    stopUnreachable();
    expect(metricTotal(despiteFailure, 'eventloom.outbox.backlog')).toBe(2);
    expect(
      metricTotal(despiteFailure, 'eventloom.consumer.lag', {
        'messaging.consumer.group.name': 'unanswered',
      }),
    ).toBe(0);
    let reads = 0;
    const backlog = store.outboxBacklog.bind(store);
    store.outboxBacklog = () => {
      reads += 1;
      return backlog();
    };
    await telemetry.collect();
    stop();
    await telemetry.collect();
    expect(reads).toBe(1);
  });
});
