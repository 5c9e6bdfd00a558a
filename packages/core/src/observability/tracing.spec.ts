import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../consumer/handler.js';
import { MessageProcessor } from '../consumer/process.js';
import { createEnvelope } from '../envelope/create.js';
import { createMemoryStore } from '../store/memory/index.js';
import { createMemoryTransport } from '../transport/memory/index.js';
import { type Observability, observability } from './observability.js';
import { ancestry, createTestTelemetry, type RecordedSpan, type TestTelemetry } from './testing/telemetry.js';
import { runTracedScenario, TRACED_SCENARIO_CHAIN } from './testing/traced-scenario.js';

const PRODUCER = 3;
const CONSUMER = 4;

describe('tracing on the memory transport', () => {
  let telemetry: TestTelemetry;
  let obs: Observability;

  beforeEach(async () => {
    telemetry = await createTestTelemetry();
    obs = await observability({ tracerProvider: telemetry.tracerProvider, metrics: false });
  });

  afterEach(async () => {
    obs.close();
    await telemetry.close();
  });

  it('one trace links the command to every downstream effect: relay, transport, consumer, saga, next command', async () => {
    const store = createMemoryStore();
    await runTracedScenario({ store, transport: createMemoryTransport(), hooks: obs });
    const spans = telemetry.spans();
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
    const completed = spans.find((span) => span.attributes['eventloom.saga.status'] === 'completed')!;
    expect(ancestry(spans, completed)).toEqual(TRACED_SCENARIO_CHAIN);
    const names = spans.map((span) => span.name);
    for (const topic of ['order.placed', 'shipping.ship-order', 'shipment.dispatched']) {
      expect(names).toContain(`publish ${topic}`);
    }
    expect(names.filter((name) => name === 'append')).toHaveLength(2);
  });

  it('each envelope carries the traceparent of the span it was created in', async () => {
    const store = createMemoryStore();
    await runTracedScenario({ store, transport: createMemoryTransport(), hooks: obs });
    const spans = telemetry.spans();
    const [placed, dispatched] = await store.readAll();
    expect(placed?.traceparent).toBe(traceparentOf(named(spans, 'execute order')));
    expect(dispatched?.traceparent).toBe(traceparentOf(named(spans, 'execute shipment')));
    const shipOrder = named(spans, 'process shipping.ship-order');
    expect(shipOrder.parentSpanId).toBe(named(spans, 'handle saga.fulfilment').spanId);
  });

  it('follows the messaging conventions on producer and consumer spans', async () => {
    await runTracedScenario({ store: createMemoryStore(), transport: createMemoryTransport(), hooks: obs });
    const spans = telemetry.spans();
    const publish = named(spans, 'publish order.placed');
    expect(publish.kind).toBe(PRODUCER);
    expect(publish.parentSpanId).toBe(named(spans, 'execute order').spanId);
    expect(publish.attributes).toMatchObject({
      'messaging.system': 'memory',
      'messaging.destination.name': 'order.placed',
      'messaging.operation.type': 'publish',
      'messaging.message.id': expect.any(String),
      'messaging.message.conversation_id': expect.any(String),
    });
    const process = named(spans, 'process order.placed');
    expect(process.kind).toBe(CONSUMER);
    expect(process.attributes).toMatchObject({
      'messaging.system': 'memory',
      'messaging.destination.name': 'order.placed',
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': 'scenario',
      'messaging.message.id': publish.attributes['messaging.message.id'],
      'eventloom.delivery.attempt': 1,
    });
    expect(named(spans, 'execute order').attributes).toMatchObject({
      'eventloom.decider': 'order',
      'eventloom.stream.id': 'order-order-1',
      'eventloom.command.type': 'place',
      'eventloom.outcome': 'accepted',
    });
  });

  it('messages a handler sends and schedules carry the traceparent of its span', async () => {
    const store = createMemoryStore();
    const sender = handler({
      consumer: 'sender',
      types: ['job.started'],
      handle: async (_message, context) => {
        await context.send({ type: 'job.sent', data: null });
        await context.schedule({ message: { type: 'job.later', data: null }, afterMs: 0 });
      },
    });
    const processor = new MessageProcessor({ store, handlers: [sender], ...obs.consumer });
    await processor.process(createEnvelope({ type: 'job.started', data: null }));
    await store.releaseDue(new Date(Date.now() + 1_000), 10);
    const handle = named(telemetry.spans(), 'handle sender');
    const outbox = await store.pendingOutbox(10);
    expect(outbox.map((row) => [row.envelope.type, row.envelope.traceparent])).toEqual([
      ['job.sent', traceparentOf(handle)],
      ['job.later', traceparentOf(handle)],
    ]);
  });

  it('each order is a trace of its own', async () => {
    await runTracedScenario({
      store: createMemoryStore(),
      transport: createMemoryTransport(),
      hooks: obs,
      orders: 3,
    });
    const spans = telemetry.spans();
    const roots = spans.filter((span) => span.parentSpanId === undefined);
    expect(roots.map((span) => span.name)).toEqual(['execute order', 'execute order', 'execute order']);
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(3);
  });
});

describe('tracing switched off', () => {
  it('without an SDK behind the API, nothing is recorded and envelopes carry no traceparent', async () => {
    const obs = await observability();
    const store = createMemoryStore();
    try {
      await runTracedScenario({ store, transport: createMemoryTransport(), hooks: obs });
    } finally {
      obs.close();
    }
    expect((await store.readAll()).map((event) => event.traceparent)).toEqual([undefined, undefined]);
  });

  it('after close(), new envelopes keep their cause’s trace context again', async () => {
    const telemetry = await createTestTelemetry();
    const obs = await observability({ tracerProvider: telemetry.tracerProvider, metrics: false });
    obs.close();
    const store = createMemoryStore();
    await runTracedScenario({ store, transport: createMemoryTransport(), hooks: obs });
    const spans = telemetry.spans();
    await telemetry.close();
    expect((await store.readAll()).map((event) => event.traceparent)).toEqual([undefined, undefined]);
    expect(spans.length).toBeGreaterThan(0);
  });
});

function named(spans: readonly RecordedSpan[], name: string): RecordedSpan {
  const span = spans.find((candidate) => candidate.name === name);
  if (span === undefined) throw new Error(`no span '${name}' among ${spans.map((s) => s.name).join(', ')}`);
  return span;
}

function traceparentOf(span: RecordedSpan): string {
  return `00-${span.traceId}-${span.spanId}-01`;
}
