import { createEnvelope, TransportError, totalLag } from '@eventloom/core';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { expect, it } from 'vitest';
import { natsName } from './index.js';
import { closedAfterEach, describeNats, freshTransports, quiet } from './testing/nats.js';
import { startNatsServer } from './testing/server.js';

const REQUEST_TIMEOUT_MS = 1_000;

describeNats('NATS consumer lag', () => {
  const nats = freshTransports();
  const transport = closedAfterEach(nats);

  it('is one reading on the stream, and counts a redelivered message once', async () => {
    const lagging = await transport();
    const group = 'lag.redelivered';
    const topic = 'lag.redelivered';
    // The group's consumer, made here so that only this test pulls from it.
    const jsm = await jetstreamManager(lagging.connection);
    await jsm.consumers.add(lagging.streamName, {
      durable_name: natsName(group),
      ack_policy: AckPolicy.Explicit,
      filter_subject: nats.subjects.subjectOf(topic),
    });
    const envelopes = [1, 2, 3].map((n) => createEnvelope({ type: topic, data: { n } }));
    await lagging.publish(envelopes.map((envelope) => ({ topic, envelope })));
    expect(await lagging.consumerLag(group)).toEqual([{ topic: lagging.streamName, lag: 3 }]);

    // Delivered, given back, delivered again, still unacked.
    const consumer = await jetstream(lagging.connection).consumers.get(lagging.streamName, natsName(group));
    for await (const message of await consumer.fetch({ max_messages: 3, expires: 5_000 })) message.nak();
    const redelivered = [];
    for await (const message of await consumer.fetch({ max_messages: 3, expires: 5_000 })) {
      redelivered.push(message);
    }
    expect(redelivered.map((message) => message.info.deliveryCount)).toEqual([2, 2, 2]);
    expect(totalLag(await lagging.consumerLag(group))).toBe(3);

    await Promise.all(redelivered.map((message) => message.ackAck()));
    expect(totalLag(await lagging.consumerLag(group))).toBe(0);
  });

  it('has no readings for a group the server does not know', async () => {
    expect(await (await transport()).consumerLag('lag.never-subscribed')).toEqual([]);
  });

  it('fails with a TransportError within the request timeout once the server no longer answers', async () => {
    const server = await startNatsServer();
    const orphaned = await transport({
      servers: server.url,
      publishTimeoutMs: REQUEST_TIMEOUT_MS,
      onError: quiet,
    });
    await server.stop();
    const started = Date.now();
    await expect(orphaned.consumerLag('lag.orphaned')).rejects.toBeInstanceOf(TransportError);
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS * 1.5 + 2_000);
  });
});
