import type { AnyMessageHandler } from '../consumer/registry.js';
import type { ConsumerOptions } from '../consumer/runtime.js';
import type { AnyDecider } from '../domain/decider.js';
import type { Observability } from '../observability/observability.js';
import type { RelayOptions } from '../outbox/options.js';
import type { AsyncProjectionOptions } from '../projection/async.js';
import type { AnyProjection } from '../projection/projection.js';
import type { AnySaga } from '../saga/definition.js';
import type { EventStore } from '../store/contract.js';
import type { Transport } from '../transport/contract.js';
import type { ModuleLoader } from './adapter.js';
import type { StoreAdapterOptions } from './stores.js';
import type { TransportAdapterOptions } from './transports.js';

/**
 * Where a projection runs: `inline` in the transaction of each append (the default), `async`
 * following the store's global log from a checkpoint, `transport` as a consumer of its event types.
 */
export type ProjectionMode = 'inline' | 'async' | 'transport';

export type ProjectionEntry =
  | AnyProjection
  | {
      readonly projection: AnyProjection;
      readonly mode: ProjectionMode;
      /** For `async`. */
      readonly options?: AsyncProjectionOptions;
    };

/** How the app's consumer runs its handlers, sagas and transport projections. */
export type ConsumerSettings = Pick<
  ConsumerOptions,
  | 'subscription'
  | 'inbox'
  | 'stopTimeoutMs'
  | 'maxConflictRetries'
  | 'conflictBackoff'
  | 'middleware'
  | 'deliveryMiddleware'
  | 'observer'
>;

export interface EventloomOptions {
  /** An EventStore, or a URL: `memory:`, `sqlite:<path>`, `postgres://…`. `sqlite:./data/eventloom.db` by default. */
  readonly store?: EventStore | string;
  /** A Transport, or a URL: `memory:`, `nats://…`, `kafka://host:port,…`, `sqs://<region>?endpoint=…`. `memory:` by default. */
  readonly transport?: Transport | string;
  /** This service: its consumer group on the transport. `eventloom` by default. */
  readonly name?: string;
  /** Starts every topic, so apps sharing a broker can stay apart. Empty by default. */
  readonly topicPrefix?: string;
  readonly aggregates?: readonly AnyDecider[];
  readonly sagas?: readonly AnySaga[];
  readonly projections?: readonly ProjectionEntry[];
  readonly handlers?: readonly AnyMessageHandler[];
  /** Per store adapter, options beyond what its URL says (they win over the URL's). */
  readonly storeOptions?: StoreAdapterOptions;
  /** Per transport adapter, options beyond what its URL says (they win over the URL's). */
  readonly transportOptions?: TransportAdapterOptions;
  readonly relay?: Omit<RelayOptions, 'transport' | 'topicNaming'>;
  readonly consumer?: ConsumerSettings;
  /** The clock of handlers, sagas and the scheduler. */
  readonly clock?: () => Date;
  /** Imports adapter packages; give `(name) => import(name)` from your app when core cannot see them. */
  readonly loadModule?: ModuleLoader;
  /** Traces, metrics and logs: `await observability({ tracerProvider, meterProvider, logger })`. */
  readonly observability?: Observability;
}

export const OPTION_NAMES: readonly (keyof EventloomOptions)[] = [
  'store',
  'transport',
  'name',
  'topicPrefix',
  'aggregates',
  'sagas',
  'projections',
  'handlers',
  'storeOptions',
  'transportOptions',
  'relay',
  'consumer',
  'clock',
  'loadModule',
  'observability',
];

export const DEFAULT_NAME = 'eventloom';
