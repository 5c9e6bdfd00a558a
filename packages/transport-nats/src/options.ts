import type { EngineTuning } from '@eventloom/core';

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
  /**
   * Partitions per topic: a message goes to `<prefix>.<topic>.%p<n>` with n a stable hash of its
   * partition key, and a group has one durable consumer per partition that hands out one message
   * at a time, so per-key order holds across the members of a group. It bounds how many messages
   * one group handles at once. Fixed for a stream: publishers and consumers must agree, and a
   * transport refuses a stream made with another count.
   */
  readonly partitions?: number;
}

export interface NatsConsumerOptions {
  /**
   * @deprecated Ignored: each partition's consumer has one message out at a time (that is what
   * keeps per-key order across members); the stream's `partitions` bound a group's concurrency.
   */
  readonly maxAckPending?: number;
  /** Server-side redelivery delays after ack timeouts (JetStream `backoff`); none by default. */
  readonly redeliveryBackoffMs?: readonly number[];
  /** How long one pull request waits on the server for messages before it is renewed. */
  readonly pullExpiresMs?: number;
}

export interface NatsTransportOptions extends NatsConnectionOptions, EngineTuning {
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
  readonly consumer: Required<Omit<NatsConsumerOptions, 'redeliveryBackoffMs' | 'maxAckPending'>> &
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
    partitions: 16,
  },
  consumer: { pullExpiresMs: 10_000 },
} as const;
