import { describeTracedTransport } from '@eventloom/core/testing';
import { describeKafka, testTransport, uniqueName } from './testing/kafka.js';

describeKafka('observability over Kafka', () => {
  describeTracedTransport('Kafka', {
    create: async () => testTransport(),
    system: 'kafka',
    prefix: `${uniqueName('traced')}.`,
    subscription: { from: 'start' },
  });
});
