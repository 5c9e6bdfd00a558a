import { describeTransportConformance } from '@eventloom/core/testing';
import { afterAll } from 'vitest';
import { KAFKA_HEADER_PREFIX } from './binding.js';
import { describeKafka, rawProducer, restartBroker, testTransport, uniqueName } from './testing/kafka.js';

describeKafka('Kafka transport', () => {
  const raw = rawProducer();
  afterAll(() => raw.close());

  describeTransportConformance('kafka', {
    create: async () => testTransport(),
    injectRaw: (topic, { headers, body }) => raw.send(topic, headers, body),
    headerPrefix: KAFKA_HEADER_PREFIX,
    unreachable: async () => ({
      transport: testTransport({
        brokers: ['127.0.0.1:1'],
        publishTimeoutMs: 2_000,
        connectionTimeoutMs: 300,
      }),
      publishTimeoutMs: 2_000,
    }),
    restartBroker,
    uniqueTopic: uniqueName,
    shortAckTimeoutMs: 2_000,
  });
});
