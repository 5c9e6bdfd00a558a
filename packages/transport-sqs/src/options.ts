import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient, SQSClientConfig } from '@aws-sdk/client-sqs';
import type { EngineTuning } from '@eventloom/core';
import { InvalidInputError } from '@eventloom/core';

/** How Eventloom topics map onto SNS topics. */
export type TopicLayout =
  /** One SNS topic per Eventloom topic (per event type under the default topic naming). */
  | 'topic-per-type'
  /**
   * One SNS topic per bounded context (see `contextOf`); each queue's subscription carries a filter
   * policy on the `eventType` attribute listing the Eventloom topics its group reads.
   */
  | 'topic-per-context';

export interface SqsTransportOptions extends EngineTuning {
  readonly region: string;
  /** SQS endpoint (and SNS's, unless `snsEndpoint` is given); the AWS default when absent. */
  readonly endpoint?: string;
  readonly snsEndpoint?: string;
  /** Passed to both SDK clients; the SDK's default provider chain when absent. */
  readonly credentials?: SQSClientConfig['credentials'];
  /** FIFO topics and queues: per-key order at the broker (`MessageGroupId` = partition key). */
  readonly fifo?: boolean;
  readonly layout?: TopicLayout;
  /** The bounded context of a topic, for `topic-per-context`: the text before its first `.` by default. */
  readonly contextOf?: (topic: string) => string;
  /** Starts every topic and queue name; the queue policy lets topics with this prefix send. */
  readonly namePrefix?: string;
  /** Long-poll wait of one receive; bounds how long `close()` waits for a poll in flight. */
  readonly waitTimeSeconds?: number;
  /** A publish that the broker has not accepted within this time rejects with a TransportTimeoutError. */
  readonly publishTimeoutMs?: number;
  /** Deadline of every other SDK call (topology, delete, visibility changes), beside a receive's wait. */
  readonly callTimeoutMs?: number;
  /** SDK attempts per call (1 = no SDK retries), kept low so an unreachable endpoint fails fast. */
  readonly maxAttempts?: number;
  /** How long a queue keeps a message nobody consumed (SQS allows 60 s to 14 days). */
  readonly retentionSeconds?: number;
  /** PublishBatch calls in flight at once for one `publish` (standard mode). */
  readonly publishConcurrency?: number;
  /**
   * SDK clients to use as they are (own middleware, shared connection pools) instead of clients
   * built from region, endpoints and credentials; `close()` leaves them open.
   */
  readonly clients?: { readonly sns?: SNSClient; readonly sqs?: SQSClient };
}

type Passed =
  | 'endpoint'
  | 'snsEndpoint'
  | 'credentials'
  | 'clients'
  | 'onError'
  | 'random'
  | 'closeTimeoutMs';

export type ResolvedSqsOptions = Required<Omit<SqsTransportOptions, Passed>> &
  Pick<SqsTransportOptions, Passed>;

export const SQS_DEFAULTS = {
  fifo: false,
  layout: 'topic-per-type',
  namePrefix: 'eventloom-',
  waitTimeSeconds: 5,
  publishTimeoutMs: 10_000,
  callTimeoutMs: 10_000,
  maxAttempts: 3,
  retentionSeconds: 14 * 24 * 3600,
  publishConcurrency: 8,
} as const;

export const MAX_NAME_PREFIX_LENGTH = 40;

export const contextBeforeFirstDot = (topic: string): string => topic.split('.')[0] || topic;

/** Fills in defaults and fails, naming the field, on anything the transport cannot run with. */
export function resolveSqsOptions(options: SqsTransportOptions): ResolvedSqsOptions {
  const field = (name: string) => `sqsTransport.${name}`;
  if (typeof options?.region !== 'string' || options.region.length === 0) {
    throw new InvalidInputError(field('region'), 'must be a non-empty string');
  }
  const namePrefix = options.namePrefix ?? SQS_DEFAULTS.namePrefix;
  if (!/^[A-Za-z0-9_-]*$/.test(namePrefix) || namePrefix.length > MAX_NAME_PREFIX_LENGTH) {
    throw new InvalidInputError(
      field('namePrefix'),
      `must be at most ${MAX_NAME_PREFIX_LENGTH} letters, digits, '-' or '_', got '${namePrefix}'`,
    );
  }
  const layout = options.layout ?? SQS_DEFAULTS.layout;
  if (layout !== 'topic-per-type' && layout !== 'topic-per-context') {
    throw new InvalidInputError(field('layout'), `must be 'topic-per-type' or 'topic-per-context'`);
  }
  const integer = (name: keyof typeof SQS_DEFAULTS, min: number, max: number) => {
    const value = (options[name] as number | undefined) ?? (SQS_DEFAULTS[name] as number);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidInputError(field(name), `must be an integer from ${min} to ${max}, got ${value}`);
    }
    return value;
  };
  return {
    ...options,
    fifo: options.fifo ?? SQS_DEFAULTS.fifo,
    layout,
    contextOf: options.contextOf ?? contextBeforeFirstDot,
    namePrefix,
    waitTimeSeconds: integer('waitTimeSeconds', 1, 20),
    publishTimeoutMs: integer('publishTimeoutMs', 1, 3_600_000),
    callTimeoutMs: integer('callTimeoutMs', 1, 3_600_000),
    maxAttempts: integer('maxAttempts', 1, 20),
    retentionSeconds: integer('retentionSeconds', 60, 1_209_600),
    publishConcurrency: integer('publishConcurrency', 1, 1_000),
  };
}
