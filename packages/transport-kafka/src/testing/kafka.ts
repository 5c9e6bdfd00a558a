import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createEnvelope, type ErrorReporter } from '@eventloom/core';
import { Kafka, logLevel } from 'kafkajs';
import { describe } from 'vitest';
import type { KafkaTransportOptions } from '../options.js';
import { createKafkaTransport, type KafkaTransport } from '../transport.js';

/** The broker the integration tests use: `scripts/services.sh up kafka` writes it to .services/env. */
export const kafkaBrokers = resolveBrokers();

function resolveBrokers(): string[] | undefined {
  const brokers = process.env.EVENTLOOM_KAFKA_BROKERS;
  if (brokers !== undefined && brokers.length > 0) return brokers.split(',');
  const hint = 'run `bash scripts/services.sh up kafka` and `set -a; . .services/env; set +a`';
  if (process.env.CI)
    throw new Error(`EVENTLOOM_KAFKA_BROKERS is not set, and CI must run the Kafka tests: ${hint}`);
  console.warn(`Skipping the Kafka tests: EVENTLOOM_KAFKA_BROKERS is not set (${hint}).`);
  return undefined;
}

/** `describe` when a broker is configured, `describe.skip` otherwise. */
export const describeKafka = kafkaBrokers === undefined ? describe.skip : describe;

export const quiet: ErrorReporter = () => {};

/** Group timings short enough for tests; the broker's smallest session timeout is 6 s by default. */
export const TEST_CONSUMER = {
  sessionTimeoutMs: 6_000,
  heartbeatIntervalMs: 300,
  rebalanceTimeoutMs: 10_000,
  fetchMaxWaitMs: 100,
} as const;

export function testTransport(options: Partial<KafkaTransportOptions> = {}): KafkaTransport {
  return createKafkaTransport({
    brokers: kafkaBrokers ?? [],
    clientId: 'eventloom-test',
    onError: quiet,
    publishTimeoutMs: 30_000,
    ...options,
    consumer: { ...TEST_CONSUMER, ...options.consumer },
  });
}

const run = Date.now().toString(36);
let names = 0;

/** A topic (or group) name no earlier test or run has used. */
export function uniqueName(label: string): string {
  return `el-${run}-${label}-${++names}`;
}

/** A plain kafkajs producer, to put bytes on a topic that did not go through the binding. */
export function rawProducer() {
  const producer = new Kafka({
    brokers: kafkaBrokers ?? [],
    clientId: 'eventloom-raw',
    logLevel: logLevel.NOTHING,
  }).producer();
  let connected: Promise<void> | undefined;
  return {
    async send(topic: string, headers: Readonly<Record<string, string>>, body: Uint8Array): Promise<void> {
      connected ??= producer.connect();
      await connected;
      await producer.send({
        topic,
        acks: -1,
        messages: [{ value: Buffer.from(body), headers: { ...headers } }],
      });
    },
    close: () => producer.disconnect(),
  };
}

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Restarts the broker with the project's script, keeping its data; resolves once it serves a new
 * topic's metadata again (a restarted KRaft broker answers seconds before it does).
 */
export async function restartBroker(): Promise<void> {
  await promisify(execFile)('bash', ['scripts/services.sh', 'restart', 'kafka'], {
    cwd: repositoryRoot,
    timeout: 180_000,
  });
  const probe = testTransport();
  try {
    await probe.publish([
      { topic: uniqueName('after-restart'), envelope: createEnvelope({ type: 'probe', data: {} }) },
    ]);
  } finally {
    await probe.close();
  }
}
