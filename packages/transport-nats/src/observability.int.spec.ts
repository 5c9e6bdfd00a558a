import { createMemoryStore, observability } from '@eventloom/core';
import {
  ancestry,
  createTestTelemetry,
  metricTotal,
  runTracedScenario,
  TRACED_SCENARIO_CHAIN,
} from '@eventloom/core/testing';
import { expect, it } from 'vitest';
import { describeNats, freshTransports } from './testing/nats.js';

describeNats('observability over NATS JetStream', () => {
  const nats = freshTransports();

  it('one trace per order spans command → relay → JetStream → consumer → saga → next command, and the metrics move', async () => {
    const telemetry = await createTestTelemetry();
    const obs = await observability(telemetry);
    const transport = await nats.create();
    try {
      await runTracedScenario({ store: createMemoryStore(), transport, hooks: obs, orders: 2 });
      const spans = telemetry.spans();
      const completions = spans.filter((span) => span.attributes['eventloom.saga.status'] === 'completed');
      expect(completions).toHaveLength(2);
      for (const completed of completions) {
        expect(ancestry(spans, completed)).toEqual(TRACED_SCENARIO_CHAIN);
      }
      expect(new Set(completions.map((span) => span.traceId)).size).toBe(2);
      const process = spans.find((span) => span.name === 'process shipping.ship-order');
      expect(process?.attributes).toMatchObject({
        'messaging.system': 'nats',
        'messaging.destination.name': 'shipping.ship-order',
        'messaging.consumer.group.name': 'scenario',
      });
      const points = await telemetry.collect();
      expect(metricTotal(points, 'eventloom.messages.published', { 'messaging.system': 'nats' })).toBe(6);
      expect(metricTotal(points, 'eventloom.messages.consumed')).toBe(6);
      expect(metricTotal(points, 'eventloom.saga.instances', { 'eventloom.saga.status': 'completed' })).toBe(
        2,
      );
    } finally {
      obs.close();
      await transport.close();
      await telemetry.close();
    }
  });
});
