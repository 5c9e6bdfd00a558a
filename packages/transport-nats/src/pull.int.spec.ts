import { createEnvelope } from '@eventloom/core';
import { quietPeriod, waitFor } from '@eventloom/core/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { expect, it } from 'vitest';
import { partitionConsumerName, partitionOf } from './index.js';
import { closedAfterEach, describeNats, freshTransports } from './testing/nats.js';

describeNats('NATS pull consumer: credit and leases', () => {
  const nats = freshTransports();
  const transport = closedAfterEach(nats);

  it('hands handlers no more than maxInFlight, and holds at most one message per partition', async () => {
    const member = await transport();
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const group = 'pull.credit';
    await member.subscribe({ group, topics: ['pull.credit'], maxInFlight: 4 }, async () => {
      started += 1;
      await released;
    });
    const envelopes = Array.from({ length: 40 }, (_, n) =>
      createEnvelope({ type: 'pull.credit', data: { n }, partitionkey: `key-${n}` }),
    );
    await member.publish(envelopes.map((envelope) => ({ topic: 'pull.credit', envelope })));
    await waitFor(() => started === 4, { timeoutMs: 10_000 });
    await quietPeriod(300);
    const jsm = await jetstreamManager(member.connection);
    let unacked = 0;
    let waiting = 0;
    for (let partition = 0; partition < member.partitions; partition++) {
      const info = await jsm.consumers.info(member.streamName, partitionConsumerName(group, partition));
      expect(info.num_ack_pending).toBeLessThanOrEqual(1);
      unacked += info.num_ack_pending;
      waiting += info.num_pending;
    }
    const partitionsUsed = new Set(envelopes.map((envelope) => partitionOf(envelope.partitionkey, 16))).size;
    expect({ started, unacked, waiting }).toEqual({
      started: 4,
      unacked: partitionsUsed,
      waiting: 40 - partitionsUsed,
    });
    release();
    await waitFor(() => started === 40, { timeoutMs: 10_000 });
  });

  it('keeps a slow handler that extends its lease from being redelivered', async () => {
    const member = await transport();
    const attempts: number[] = [];
    await member.subscribe(
      { group: 'pull.extend', topics: ['pull.extend'], ackTimeoutMs: 1_000 },
      async (delivery) => {
        attempts.push(delivery.attempt);
        for (let waited = 0; waited < 2_500; waited += 250) {
          await quietPeriod(250);
          await delivery.extend();
        }
      },
    );
    const envelope = createEnvelope({ type: 'pull.extend', data: {} });
    await member.publish([{ topic: 'pull.extend', envelope }]);
    await waitFor(() => attempts.length > 0, { timeoutMs: 10_000 });
    await quietPeriod(4_000);
    expect(attempts).toEqual([1]);
  }, 30_000);
});
