import type { Envelope } from '../envelope/envelope.js';
import type { DeadLetterReport } from '../transport/contract.js';

/**
 * What the consumer runtime reports per message: hooks for metrics, tracing and logs (each
 * optional and synchronous; an observer that throws is ignored).
 */
export interface ConsumerObserver {
  /** The handler's effects committed with its inbox claim. */
  readonly handled?: (message: Envelope, consumer: string, durationMs: number) => void;
  /** The inbox already held the claim: the handler did not run. */
  readonly duplicate?: (message: Envelope, consumer: string) => void;
  /** No handler takes this type (a topic shared with other types). */
  readonly ignored?: (message: Envelope) => void;
  /** The unit of work rolled back; the transport redelivers or dead-letters the message. */
  readonly failed?: (message: Envelope, error: unknown, attempt: number) => void;
  /** A version conflict rolled the unit of work back; it runs again at once. */
  readonly conflict?: (message: Envelope, retry: number) => void;
  /** The transport moved a message of the consumer's subscription to its dead-letter topic. */
  readonly deadLettered?: (letter: DeadLetterReport) => void;
}
