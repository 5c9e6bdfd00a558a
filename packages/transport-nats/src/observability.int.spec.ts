import { createEnvelope, createMemoryStore, observability } from '@eventloom/core';
import {
  ancestry,
  createTestTelemetry,
  metricTotal,
  runTracedScenario,
  TRACED_SCENARIO_CHAIN,
  tracedScenarioDomain,
  waitFor,
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
      const store = createMemoryStore();
      obs.watch({ sagas: { store, sagas: tracedScenarioDomain.sagas } });
      await runTracedScenario({ store, transport, hooks: obs, orders: 2 });
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

  it('the consumer lag gauge rises with messages no member takes, and falls to 0 once they are consumed', async () => {
    const telemetry = await createTestTelemetry();
    const obs = await observability(telemetry);
    const transport = await nats.create();
    const group = 'lag-watched';
    const topic = 'lag.watched';
    obs.watch({ transport, group });
    const lag = async () =>
      metricTotal(await telemetry.collect(), 'eventloom.consumer.lag', {
        'messaging.consumer.group.name': group,
        'messaging.destination.name': transport.streamName,
      });
    try {
      const options = { group, topics: [topic], from: 'start' as const };
      await (await transport.subscribe(options, async () => {})).close();
      const envelopes = [1, 2, 3, 4].map((n) => createEnvelope({ type: topic, data: { n } }));
      await transport.publish(envelopes.map((envelope) => ({ topic, envelope })));
      await waitFor(async () => (await lag()) === envelopes.length, { timeoutMs: 10_000 });

      const consumed = new Set<string>();
      await transport.subscribe(options, async (delivery) => {
        consumed.add(delivery.envelope.id);
      });
      await waitFor(() => consumed.size === envelopes.length, { timeoutMs: 10_000 });
      await waitFor(async () => (await lag()) === 0, { timeoutMs: 10_000 });
    } finally {
      obs.close();
      await transport.close();
      await telemetry.close();
    }
  });
});
