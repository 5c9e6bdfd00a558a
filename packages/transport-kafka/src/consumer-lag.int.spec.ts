import { isDeepStrictEqual } from 'node:util';
import {
  type ConsumerLagReading,
  createEnvelope,
  type DeliveryHandler,
  TransportError,
} from '@eventloom/core';
import { waitFor } from '@eventloom/core/testing';
import { Partitioners } from 'kafkajs';
import { afterEach, expect, it } from 'vitest';
import { describeKafka, testTransport, uniqueName } from './testing/kafka.js';
import type { KafkaTransport } from './transport.js';

const PARTITIONS = 3;

describeKafka('Kafka transport: consumer lag per partition', () => {
  const opened: KafkaTransport[] = [];
  const transport = () => {
    const created = testTransport({ topology: { partitions: PARTITIONS } });
    opened.push(created);
    return created;
  };

  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((created) => created.close()));
  });

  it('reads every partition from the offsets the group committed, for a transport that never subscribed it', async () => {
    const topic = uniqueName('lag-partitions');
    const group = uniqueName('lag-partitions-group');
    const consumer = transport();
    const monitor = transport();
    const handled = new Set<string>();
    const options = { group, topics: [topic], from: 'start' as const };
    const handler: DeliveryHandler = async ({ envelope }) => {
      handled.add(envelope.id);
    };

    const first = await consumer.subscribe(options, handler);
    await publishPerPartition(consumer, topic, [1, 1, 1]);
    await waitForReadings(monitor, group, readings(topic, [0, 0, 0]));
    await first.close();

    await publishPerPartition(consumer, topic, [2, 0, 3]);
    await waitForReadings(monitor, group, readings(topic, [2, 0, 3]));

    await consumer.subscribe(options, handler);
    await waitForReadings(monitor, group, readings(topic, [0, 0, 0]));
    expect(handled.size).toBe(8);
  }, 90_000);

  it('counts the retained log for a group this transport subscribed from the start that has not committed', async () => {
    const topic = uniqueName('lag-uncommitted');
    const group = uniqueName('lag-uncommitted-group');
    const subscriber = transport();
    const monitor = transport();
    await (await subscriber.subscribe({ group, topics: [topic], from: 'start' }, async () => {})).close();

    await publishPerPartition(subscriber, topic, [2, 0, 1]);
    await waitForReadings(subscriber, group, readings(topic, [2, 0, 1]));
    expect(await monitor.consumerLag(group)).toEqual([]);
  }, 90_000);

  it('fails with a TransportError within publishTimeoutMs when no broker answers', async () => {
    const unreachable = testTransport({
      brokers: ['127.0.0.1:1'],
      publishTimeoutMs: 2_000,
      connectionTimeoutMs: 300,
    });
    opened.push(unreachable);
    const started = Date.now();
    await expect(unreachable.consumerLag(uniqueName('lag-unreachable-group'))).rejects.toBeInstanceOf(
      TransportError,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

/** Publishes `counts[p]` messages keyed to land on partition `p`. */
async function publishPerPartition(
  transport: KafkaTransport,
  topic: string,
  counts: number[],
): Promise<void> {
  const batch = counts.flatMap((count, partition) =>
    Array.from({ length: count }, (_, n) => ({
      topic,
      envelope: createEnvelope({ type: 'lag.counted', data: { n }, partitionkey: keyOn(partition) }),
    })),
  );
  await transport.publish(batch);
}

function readings(topic: string, lags: number[]): ConsumerLagReading[] {
  return lags.map((lag, partition) => ({ topic, partition: String(partition), lag }));
}

async function waitForReadings(
  transport: KafkaTransport,
  group: string,
  expected: ConsumerLagReading[],
): Promise<void> {
  let last: readonly ConsumerLagReading[] = [];
  await waitFor(
    async () => {
      last = await transport.consumerLag(group);
      return isDeepStrictEqual(last, expected);
    },
    { timeoutMs: 30_000, intervalMs: 100 },
    () => `readings ${JSON.stringify(expected)}, last read ${JSON.stringify(last)}`,
  );
}

const partitioner = Partitioners.DefaultPartitioner();
const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
  partitionId,
  leader: 0,
  replicas: [0],
  isr: [0],
  partitionErrorCode: 0,
}));

/** A key the producer's default partitioner (murmur2, as Java's) sends to `partition`. */
function keyOn(partition: number): string {
  for (let n = 0; ; n++) {
    const key = `key-${n}`;
    if (partitioner({ topic: 'any', partitionMetadata, message: { key, value: null } }) === partition)
      return key;
  }
}
