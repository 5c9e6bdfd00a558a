import { createEnvelope, observability } from '@eventloom/core';
import { createTestTelemetry, describeTracedTransport, metricTotal, waitFor } from '@eventloom/core/testing';
import { it } from 'vitest';
import { describeNats, freshTransports } from './testing/nats.js';

describeNats('observability over NATS JetStream', () => {
  const nats = freshTransports();

  describeTracedTransport('NATS JetStream', { create: () => nats.create(), system: 'nats', prefix: '' });

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
