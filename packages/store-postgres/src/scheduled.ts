import type { EncodedScheduled } from '@eventloom/core/store-kit';
import type { OutboxNotice } from './outbox.js';
import type { Tables } from './schema/tables.js';
import { type Queryable, query, queryOne } from './sql.js';

/** Keeps the first message scheduled under an id; true when this one was stored. */
export async function scheduleMessage(
  db: Queryable,
  tables: Tables,
  scheduled: EncodedScheduled,
  notice: OutboxNotice,
): Promise<boolean> {
  const sql = `WITH stored AS (
      INSERT INTO ${tables.scheduled} (id, due_at, message_id, partition_key, envelope)
      VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING 1)
    SELECT count(*)::integer AS stored, pg_notify($6, $7) FROM stored`;
  const { id, dueAt, message } = scheduled;
  const values = [id, dueAt, message.id, message.partitionKey, message.json, notice.channel, notice.sender];
  return ((await queryOne<{ stored: number }>(db, sql, values))?.stored ?? 0) > 0;
}

export async function cancelScheduled(db: Queryable, tables: Tables, id: string): Promise<boolean> {
  const sql = `DELETE FROM ${tables.scheduled} WHERE id = $1 RETURNING 1`;
  return (await query(db, sql, [id])).length > 0;
}

/**
 * Moves the due messages, earliest first, into the outbox in one statement. Concurrent callers
 * wait on each other's rows (not SKIP LOCKED) so that outbox order follows due order.
 */
export async function releaseDue(
  db: Queryable,
  tables: Tables,
  due: { readonly now: number; readonly limit: number; readonly enqueuedAt: number },
  notice: OutboxNotice,
): Promise<number> {
  const sql = `WITH due AS (
      DELETE FROM ${tables.scheduled} WHERE id IN (
        SELECT id FROM ${tables.scheduled} WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2 FOR UPDATE)
      RETURNING due_at, id, message_id, partition_key, envelope),
    released AS (
      INSERT INTO ${tables.outbox} (message_id, partition_key, envelope, enqueued_at)
      SELECT message_id, partition_key, envelope, $5 FROM due ORDER BY due_at, id
      RETURNING 1),
    notified AS (SELECT pg_notify($3, $4) FROM (SELECT 1 FROM released LIMIT 1) AS any_released)
    SELECT (SELECT count(*) FROM released)::integer AS released, (SELECT count(*) FROM notified) AS notified`;
  const row = await queryOne<{ released: number }>(db, sql, [
    due.now,
    due.limit,
    notice.channel,
    notice.sender,
    due.enqueuedAt,
  ]);
  return row?.released ?? 0;
}

export async function nextDueAt(db: Queryable, tables: Tables): Promise<Date | undefined> {
  const row = await queryOne<{ due: number | null }>(
    db,
    `SELECT min(due_at) AS due FROM ${tables.scheduled}`,
  );
  return row?.due == null ? undefined : new Date(row.due);
}
