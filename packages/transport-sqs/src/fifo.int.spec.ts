import { describeTransportConformance } from '@eventloom/core/testing';
import { describe } from 'vitest';
import { motoEnv, sqsHarness } from './testing/moto.js';

const env = motoEnv();

describe.skipIf(env === undefined)('SNS/SQS, FIFO queues (per-key order at the broker)', () => {
  if (env !== undefined) describeTransportConformance('SNS/SQS FIFO', sqsHarness(env, true));
});
