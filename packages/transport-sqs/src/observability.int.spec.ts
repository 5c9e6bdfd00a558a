import { describeTracedTransport } from '@eventloom/core/testing';
import { describe } from 'vitest';
import { motoEnv, runPrefix, transportOptions } from './testing/moto.js';
import { createSqsTransport } from './transport.js';

const env = motoEnv();

describe.skipIf(env === undefined)('observability over SNS/SQS', () => {
  if (env === undefined) return;
  describeTracedTransport('SNS/SQS', {
    create: async () => createSqsTransport(transportOptions(env, { namePrefix: runPrefix('ob') })),
    system: 'sqs',
    prefix: '',
  });
});
