export { fromNatsHeaders, NATS_HEADER_PREFIX, toNatsHeaders } from './binding.js';
export { NatsAuthenticationError, NatsUnreachableError } from './errors.js';
export { natsName, partitionConsumerName, partitionOf, SubjectNaming } from './names.js';
export type {
  NatsConnectionOptions,
  NatsConsumerOptions,
  NatsReconnectOptions,
  NatsStreamOptions,
  NatsTlsOptions,
  NatsTransportOptions,
} from './options.js';
export { NATS_DEFAULTS } from './options.js';
export { resolveNatsOptions } from './resolve-options.js';
export type { NatsTransport } from './transport.js';
export { createNatsTransport } from './transport.js';
