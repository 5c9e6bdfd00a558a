import { InvalidInputError, integerAtLeast, positiveInteger } from '@eventloom/core';
import { natsName, validatePrefix } from './names.js';
import type {
  NatsConsumerOptions,
  NatsReconnectOptions,
  NatsStreamOptions,
  NatsTransportOptions,
  ResolvedNatsOptions,
} from './options.js';
import { NATS_DEFAULTS } from './options.js';

/** Each member keeps a pull request on every partition consumer of its group. */
const MAX_PARTITIONS = 1_024;

/** Fills in defaults and fails at construction, naming the field, on anything unusable. */
export function resolveNatsOptions(options: NatsTransportOptions): ResolvedNatsOptions {
  requireServers(options?.servers);
  const subjectPrefix = validatePrefix(
    options.subjectPrefix ?? NATS_DEFAULTS.subjectPrefix,
    field('subjectPrefix'),
  );
  if (options.maxMessageBytes !== undefined)
    positiveInteger(options.maxMessageBytes, field('maxMessageBytes'));
  return {
    ...options,
    subjectPrefix,
    stream: resolveStream(options.stream ?? {}, subjectPrefix),
    consumer: resolveConsumer(options.consumer ?? {}),
    publishTimeoutMs: positiveInteger(
      options.publishTimeoutMs ?? NATS_DEFAULTS.publishTimeoutMs,
      field('publishTimeoutMs'),
    ),
    connectTimeoutMs: positiveInteger(
      options.connectTimeoutMs ?? NATS_DEFAULTS.connectTimeoutMs,
      field('connectTimeoutMs'),
    ),
    reconnect: resolveReconnect(options.reconnect ?? {}),
  };
}

function resolveStream(stream: NatsStreamOptions, prefix: string): Required<NatsStreamOptions> {
  const defaults = NATS_DEFAULTS.stream;
  const maxBytes = stream.maxBytes ?? defaults.maxBytes;
  if (maxBytes !== -1) positiveInteger(maxBytes, field('stream.maxBytes'));
  const maxAgeMs = integerAtLeast(0, stream.maxAgeMs ?? defaults.maxAgeMs, field('stream.maxAgeMs'));
  return {
    name: streamName(stream.name, prefix),
    retention: oneOf(
      stream.retention ?? defaults.retention,
      ['limits', 'interest'],
      field('stream.retention'),
    ),
    storage: oneOf(stream.storage ?? defaults.storage, ['file', 'memory'], field('stream.storage')),
    maxBytes,
    maxAgeMs,
    replicas: positiveInteger(stream.replicas ?? defaults.replicas, field('stream.replicas')),
    duplicateWindowMs: duplicateWindow(stream.duplicateWindowMs, maxAgeMs),
    partitions: between(
      1,
      MAX_PARTITIONS,
      stream.partitions ?? defaults.partitions,
      field('stream.partitions'),
    ),
  };
}

/** The server refuses a window longer than the stream keeps messages. */
function duplicateWindow(windowMs: number | undefined, maxAgeMs: number): number {
  const name = field('stream.duplicateWindowMs');
  const fallback = NATS_DEFAULTS.stream.duplicateWindowMs;
  if (windowMs === undefined) return maxAgeMs === 0 ? fallback : Math.min(fallback, maxAgeMs);
  positiveInteger(windowMs, name);
  if (maxAgeMs > 0 && windowMs > maxAgeMs) {
    throw new InvalidInputError(name, `must not exceed stream.maxAgeMs (${maxAgeMs}), got ${windowMs}`);
  }
  return windowMs;
}

function streamName(name: string | undefined, prefix: string): string {
  if (name === undefined) return natsName(prefix);
  if (name.length === 0 || natsName(name) !== name) {
    throw new InvalidInputError(
      field('stream.name'),
      `'${name}' is not a valid stream name (no spaces, '.', '*', '>', '/', '%')`,
    );
  }
  return name;
}

function resolveConsumer(consumer: NatsConsumerOptions): ResolvedNatsOptions['consumer'] {
  const defaults = NATS_DEFAULTS.consumer;
  const backoff = consumer.redeliveryBackoffMs;
  for (const [index, ms] of (backoff ?? []).entries()) {
    positiveInteger(ms, field(`consumer.redeliveryBackoffMs[${index}]`));
  }
  return {
    pullExpiresMs: integerAtLeast(
      1_000,
      consumer.pullExpiresMs ?? defaults.pullExpiresMs,
      field('consumer.pullExpiresMs'),
    ),
    ...(backoff === undefined ? {} : { redeliveryBackoffMs: [...backoff] }),
  };
}

function resolveReconnect(reconnect: NatsReconnectOptions): Required<NatsReconnectOptions> {
  const defaults = NATS_DEFAULTS.reconnect;
  const maxAttempts = reconnect.maxAttempts ?? defaults.maxAttempts;
  if (maxAttempts !== -1) positiveInteger(maxAttempts, field('reconnect.maxAttempts'));
  const initialMs = positiveInteger(reconnect.initialMs ?? defaults.initialMs, field('reconnect.initialMs'));
  const maxMs = integerAtLeast(
    initialMs,
    reconnect.maxMs ?? Math.max(initialMs, defaults.maxMs),
    field('reconnect.maxMs'),
  );
  return { maxAttempts, initialMs, maxMs };
}

function requireServers(servers: unknown): void {
  const list = typeof servers === 'string' ? [servers] : servers;
  const valid =
    Array.isArray(list) &&
    list.length > 0 &&
    list.every((server) => typeof server === 'string' && server.length > 0);
  if (!valid)
    throw new InvalidInputError(field('servers'), 'must be a server URL or a non-empty list of them');
}

function field(name: string): string {
  return `nats.${name}`;
}

function between(minimum: number, maximum: number, value: number, name: string): number {
  integerAtLeast(minimum, value, name);
  if (value > maximum) throw new InvalidInputError(name, `must be at most ${maximum}, got ${value}`);
  return value;
}

function oneOf<T extends string>(value: T, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value)) {
    throw new InvalidInputError(
      name,
      `must be ${allowed.map((one) => `'${one}'`).join(' or ')}, got ${String(value)}`,
    );
  }
  return value;
}
