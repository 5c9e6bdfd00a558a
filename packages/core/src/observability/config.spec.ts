import { describe, expect, it } from 'vitest';
import { createEventloom } from '../config/create.js';
import type { Observability } from '../observability/observability.js';
import { createMemoryStore } from '../store/memory/index.js';
import { createMemoryTransport } from '../transport/memory/index.js';
import type { LogFields, Logger } from './logging/logger.js';
import { observability } from './observability.js';
import { ancestry, createTestTelemetry, metricTotal } from './testing/telemetry.js';
import {
  placeOrder,
  TRACED_SCENARIO_CHAIN,
  tracedScenarioDomain,
  waitForCompletion,
} from './testing/traced-scenario.js';

const recordingLogger = (messages: string[]): Logger => {
  const write = (_fields: LogFields, message?: string) => messages.push(message ?? '');
  const logger: Logger = { debug: write, info: write, warn: write, error: write, child: () => logger };
  return logger;
};

describe('createEventloom({ observability })', () => {
  it('traces, measures and logs the app it wires', async () => {
    const telemetry = await createTestTelemetry();
    const messages: string[] = [];
    const obs = await observability({ ...telemetry, logger: recordingLogger(messages) });
    const store = createMemoryStore();
    const app = await createEventloom({
      ...tracedScenarioDomain,
      store,
      transport: createMemoryTransport(),
      relay: { pollIntervalMs: 20 },
      observability: obs,
    });
    await app.start();
    await app.execute(...placeOrder('order-1'));
    await waitForCompletion(store, ['order-1']);
    const points = await telemetry.collect();
    await app.stop();
    const spans = telemetry.spans();
    const completed = spans.find((span) => span.attributes['eventloom.saga.status'] === 'completed')!;
    expect(ancestry(spans, completed)).toEqual(TRACED_SCENARIO_CHAIN);
    expect(metricTotal(points, 'eventloom.messages.consumed', { 'eventloom.consumer': 'shipping' })).toBe(1);
    expect(points.some((point) => point.name === 'eventloom.outbox.backlog')).toBe(true);
    const fulfilment = { 'eventloom.saga.name': 'fulfilment', 'eventloom.saga.status': 'completed' };
    expect(metricTotal(points, 'eventloom.saga.instances', fulfilment)).toBe(1);
    expect(points.some((point) => point.name === 'eventloom.consumer.lag')).toBe(true);
    expect(messages).toContain('saga transition');
    obs.close();
    await telemetry.close();
  });

  it('names the option when it was not made by observability()', async () => {
    const fake = { executor: {} } as unknown as Observability;
    await expect(createEventloom({ store: 'memory:', observability: fake })).rejects.toThrow('observability');
  });
});
