import { describeTransportConformance } from '@eventloom/core/testing';
import { describe } from 'vitest';
import { motoEnv, sqsHarness } from './testing/moto.js';

const env = motoEnv();

describe.skipIf(env === undefined)('SNS/SQS, standard queues', () => {
  if (env !== undefined) describeTransportConformance('SNS/SQS standard', sqsHarness(env, false));
});
