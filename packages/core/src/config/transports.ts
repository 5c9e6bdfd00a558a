import type { Transport } from '../transport/contract.js';
import type { MemoryTransportOptions } from '../transport/memory/memory-transport.js';
import { type Adapter, fromPackage, memoryAdapter } from './adapter.js';
import { ConfigError } from './errors.js';
import { type ParamSpecs, readParams } from './params.js';
import { requireHosts } from './url.js';

/** Options for each transport that code adds to (and over) what its URL says. */
export interface TransportAdapterOptions {
  readonly memory?: MemoryTransportOptions;
  /** `NatsTransportOptions` of @eventloom/transport-nats (TLS, NKeys, callbacks…). */
  readonly nats?: Readonly<Record<string, unknown>>;
  /** `KafkaTransportOptions` of @eventloom/transport-kafka. */
  readonly kafka?: Readonly<Record<string, unknown>>;
  /** `SqsTransportOptions` of @eventloom/transport-sqs. */
  readonly sqs?: Readonly<Record<string, unknown>>;
}

const NATS_PARAMS: ParamSpecs = {
  subjectPrefix: { kind: 'string' },
  name: { kind: 'string' },
  credsFile: { kind: 'string' },
  nkeySeedFile: { kind: 'string' },
  connectTimeoutMs: { kind: 'integer' },
  publishTimeoutMs: { kind: 'integer' },
  stream: { kind: 'string', path: 'stream.name' },
  retention: { kind: 'string', path: 'stream.retention', oneOf: ['limits', 'interest'] },
  storage: { kind: 'string', path: 'stream.storage', oneOf: ['file', 'memory'] },
  replicas: { kind: 'integer', path: 'stream.replicas' },
  maxAgeMs: { kind: 'integer', path: 'stream.maxAgeMs' },
  duplicateWindowMs: { kind: 'integer', path: 'stream.duplicateWindowMs' },
  partitions: { kind: 'integer', path: 'stream.partitions' },
  maxAckPending: { kind: 'integer', path: 'consumer.maxAckPending' },
};

const KAFKA_PARAMS: ParamSpecs = {
  clientId: { kind: 'string' },
  ssl: { kind: 'boolean' },
  sasl: { kind: 'string', oneOf: ['plain', 'scram-sha-256', 'scram-sha-512'] },
  publishTimeoutMs: { kind: 'integer' },
  maxMessageBytes: { kind: 'integer' },
  partitions: { kind: 'integer', path: 'topology.partitions' },
  replicationFactor: { kind: 'integer', path: 'topology.replicationFactor' },
  sessionTimeoutMs: { kind: 'integer', path: 'consumer.sessionTimeoutMs' },
};

const SQS_PARAMS: ParamSpecs = {
  endpoint: { kind: 'string' },
  snsEndpoint: { kind: 'string' },
  fifo: { kind: 'boolean' },
  layout: { kind: 'string', oneOf: ['topic-per-type', 'topic-per-context'] },
  namePrefix: { kind: 'string' },
  waitTimeSeconds: { kind: 'integer' },
  publishTimeoutMs: { kind: 'integer' },
  maxAttempts: { kind: 'integer' },
  retentionSeconds: { kind: 'integer' },
};

const memoryTransport = memoryAdapter<Transport>(async (options) => {
  const { createMemoryTransport } = await import('../transport/memory/memory-transport.js');
  return createMemoryTransport(options);
});

const natsTransport: Adapter<Transport> = {
  key: 'nats',
  schemes: ['nats'],
  packageName: '@eventloom/transport-nats',
  options: (url) => {
    const hosts = requireHosts(url, 'nats://host:4222[,host2:4222]');
    const { username, password } = url;
    const credentials =
      username === undefined
        ? {}
        : password === undefined
          ? { token: username }
          : { user: username, pass: password };
    return {
      ...readParams(url, NATS_PARAMS),
      ...credentials,
      servers: hosts.map((host) => `nats://${host}`),
    };
  },
  open: fromPackage('@eventloom/transport-nats', 'createNatsTransport'),
};

const kafkaTransport: Adapter<Transport> = {
  key: 'kafka',
  schemes: ['kafka'],
  packageName: '@eventloom/transport-kafka',
  options: (url) => {
    const brokers = requireHosts(url, 'kafka://host:9092[,host2:9092]');
    const { sasl = 'plain', ...options } = readParams(url, KAFKA_PARAMS);
    if (url.username === undefined) {
      if (url.params.has('sasl'))
        throw new ConfigError(`${url.field}?sasl`, String(sasl), 'needs user:password@ in the URL');
      return { ...options, brokers };
    }
    return {
      ...options,
      brokers,
      sasl: { mechanism: sasl, username: url.username, password: url.password ?? '' },
    };
  },
  open: fromPackage('@eventloom/transport-kafka', 'createKafkaTransport'),
};

const sqsTransport: Adapter<Transport> = {
  key: 'sqs',
  schemes: ['sqs'],
  packageName: '@eventloom/transport-sqs',
  options: (url) => {
    const [region, ...others] = requireHosts(url, 'sqs://us-east-1?endpoint=http://host:4566');
    if (others.length > 0) throw new ConfigError(url.field, url.shown, 'names one region');
    const { username: accessKeyId, password: secretAccessKey } = url;
    const credentials =
      accessKeyId === undefined
        ? {}
        : { credentials: { accessKeyId, secretAccessKey: secretAccessKey ?? '' } };
    return { ...readParams(url, SQS_PARAMS), ...credentials, region };
  },
  open: fromPackage('@eventloom/transport-sqs', 'createSqsTransport'),
};

export const TRANSPORT_ADAPTERS: readonly Adapter<Transport>[] = [
  memoryTransport,
  natsTransport,
  kafkaTransport,
  sqsTransport,
];

export const DEFAULT_TRANSPORT_URL = 'memory:';
