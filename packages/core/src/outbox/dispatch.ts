import type { OutboxRow, OutboxSource } from '../store/contract.js';
import type { OutgoingMessage, TopicNaming, Transport } from '../transport/contract.js';

/** The rows of one batch and the messages they were published as, in the same order. */
export interface DispatchedBatch {
  readonly rows: readonly OutboxRow[];
  readonly messages: readonly OutgoingMessage[];
}

/**
 * One batch of the outbox to the transport: the oldest committed rows, published in commit
 * order, then marked dispatched. A failure leaves every row pending, to be published again
 * whole (the inbox drops the copies), so no row is ever skipped or overtaken by a later one.
 */
export async function dispatchBatch(
  source: OutboxSource,
  transport: Transport,
  topicNaming: TopicNaming,
  limit: number,
): Promise<DispatchedBatch> {
  const rows = await source.pendingOutbox(limit);
  if (rows.length === 0) return { rows, messages: [] };
  const messages = rows.map((row) => ({ topic: topicNaming(row.envelope), envelope: row.envelope }));
  await transport.publish(messages);
  await source.markDispatched(rows.map((row) => row.seq));
  return { rows, messages };
}
