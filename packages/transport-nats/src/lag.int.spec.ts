import { createEnvelope, TransportError, totalLag } from '@eventloom/core';
import { jetstream } from '@nats-io/jetstream';
import { expect, it } from 'vitest';
import { partitionConsumerName, partitionOf } from './index.js';
import { closedAfterEach, describeNats, freshTransports, quiet } from './testing/nats.js';
import { startNatsServer } from './testing/server.js';

const REQUEST_TIMEOUT_MS = 1_000;

describeNats('NATS consumer lag', () => {
  const nats = freshTransports();
  const transport = closedAfterEach(nats);

  it('is one reading on the stream, summed over the partitions, and counts a redelivered message once', async () => {
    const lagging = await transport();
    const group = 'lag.redelivered';
    const topic = 'lag.redelivered';
    // The group's partition consumers, made by a member that leaves at once, so only this test pulls.
    await (await lagging.subscribe({ group, topics: [topic] }, async () => {})).close();
    const keys = ['a', 'b', 'c'];
    expect(new Set(keys.map((key) => partitionOf(key, lagging.partitions))).size).toBe(3);
    const envelopes = keys.map((partitionkey, n) =>
      createEnvelope({ type: topic, data: { n }, partitionkey }),
    );
    await lagging.publish(envelopes.map((envelope) => ({ topic, envelope })));
    expect(await lagging.consumerLag(group)).toEqual([{ topic: lagging.streamName, lag: 3 }]);

    // Key a's message: delivered, given back, delivered again, still unacked.
    const name = partitionConsumerName(group, partitionOf('a', lagging.partitions));
    const consumer = await jetstream(lagging.connection).consumers.get(lagging.streamName, name);
    for await (const message of await consumer.fetch({ max_messages: 1, expires: 5_000 })) message.nak();
    const redelivered = [];
    for await (const message of await consumer.fetch({ max_messages: 1, expires: 5_000 })) {
      redelivered.push(message);
    }
    expect(redelivered.map((message) => message.info.deliveryCount)).toEqual([2]);
    expect(totalLag(await lagging.consumerLag(group))).toBe(3);

    await Promise.all(redelivered.map((message) => message.ackAck()));
    expect(totalLag(await lagging.consumerLag(group))).toBe(2);
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
