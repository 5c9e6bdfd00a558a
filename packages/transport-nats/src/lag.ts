import type { ConsumerLagReading } from '@eventloom/core';
import type { JetStreamManager } from '@nats-io/jetstream';
import { JetStreamApiCodes } from '@nats-io/jetstream';
import { hasApiCode, transportErrorOf } from './errors.js';
import { natsName } from './names.js';

/**
 * The group's lag on the stream, from its durable consumer: `num_pending` (matching messages not
 * yet delivered) plus `num_ack_pending` (delivered, not yet acked). The server counts a message
 * in the first until its first delivery and in the second until it is acked or given up on, so a
 * redelivery is never counted twice. No consumer, no readings.
 */
export async function readConsumerLag(
  jsm: JetStreamManager,
  stream: string,
  group: string,
  timeoutMs: number,
): Promise<readonly ConsumerLagReading[]> {
  try {
    const info = await jsm.consumers.info(stream, natsName(group));
    return [{ topic: stream, lag: info.num_pending + info.num_ack_pending }];
  } catch (error) {
    if (hasApiCode(error, JetStreamApiCodes.ConsumerNotFound)) return [];
    throw transportErrorOf(error, `reading the lag of group '${group}'`, timeoutMs);
  }
}
