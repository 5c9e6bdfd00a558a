import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { TransportHarness } from '@eventloom/core/testing';
import { toAttributes } from '../binding.js';
import { contentId } from '../fifo.js';
import { TopologyNames } from '../names.js';
import type { SqsTransportOptions } from '../options.js';
import { resolveSqsOptions } from '../options.js';
import type { SqsTransport } from '../transport.js';
import { createSqsTransport } from '../transport.js';
import { oneReceiveAtATime } from './one-receive-at-a-time.js';

/** Where the SNS/SQS server under test answers: moto from `scripts/services.sh`, or any endpoint. */
export interface MotoEnv {
  readonly region: string;
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Nothing listens on the discard port of loopback. */
const UNREACHABLE = 'http://127.0.0.1:9';

const MISSING =
  'EVENTLOOM_SQS_ENDPOINT is not set: run `bash scripts/services.sh up moto` and `set -a; . .services/env; set +a`';

/**
 * The endpoint from the environment. Without one, integration tests are skipped with a message,
 * except under CI, where a missing server fails the run.
 */
export function motoEnv(): MotoEnv | undefined {
  const endpoint = process.env.EVENTLOOM_SQS_ENDPOINT;
  if (endpoint === undefined || endpoint.length === 0) {
    if (process.env.CI) throw new Error(`SNS/SQS integration tests cannot run: ${MISSING}`);
    console.warn(`Skipping SNS/SQS integration tests: ${MISSING}`);
    return undefined;
  }
  return {
    endpoint,
    region: process.env.EVENTLOOM_AWS_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId: process.env.EVENTLOOM_AWS_ACCESS_KEY_ID ?? 'test',
      secretAccessKey: process.env.EVENTLOOM_AWS_SECRET_ACCESS_KEY ?? 'test',
    },
  };
}

/** A name prefix no earlier run used, so leftovers of other runs on the same server never meet this one. */
export function runPrefix(label: string): string {
  return `${label}${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}-`;
}

let sharedSqs: SQSClient | undefined;

/** One SQS client for every test transport of this process, its receives taking turns per queue. */
export function testSqsClient(env: MotoEnv): SQSClient {
  sharedSqs ??= oneReceiveAtATime(
    new SQSClient({
      region: env.region,
      endpoint: env.endpoint,
      credentials: env.credentials,
      maxAttempts: 3,
    }),
  );
  return sharedSqs;
}

export function transportOptions(
  env: MotoEnv,
  options: Partial<SqsTransportOptions> = {},
): SqsTransportOptions {
  return {
    region: env.region,
    endpoint: env.endpoint,
    ...(process.env.EVENTLOOM_SNS_ENDPOINT ? { snsEndpoint: process.env.EVENTLOOM_SNS_ENDPOINT } : {}),
    credentials: env.credentials,
    clients: { sqs: testSqsClient(env) },
    waitTimeSeconds: 1,
    // moto slows down as queues grow; a call abandoned early would only be retried on top of it.
    callTimeoutMs: 60_000,
    publishTimeoutMs: 60_000,
    onError: () => {},
    ...options,
  };
}

/** The conformance harness for one mode (standard or FIFO) on one server. */
export function sqsHarness(env: MotoEnv, fifo: boolean): TransportHarness {
  const namePrefix = runPrefix(fifo ? 'cf' : 'cs');
  const options = transportOptions(env, { namePrefix, fifo });
  const sns = new SNSClient({
    region: env.region,
    endpoint: options.snsEndpoint ?? env.endpoint,
    credentials: env.credentials,
  });
  const names = new TopologyNames(resolveSqsOptions(options));
  let sequence = 0;
  return {
    create: async () => createSqsTransport(options),
    injectRaw: async (topic, { headers, body }) => {
      const created = await sns.send(
        new CreateTopicCommand({
          Name: names.snsTopic(topic),
          ...(fifo ? { Attributes: { FifoTopic: 'true' } } : {}),
        }),
      );
      const id = contentId(topic, headers, body);
      await sns.send(
        new PublishCommand({
          TopicArn: created.TopicArn,
          Message: Buffer.from(body).toString('utf8'),
          MessageAttributes: toAttributes(topic, headers),
          ...(fifo ? { MessageGroupId: id, MessageDeduplicationId: id } : {}),
        }),
      );
    },
    headerPrefix: 'ce-',
    unreachable: async () => ({
      transport: createSqsTransport({
        ...options,
        endpoint: UNREACHABLE,
        snsEndpoint: UNREACHABLE,
        clients: {},
        publishTimeoutMs: 2_000,
      }),
      publishTimeoutMs: 2_000,
    }),
    uniqueTopic: (label) => `${label}-${++sequence}`,
    shortAckTimeoutMs: 1_000,
    timeoutScale: 2,
    // moto's cost per message grows with queue depth: hundreds of messages, not thousands.
    volume: 0.2,
  };
}

export type { SqsTransport };
