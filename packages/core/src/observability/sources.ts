import type { OutboxSource } from '../store/contract.js';
import type { Transport } from '../transport/contract.js';

/** What the gauges read when a metric reader collects. */
export interface WatchedSources {
  /** The store whose outbox backlog and oldest row are observed. */
  readonly outbox?: OutboxSource;
  /** The transport and group whose consumer lag is observed, when the transport can tell it. */
  readonly transport?: Transport;
  readonly group?: string;
}
