import { EventloomError, TransportError, withTimeout } from '@eventloom/core';
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

/** `work` within `timeoutMs`; a kafkajs failure surfaces as a TransportError naming what was being done. */
export async function asTransportCall<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  try {
    return await withTimeout(work, timeoutMs, what);
  } catch (error) {
    if (error instanceof EventloomError) throw error;
    throw new TransportError(`${what} failed: ${(error as Error).message}`, { cause: error });
  }
}
