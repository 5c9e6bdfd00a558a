import type { OutboxRow } from '../store/contract.js';
import type { OutgoingMessage } from '../transport/contract.js';

/**
 * What the relay reports as it works: hooks for metrics, tracing and logs (each optional and
 * synchronous; an observer that throws is ignored).
 */
export interface RelayObserver {
  /** `sent` is what went to the transport: a message per row, in the same order. */
  readonly published?: (rows: readonly OutboxRow[], durationMs: number, sent: PublishedBatch) => void;
  readonly failed?: (error: unknown, attempt: number) => void;
  readonly released?: (count: number) => void;
  readonly purged?: (count: number) => void;
  readonly leaseChanged?: (held: boolean) => void;
}

/** A batch the relay handed to the transport, as the transport received it. */
export interface PublishedBatch {
  /** The transport's kind: `memory`, `nats`, `kafka`, `sqs`, … */
  readonly transport: string;
  readonly messages: readonly OutgoingMessage[];
}

export { notify } from '../common/notify.js';
