import type { Envelope, Transport } from '@eventloom/core';
import { createKafkaTransport } from '@eventloom/transport-kafka';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { counter, withLatency } from './counting.js';
import { type ComparisonRow, compare, measure, printRows } from './measure.js';
import {
  eventloomConsume,
  KEYS,
  messages,
  PACED_RATE,
  PACED_SECONDS,
  paced,
  printLatencies,
  type Sent,
} from './transport-bench.js';

const MESSAGES = 20_000;
const BATCH = 100;
const PARTITIONS = 3;

const run = Date.now().toString(36);
const topicOf = (label: string) => `bench-${run}-${label}`;

/** Kafka transport beside raw kafkajs, same broker, topics, keys and batches. */
export async function benchKafka(): Promise<ComparisonRow[]> {
  const brokers = process.env.EVENTLOOM_KAFKA_BROKERS?.split(',');
  if (brokers === undefined || brokers.length === 0) {
    console.log(
      'Skipping the Kafka bench: EVENTLOOM_KAFKA_BROKERS is not set (bash scripts/services.sh up kafka).',
    );
    return [];
  }
  const kafka = new Kafka({ brokers, clientId: 'bench-raw', logLevel: logLevel.NOTHING });
  const transport = createKafkaTransport({
    brokers,
    clientId: 'bench-eventloom',
    topology: { partitions: PARTITIONS },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const rows = [
      await publishCase(transport, kafka, admin),
      await consumeCase(transport, kafka, admin),
      await latencyCase(transport, kafka, admin),
    ];
    printRows(
      `Kafka (1 broker, ${PARTITIONS} partitions, ${KEYS} keys, batches of ${BATCH}) — raw = kafkajs idempotent producer / eachBatch consumer`,
      rows,
    );
    printLatencies(rows);
    return rows;
  } finally {
    await transport.close();
    await admin.disconnect();
  }
}

/** The record a kafkajs user would write for the same event: key, JSON value, CloudEvents headers. */
function rawRecord(envelope: Envelope): Message {
  return {
    key: envelope.partitionkey,
    value: JSON.stringify(envelope.data),
    headers: {
      ce_specversion: '1.0',
      ce_id: envelope.id,
      ce_type: envelope.type,
      ce_source: envelope.source,
      ce_time: envelope.time,
      ce_partitionkey: envelope.partitionkey,
      ce_correlationid: envelope.correlationid,
    },
  };
}

async function createTopic(admin: ReturnType<Kafka['admin']>, topic: string): Promise<void> {
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] });
}

async function rawProducer(kafka: Kafka) {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  return producer;
}

async function publishCase(transport: Transport, kafka: Kafka, admin: ReturnType<Kafka['admin']>) {
  const [ours, theirs] = [topicOf('publish-eventloom'), topicOf('publish-raw')];
  await createTopic(admin, theirs);
  await transport.publish([{ topic: ours, envelope: messages(1, 'warmup')[0]! }]);
  const envelopes = messages(MESSAGES, 'publish');
  const producer = await rawProducer(kafka);
  const raw = await measure('raw publish', MESSAGES, async () => {
    for (let start = 0; start < MESSAGES; start += BATCH) {
      const batch = envelopes.slice(start, start + BATCH).map(rawRecord);
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic: theirs, messages: batch }] });
    }
  });
  await producer.disconnect();
  const eventloom = await measure('publish', MESSAGES, async () => {
    for (let start = 0; start < MESSAGES; start += BATCH) {
      await transport.publish(
        envelopes.slice(start, start + BATCH).map((envelope) => ({ topic: ours, envelope })),
      );
    }
  });
  return compare(`publish, batches of ${BATCH}, acks=all`, eventloom, raw);
}

/** Consumes `count` already-published messages; measured from the first delivery to the last. */
async function consumeCase(transport: Transport, kafka: Kafka, admin: ReturnType<Kafka['admin']>) {
  const [ours, theirs] = [topicOf('consume-eventloom'), topicOf('consume-raw')];
  await createTopic(admin, theirs);
  const envelopes = messages(MESSAGES, 'consume');
  const producer = await rawProducer(kafka);
  for (let start = 0; start < MESSAGES; start += BATCH) {
    const batch = envelopes.slice(start, start + BATCH);
    await producer.sendBatch({
      acks: -1,
      topicMessages: [{ topic: theirs, messages: batch.map(rawRecord) }],
    });
    await transport.publish(batch.map((envelope) => ({ topic: ours, envelope })));
  }
  await producer.disconnect();
  const raw = await rawConsume(kafka, theirs, MESSAGES, () => {});
  const eventloom = await eventloomConsume(transport, ours, MESSAGES, () => {});
  return compare(`end-to-end consume + commit, ${MESSAGES} messages`, eventloom, raw);
}

async function latencyCase(transport: Transport, kafka: Kafka, admin: ReturnType<Kafka['admin']>) {
  const [ours, theirs] = [topicOf('latency-eventloom'), topicOf('latency-raw')];
  await createTopic(admin, theirs);
  const total = PACED_RATE * PACED_SECONDS;
  const rawLatencies: number[] = [];
  const producer = await rawProducer(kafka);
  const rawConsuming = rawConsume(kafka, theirs, total, (sent) =>
    rawLatencies.push(performance.now() - sent.sentAt),
  );
  await paced(total, async (batch) => {
    await producer.sendBatch({
      acks: -1,
      topicMessages: [{ topic: theirs, messages: batch.map(rawRecord) }],
    });
  });
  const raw = withLatency(await rawConsuming, rawLatencies);
  await producer.disconnect();
  const ourLatencies: number[] = [];
  const consuming = eventloomConsume(transport, ours, total, (sent) =>
    ourLatencies.push(performance.now() - sent.sentAt),
  );
  await paced(total, (batch) => transport.publish(batch.map((envelope) => ({ topic: ours, envelope }))));
  const eventloom = withLatency(await consuming, ourLatencies);
  return compare(`publish → handler latency at ${PACED_RATE} msg/s`, eventloom, raw);
}

async function rawConsume(kafka: Kafka, topic: string, count: number, onMessage: (sent: Sent) => void) {
  const consumer = kafka.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const done = counter(count);
  await consumer.run({
    partitionsConsumedConcurrently: 16,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      for (const message of batch.messages) {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
        );
        if (headers.ce_id === undefined) throw new Error('not a CloudEvent');
        onMessage(JSON.parse(message.value?.toString() ?? '{}') as Sent);
        resolveOffset(message.offset);
        done.tick();
      }
      await heartbeat();
    },
  });
  const measured = await done.measured('raw consume');
  await consumer.disconnect();
  return measured;
}
