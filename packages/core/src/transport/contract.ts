import type { BackoffOptions } from '../common/backoff.js';
import type { Envelope } from '../envelope/envelope.js';

/** A message on its way out: the envelope and the topic the naming strategy chose for it. */
export interface OutgoingMessage {
  readonly topic: string;
  readonly envelope: Envelope;
}

/** One delivery of one message to one member of a group. ack/nack answer whether they took effect. */
export interface Delivery {
  readonly envelope: Envelope;
  readonly topic: string;
  /** 1 on the first delivery, rising with every redelivery or retry. */
  readonly attempt: number;
  ack(): Promise<boolean>;
  /** Gives the message back to be delivered again after `delayMs`, recording why. */
  nack(delayMs?: number, reason?: string): Promise<boolean>;
  /** Pushes the ack deadline out again for a handler that is still working. */
  extend(): Promise<void>;
}

/**
 * Resolving acks the delivery (unless the handler already acked or nacked it); throwing nacks
 * it with backoff and the error as the reason.
 */
export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

export interface SubscribeOptions {
  readonly group: string;
  readonly topics: readonly string[];
  /** Where a group that has never consumed starts: every retained message, or only new ones. */
  readonly from?: 'start' | 'new';
  /** Messages handled at once by this member; one per partition key at a time. */
  readonly maxInFlight?: number;
  /** A delivery neither acked nor extended within this time is given to a member again. */
  readonly ackTimeoutMs?: number;
  /** Deliveries before the message is dead-lettered with the last failure reason. */
  readonly maxDeliveries?: number;
  readonly retryBackoff?: BackoffOptions;
  /** Where dead letters go; `<group>.dead-letter` by default. */
  readonly deadLetterTopic?: string;
  /** Told of each message the broker accepted on the dead-letter topic (for metrics and logs). */
  readonly onDeadLetter?: (letter: DeadLetterReport) => void;
}

/** A message moved to the dead-letter topic, and why. */
export interface DeadLetterReport {
  /** Undefined for a message that could not be decoded. */
  readonly envelope: Envelope | undefined;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly group: string;
  readonly reason: string;
  readonly attempts: number;
}

export interface Subscription {
  /** Stops taking messages, waits for in-flight handlers, leaves unacked messages to come back. */
  close(): Promise<void>;
}

/** What a transport can and cannot do; a transport may not declare away delivery or dedupe safety. */
export interface TransportCapabilities {
  /** A new group can read messages published before it existed. */
  readonly replayFromStart: boolean;
  /** Messages of one partition key reach the handler in publish order. */
  readonly perKeyOrder: boolean;
  /** Largest serialized envelope `publish` accepts; larger ones are a typed error before sending. */
  readonly maxMessageBytes: number;
}

export interface Transport {
  readonly kind: string;
  readonly capabilities: TransportCapabilities;
  /** Resolves only after the broker durably accepted every message of the batch. */
  publish(batch: readonly OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions, handler: DeliveryHandler): Promise<Subscription>;
  close(): Promise<void>;
}

/** Chooses the topic of an outgoing message; the default uses the event type. */
export type TopicNaming = (envelope: Envelope) => string;

export const topicByType: TopicNaming = (envelope) => envelope.type;

/** Headers a dead letter carries, beside the original envelope's attributes. */
export const DEAD_LETTER_HEADERS = {
  reason: 'eventloom-dead-letter-reason',
  attempts: 'eventloom-dead-letter-attempts',
  originalTopic: 'eventloom-dead-letter-original-topic',
  group: 'eventloom-dead-letter-group',
  deadLetteredAt: 'eventloom-dead-letter-at',
} as const;
