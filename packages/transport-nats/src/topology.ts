import type { ResolvedSubscribeOptions } from '@eventloom/core';
import { InvalidInputError } from '@eventloom/core';
import type {
  ConsumerConfig,
  ConsumerInfo,
  JetStreamManager,
  StreamConfig,
  StreamInfo,
} from '@nats-io/jetstream';
import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { hasApiCode } from './errors.js';
import type { SubjectNaming } from './names.js';
import { partitionConsumerName } from './names.js';
import type { ResolvedNatsOptions } from './options.js';

const STREAM_NAME_IN_USE = 10058;
const CONSUMER_ALREADY_EXISTS = 10148;
/** Stream metadata recording how many partitions its subjects are spread over. */
export const PARTITIONS_METADATA = 'eventloom_partitions';

/** One stream holds every subject of the transport's prefix: `<prefix>.>`. */
export function streamConfig(options: ResolvedNatsOptions, naming: SubjectNaming): Partial<StreamConfig> {
  const { stream } = options;
  return {
    name: stream.name,
    subjects: [naming.wildcard],
    retention: stream.retention === 'interest' ? RetentionPolicy.Interest : RetentionPolicy.Limits,
    storage: stream.storage === 'memory' ? StorageType.Memory : StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(stream.maxAgeMs),
    max_bytes: stream.maxBytes,
    num_replicas: stream.replicas,
    duplicate_window: nanos(stream.duplicateWindowMs),
    metadata: { [PARTITIONS_METADATA]: String(stream.partitions) },
  };
}

/** Creates the stream, or brings an existing one to this configuration; idempotent. */
export async function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig>,
): Promise<StreamInfo> {
  const name = config.name as string;
  try {
    return await jsm.streams.add({ ...config, name });
  } catch (error) {
    if (!hasApiCode(error, STREAM_NAME_IN_USE)) throw error;
    const existing = (await jsm.streams.info(name)).config.metadata?.[PARTITIONS_METADATA];
    const wanted = config.metadata?.[PARTITIONS_METADATA];
    if (existing !== undefined && existing !== wanted) {
      throw new InvalidInputError(
        'nats.stream.partitions',
        `the stream '${name}' spreads its subjects over ${existing} partitions, not ${wanted}: every transport on a stream must use the same count`,
      );
    }
    return jsm.streams.update(name, config);
  }
}

/**
 * The durable pull consumer of one partition of a group, shared by its members: it has one
 * message out at a time (the server hands out the next only once that one is acked, or comes
 * back, first), so messages of one key are never handled by two members at once nor out of order.
 * Explicit acks, ack wait = the ack timeout, and one delivery more than `maxDeliveries` so the
 * engine sees the message once over the limit and dead-letters it (the server would otherwise
 * just stop delivering it).
 */
export function consumerConfig(
  subscribe: ResolvedSubscribeOptions,
  options: ResolvedNatsOptions,
  naming: SubjectNaming,
  partition: number,
): Partial<ConsumerConfig> & { durable_name: string } {
  const backoff = options.consumer.redeliveryBackoffMs;
  return {
    durable_name: partitionConsumerName(subscribe.group, partition),
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(subscribe.ackTimeoutMs),
    max_deliver: subscribe.maxDeliveries + 1,
    max_ack_pending: 1,
    deliver_policy: subscribe.from === 'start' ? DeliverPolicy.All : DeliverPolicy.New,
    filter_subjects: subscribe.topics.map((topic) => naming.subjectOf(topic, partition)),
    ...(backoff === undefined ? {} : { backoff: backoff.map((ms) => nanos(ms)) }),
  };
}

/** The names of a group's partition consumers, partition 0 first. */
export function partitionConsumers(group: string, partitions: number): string[] {
  return Array.from({ length: partitions }, (_, partition) => partitionConsumerName(group, partition));
}

/**
 * Creates the consumer, or updates an existing one (members joining with other topics or
 * timeouts); where a group that exists starts from is fixed at creation.
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
): Promise<ConsumerInfo> {
  try {
    return await jsm.consumers.add(stream, config);
  } catch (error) {
    if (!hasApiCode(error, CONSUMER_ALREADY_EXISTS)) throw error;
    const { deliver_policy: _fixedAtCreation, ...changeable } = config;
    return jsm.consumers.update(stream, config.durable_name, changeable);
  }
}
