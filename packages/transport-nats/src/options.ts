import type { SubscriptionEngineConfig } from '@eventloom/core';
import { InvalidInputError } from '@eventloom/core';
import { natsName, validatePrefix } from './names.js';

/** TLS as the NATS client takes it: PEM text (`ca`, `cert`, `key`) or file paths (`…File`). */
export interface NatsTlsOptions {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  /** TLS before the NATS handshake, for servers configured with `handshake_first`. */
  readonly handshakeFirst?: boolean;
}

/** The wait between reconnect attempts grows with the outage, from `initialMs` up to `maxMs`. */
export interface NatsReconnectOptions {
  /** Attempts per server before giving up; -1 (the default) retries forever. */
  readonly maxAttempts?: number;
  readonly initialMs?: number;
  readonly maxMs?: number;
}

export interface NatsConnectionOptions {
  /** `nats://host:port`, or several for a cluster. */
  readonly servers: string | readonly string[];
  /** Shown by the server's monitoring; `eventloom` by default. */
  readonly name?: string;
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  /** Path of an NKey seed file (`SU…`). */
  readonly nkeySeedFile?: string;
  /** Path of a `.creds` file (JWT and NKey seed). */
  readonly credsFile?: string;
  readonly tls?: NatsTlsOptions;
  /** How long connecting may take before a NatsUnreachableError. */
  readonly connectTimeoutMs?: number;
  readonly reconnect?: NatsReconnectOptions;
}

export interface NatsStreamOptions {
  /** Derived from the subject prefix by default. */
  readonly name?: string;
  /** `limits` keeps messages for new groups to replay; `interest` drops them once every group acked. */
  readonly retention?: 'limits' | 'interest';
  /** 0 keeps messages forever (until `maxBytes`). */
  readonly maxAgeMs?: number;
  /** -1 for no limit. */
  readonly maxBytes?: number;
  readonly replicas?: number;
  readonly storage?: 'file' | 'memory';
  /**
   * The server drops a message whose `Nats-Msg-Id` (the envelope id) it stored within this window,
   * so a relay's retry after a lost PubAck stores nothing twice. Keep it above the relay's retry
   * horizon; beyond it the consumer's inbox still drops the copy.
   */
  readonly duplicateWindowMs?: number;
}

export interface NatsConsumerOptions {
  /** Unacked messages the server lets one group's durable consumer have out at once. */
  readonly maxAckPending?: number;
  /** Server-side redelivery delays after ack timeouts (JetStream `backoff`); none by default. */
  readonly redeliveryBackoffMs?: readonly number[];
  /** How long one pull request waits on the server for messages before it is renewed. */
  readonly pullExpiresMs?: number;
}

export interface NatsTransportOptions
  extends NatsConnectionOptions,
    Pick<SubscriptionEngineConfig, 'onError' | 'random' | 'closeTimeoutMs'> {
  /** Subjects are `<subjectPrefix>.<topic>`; `eventloom` by default. */
  readonly subjectPrefix?: string;
  readonly stream?: NatsStreamOptions;
  readonly consumer?: NatsConsumerOptions;
  /** How long `publish` (and an ack) waits for the server before a TransportTimeoutError. */
  readonly publishTimeoutMs?: number;
  /** Largest encoded envelope; the server's max_payload less room for NATS headers by default. */
  readonly maxMessageBytes?: number;
}

export type ResolvedNatsOptions = Omit<
  NatsTransportOptions,
  'subjectPrefix' | 'stream' | 'consumer' | 'publishTimeoutMs' | 'connectTimeoutMs' | 'reconnect'
> & {
  readonly subjectPrefix: string;
  readonly stream: Required<NatsStreamOptions>;
  readonly consumer: Required<Omit<NatsConsumerOptions, 'redeliveryBackoffMs'>> &
    Pick<NatsConsumerOptions, 'redeliveryBackoffMs'>;
  readonly publishTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly reconnect: Required<NatsReconnectOptions>;
};

export const NATS_DEFAULTS = {
  subjectPrefix: 'eventloom',
  publishTimeoutMs: 5_000,
  connectTimeoutMs: 5_000,
  reconnect: { maxAttempts: -1, initialMs: 250, maxMs: 5_000 },
  stream: {
    retention: 'limits',
    maxAgeMs: 0,
    maxBytes: -1,
    replicas: 1,
    storage: 'file',
    duplicateWindowMs: 120_000,
  },
  consumer: { maxAckPending: 1_000, pullExpiresMs: 10_000 },
} as const;

/** Fills in defaults and fails at construction, naming the field, on anything unusable. */
export function resolveNatsOptions(options: NatsTransportOptions): ResolvedNatsOptions {
  requireServers(options?.servers);
  const subjectPrefix = validatePrefix(
    options.subjectPrefix ?? NATS_DEFAULTS.subjectPrefix,
    field('subjectPrefix'),
  );
  if (options.maxMessageBytes !== undefined) positive(options.maxMessageBytes, field('maxMessageBytes'));
  return {
    ...options,
    subjectPrefix,
    stream: resolveStream(options.stream ?? {}, subjectPrefix),
    consumer: resolveConsumer(options.consumer ?? {}),
    publishTimeoutMs: positive(
      options.publishTimeoutMs ?? NATS_DEFAULTS.publishTimeoutMs,
      field('publishTimeoutMs'),
    ),
    connectTimeoutMs: positive(
      options.connectTimeoutMs ?? NATS_DEFAULTS.connectTimeoutMs,
      field('connectTimeoutMs'),
    ),
    reconnect: resolveReconnect(options.reconnect ?? {}),
  };
}

function resolveStream(stream: NatsStreamOptions, prefix: string): Required<NatsStreamOptions> {
  const defaults = NATS_DEFAULTS.stream;
  const retention = stream.retention ?? defaults.retention;
  if (retention !== 'limits' && retention !== 'interest') {
    throw new InvalidInputError(
      field('stream.retention'),
      `must be 'limits' or 'interest', got ${String(retention)}`,
    );
  }
  const storage = stream.storage ?? defaults.storage;
  if (storage !== 'file' && storage !== 'memory') {
    throw new InvalidInputError(
      field('stream.storage'),
      `must be 'file' or 'memory', got ${String(storage)}`,
    );
  }
  const maxBytes = stream.maxBytes ?? defaults.maxBytes;
  if (maxBytes !== -1) positive(maxBytes, field('stream.maxBytes'));
  return {
    name: streamName(stream.name, prefix),
    retention,
    storage,
    maxBytes,
    maxAgeMs: wholeNumber(stream.maxAgeMs ?? defaults.maxAgeMs, field('stream.maxAgeMs')),
    replicas: positive(stream.replicas ?? defaults.replicas, field('stream.replicas')),
    duplicateWindowMs: positive(
      stream.duplicateWindowMs ?? defaults.duplicateWindowMs,
      field('stream.duplicateWindowMs'),
    ),
  };
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
    positive(ms, field(`consumer.redeliveryBackoffMs[${index}]`));
  }
  return {
    maxAckPending: positive(
      consumer.maxAckPending ?? defaults.maxAckPending,
      field('consumer.maxAckPending'),
    ),
    pullExpiresMs: atLeast(
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
  if (maxAttempts !== -1) positive(maxAttempts, field('reconnect.maxAttempts'));
  const initialMs = positive(reconnect.initialMs ?? defaults.initialMs, field('reconnect.initialMs'));
  const maxMs = atLeast(
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

function wholeNumber(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(name, `must be an integer ≥ 0, got ${value}`);
  }
  return value;
}

function positive(value: number, name: string): number {
  return atLeast(1, value, name);
}

function atLeast(minimum: number, value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new InvalidInputError(name, `must be an integer ≥ ${minimum}, got ${value}`);
  }
  return value;
}
