import type { ConsumerLagReading } from '@eventloom/core';
import type { JetStreamManager } from '@nats-io/jetstream';
import { JetStreamApiCodes } from '@nats-io/jetstream';
import { hasApiCode, transportErrorOf } from './errors.js';
import { partitionConsumers } from './topology.js';

/**
 * The group's lag on the stream, summed over its partition consumers: `num_pending` (matching
 * messages not yet delivered) plus `num_ack_pending` (delivered, not yet acked). The server
 * counts a message in the first until its first delivery and in the second until it is acked or
 * given up on, so a redelivery is never counted twice. No consumer, no readings.
 */
export async function readConsumerLag(
  jsm: JetStreamManager,
  stream: string,
  group: string,
  partitions: number,
  timeoutMs: number,
): Promise<readonly ConsumerLagReading[]> {
  const lags = await Promise.all(
    partitionConsumers(group, partitions).map(async (consumer) => {
      try {
        const info = await jsm.consumers.info(stream, consumer);
        return info.num_pending + info.num_ack_pending;
      } catch (error) {
        if (hasApiCode(error, JetStreamApiCodes.ConsumerNotFound)) return undefined;
        throw transportErrorOf(error, `reading the lag of group '${group}'`, timeoutMs);
      }
    }),
  );
  const known = lags.filter((lag) => lag !== undefined);
  if (known.length === 0) return [];
  return [{ topic: stream, lag: known.reduce((sum, lag) => sum + lag, 0) }];
}
