import type { OutboxRow, OutboxSource } from '../store/contract.js';
import type { TopicNaming, Transport } from '../transport/contract.js';

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
): Promise<readonly OutboxRow[]> {
  const rows = await source.pendingOutbox(limit);
  if (rows.length === 0) return rows;
  await transport.publish(rows.map((row) => ({ topic: topicNaming(row.envelope), envelope: row.envelope })));
  await source.markDispatched(rows.map((row) => row.seq));
  return rows;
}
