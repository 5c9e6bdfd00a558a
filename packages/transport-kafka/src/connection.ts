import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import type { KafkaConnectionOptions } from './options.js';

/** Retries of kafkajs' own requests; every caller bounds the total with its own timeout. */
const CLIENT_RETRY = { initialRetryTime: 100, maxRetryTime: 2_000, retries: 8 } as const;

/** One kafkajs client for the transport's producer, admin and consumers. */
export function connect(options: KafkaConnectionOptions): Kafka {
  const config: KafkaConfig = {
    brokers: [...options.brokers],
    clientId: options.clientId ?? 'eventloom',
    retry: CLIENT_RETRY,
    logLevel: options.logLevel ?? logLevel.NOTHING,
  };
  if (options.ssl !== undefined) config.ssl = options.ssl;
  if (options.sasl !== undefined) config.sasl = options.sasl;
  if (options.connectionTimeoutMs !== undefined) config.connectionTimeout = options.connectionTimeoutMs;
  if (options.requestTimeoutMs !== undefined) config.requestTimeout = options.requestTimeoutMs;
  if (options.logCreator !== undefined) config.logCreator = options.logCreator;
  return new Kafka(config);
}
