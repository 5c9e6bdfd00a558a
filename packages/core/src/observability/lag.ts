import { requireText } from '../store/validate.js';

/** How far one consumer group is behind on one topic (or one partition of it). */
export interface ConsumerLagReading {
  /**
   * The topic the lag is on; for a broker that keeps a group's topics together and counts them
   * as one (a JetStream stream, an SQS queue), that destination's name.
   */
  readonly topic: string;
  readonly partition?: string;
  /** Messages published and not yet consumed (acked) by the group. */
  readonly lag: number;
}

/**
 * A transport that can tell consumer lag implements this beside `Transport` (an optional
 * capability): Kafka from offsets, JetStream from a consumer's pending counts, SQS from queue
 * depth, the memory broker from its group positions. A group the broker does not know has no
 * readings; a broker that cannot answer fails with a `TransportError`.
 */
export interface ConsumerLagSource {
  consumerLag(group: string): Promise<readonly ConsumerLagReading[]>;
}

export function hasConsumerLag(transport: object): transport is ConsumerLagSource {
  return typeof (transport as Partial<ConsumerLagSource>).consumerLag === 'function';
}

/** Fails with an InvalidInputError on a group name that is not a non-empty string. */
export function requireLagGroup(group: unknown): asserts group is string {
  requireText(group, 'consumerLag.group');
}

/** The lag summed over every reading. */
export function totalLag(readings: readonly ConsumerLagReading[]): number {
  return readings.reduce((sum, reading) => sum + reading.lag, 0);
}
