/** How far one consumer group is behind on one topic (or one partition of it). */
export interface ConsumerLagReading {
  readonly topic: string;
  readonly partition?: string;
  /** Messages published and not yet consumed by the group. */
  readonly lag: number;
}

/**
 * A transport that can tell consumer lag implements this beside `Transport` (an optional
 * capability): Kafka from offsets, JetStream from a consumer's pending count, SQS from queue depth.
 */
export interface ConsumerLagSource {
  consumerLag(group: string): Promise<readonly ConsumerLagReading[]>;
}

export function hasConsumerLag(transport: object): transport is ConsumerLagSource {
  return typeof (transport as Partial<ConsumerLagSource>).consumerLag === 'function';
}
