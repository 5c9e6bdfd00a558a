import type { SagaRef } from '../saga/queries.js';
import type { EventStore, OutboxSource } from '../store/contract.js';
import type { Transport } from '../transport/contract.js';

/** Sagas whose instances are counted by status, and the store that holds them. */
export interface WatchedSagas {
  readonly store: EventStore;
  readonly sagas: readonly SagaRef[];
}

/** What the gauges read when a metric reader collects. */
export interface WatchedSources {
  /** The store whose outbox backlog and oldest row are observed. */
  readonly outbox?: OutboxSource;
  /** The transport and group whose consumer lag is observed, when the transport can tell it. */
  readonly transport?: Transport;
  readonly group?: string;
  /** Saga instances by status, counted in the store at each collection. */
  readonly sagas?: WatchedSagas;
}
