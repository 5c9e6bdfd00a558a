import type { ConnectionOptions } from 'node:tls';
import { type EngineTuning, InvalidInputError, positiveInteger } from '@eventloom/core';
import type { logCreator, logLevel, SASLOptions } from 'kafkajs';

/** Where and how to reach the cluster; passed through to kafkajs as given. */
export interface KafkaConnectionOptions {
  /** `host:port` of one or more bootstrap brokers. */
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** `true` for TLS with the system CAs, or node's TLS options (ca, cert, key, servername…). */
  readonly ssl?: boolean | ConnectionOptions;
  /** SASL/PLAIN or SCRAM-SHA-256/512: `{ mechanism: 'scram-sha-512', username, password }`. */
  readonly sasl?: SASLOptions;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** kafkajs' own logging; silent by default (failures reach `onError` or the caller). */
  readonly logLevel?: logLevel;
  readonly logCreator?: logCreator;
}

/** How topics are created: idempotently, through the admin client, before first use. */
export interface KafkaTopologyOptions {
  readonly partitions?: number;
  /** -1 takes the broker's `default.replication.factor`. */
  readonly replicationFactor?: number;
  /** Extra topic configs, e.g. `{ 'min.insync.replicas': '2', 'retention.ms': '604800000' }`. */
  readonly topicConfig?: Readonly<Record<string, string>>;
}

/** Group membership of each subscription's consumer. */
export interface KafkaConsumerOptions {
  /** The broker drops a member it has not heard from for this long (its partitions move on). */
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** How long the broker waits for every member to rejoin during a rebalance. */
  readonly rebalanceTimeoutMs?: number;
  /** Longest a fetch waits for new messages; also bounds how long leaving the group takes. */
  readonly fetchMaxWaitMs?: number;
  /** Messages fetched and not yet acked per partition before the partition is paused. */
  readonly maxUnackedPerPartition?: number;
  /** Partitions whose fetched batches are taken in at once. */
  readonly partitionsConsumedConcurrently?: number;
}

export interface KafkaTransportOptions extends KafkaConnectionOptions, EngineTuning {
  /** Time `publish` (topic creation included) and `consumerLag` have before they reject with a TransportTimeoutError. */
  readonly publishTimeoutMs?: number;
  /** Largest encoded envelope (headers + body) `publish` accepts; keep it under the broker's `message.max.bytes`. */
  readonly maxMessageBytes?: number;
  readonly topology?: KafkaTopologyOptions;
  readonly consumer?: KafkaConsumerOptions;
}

export type ResolvedKafkaOptions = KafkaTransportOptions & {
  readonly publishTimeoutMs: number;
  readonly maxMessageBytes: number;
  readonly topology: Required<KafkaTopologyOptions>;
  readonly consumer: Required<KafkaConsumerOptions>;
};

export const KAFKA_DEFAULTS = {
  publishTimeoutMs: 10_000,
  /** Under the broker's default `message.max.bytes` (1,048,588) with room for key and record overhead. */
  maxMessageBytes: 1_000_000,
  topology: { partitions: 3, replicationFactor: -1, topicConfig: {} },
  consumer: {
    sessionTimeoutMs: 30_000,
    heartbeatIntervalMs: 3_000,
    rebalanceTimeoutMs: 60_000,
    fetchMaxWaitMs: 200,
    maxUnackedPerPartition: 1_000,
    partitionsConsumedConcurrently: 16,
  },
} as const;

/** Fills in defaults and fails, naming the field, on anything the transport cannot run with. */
export function resolveKafkaOptions(options: KafkaTransportOptions): ResolvedKafkaOptions {
  if (!Array.isArray(options?.brokers) || options.brokers.length === 0) {
    throw new InvalidInputError('kafka.brokers', 'must list at least one host:port');
  }
  for (const [index, broker] of options.brokers.entries()) {
    if (typeof broker !== 'string' || !/^[^:\s]+:\d+$/.test(broker)) {
      throw new InvalidInputError(`kafka.brokers[${index}]`, `must be host:port, got ${String(broker)}`);
    }
  }
  const topology = { ...KAFKA_DEFAULTS.topology, ...options.topology };
  const consumer = { ...KAFKA_DEFAULTS.consumer, ...options.consumer };
  positiveInteger(topology.partitions, 'kafka.topology.partitions');
  if (topology.replicationFactor !== -1)
    positiveInteger(topology.replicationFactor, 'kafka.topology.replicationFactor');
  for (const [name, value] of Object.entries(consumer)) positiveInteger(value, `kafka.consumer.${name}`);
  if (consumer.heartbeatIntervalMs >= consumer.sessionTimeoutMs) {
    throw new InvalidInputError('kafka.consumer.heartbeatIntervalMs', 'must be below sessionTimeoutMs');
  }
  return {
    ...options,
    publishTimeoutMs: positiveInteger(
      options.publishTimeoutMs ?? KAFKA_DEFAULTS.publishTimeoutMs,
      'kafka.publishTimeoutMs',
    ),
    maxMessageBytes: positiveInteger(
      options.maxMessageBytes ?? KAFKA_DEFAULTS.maxMessageBytes,
      'kafka.maxMessageBytes',
    ),
    topology,
    consumer,
  };
}
