import { GetQueueUrlCommand, QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import type { ConsumerLagReading, Envelope } from '@eventloom/core';
import { createEnvelope } from '@eventloom/core';
import { waitFor } from '@eventloom/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { motoEnv, runPrefix, transportOptions } from './testing/moto.js';
import type { SqsTransport } from './transport.js';
import { createSqsTransport } from './transport.js';

const env = motoEnv();
const TOPIC = 'invoices.sent';
/** Far beyond the test: the member keeps the nacked message parked, in flight, until it closes. */
const NACK_DELAY_MS = 120_000;

describe.skipIf(env === undefined)('SNS/SQS consumer lag on the server', () => {
  if (env === undefined) return;
  const opened: SqsTransport[] = [];
  const sqs = new SQSClient({ region: env.region, endpoint: env.endpoint, credentials: env.credentials });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((transport) => transport.close()));
  });

  for (const fifo of [false, true]) {
    it(`${fifo ? 'FIFO' : 'standard'}: one reading names the group's queue and counts a message nacked with a delay`, async () => {
      const transport = createSqsTransport(transportOptions(env, { namePrefix: runPrefix('lag'), fifo }));
      opened.push(transport);
      const group = 'billing.lag-check';
      const sent = [anInvoice('key-1'), anInvoice('key-2'), anInvoice('key-3')];
      const [postponed] = sent as [Envelope, ...Envelope[]];
      const handled = new Set<string>();
      const subscription = await transport.subscribe({ group, topics: [TOPIC] }, async (delivery) => {
        if (delivery.envelope.id === postponed.id) await delivery.nack(NACK_DELAY_MS, 'later');
        handled.add(delivery.envelope.id);
      });
      await transport.publish(sent.map((envelope) => ({ topic: TOPIC, envelope })));
      await waitFor(
        () => handled.size === sent.length,
        { timeoutMs: 30_000 },
        () => `${sent.length} handled, got ${handled.size}`,
      );
      const expected = [{ topic: transport.names.queue(group), lag: 1 }];
      const parked = await waitForLag(transport, group, expected);
      expect(parked[0]?.topic.endsWith('.fifo')).toBe(fifo);
      // Closing gives the parked message back to the queue: visible again, still unconsumed.
      await subscription.close();
      await waitForLag(transport, group, expected);
    });
  }

  it('a group without a queue has no readings, and reading does not create its queue', async () => {
    const transport = createSqsTransport(transportOptions(env, { namePrefix: runPrefix('lag') }));
    opened.push(transport);
    const group = 'never-subscribed';
    expect(await transport.consumerLag(group)).toEqual([]);
    await expect(
      sqs.send(new GetQueueUrlCommand({ QueueName: transport.names.queue(group) })),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
  });
});

async function waitForLag(
  transport: SqsTransport,
  group: string,
  expected: readonly ConsumerLagReading[],
): Promise<readonly ConsumerLagReading[]> {
  let readings: readonly ConsumerLagReading[] = [];
  await waitFor(
    async () => {
      readings = await transport.consumerLag(group);
      return JSON.stringify(readings) === JSON.stringify(expected);
    },
    { timeoutMs: 30_000, intervalMs: 100 },
    () => `${JSON.stringify(expected)}, last read ${JSON.stringify(readings)}`,
  );
  return readings;
}

function anInvoice(partitionkey: string): Envelope {
  return createEnvelope({ type: TOPIC, data: { partitionkey }, partitionkey });
}
