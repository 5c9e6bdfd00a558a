import type { OutboxRow } from '@eventloom/core';
import { decodeOutboxRow, type EncodedMessage, type OutboxRecord } from '@eventloom/core/store-kit';
import type { Tables } from './schema/tables.js';
import { prepared, type Queryable, query, queryOne } from './sql.js';

/** Where a commit that wrote outbox rows tells other processes: the channel and this store's id. */
export interface OutboxNotice {
  readonly channel: string;
  readonly sender: string;
}

const OUTBOX_COLUMNS =
  'seq, message_id, partition_key, envelope::text AS envelope, enqueued_at, dispatched_at';

/** Inserts the messages in order, and NOTIFYs listeners; PostgreSQL delivers that only on commit. */
export async function enqueueMessages(
  db: Queryable,
  tables: Tables,
  messages: readonly EncodedMessage[],
  enqueuedAt: number,
  notice: OutboxNotice,
): Promise<void> {
  const sql = `WITH inserted AS (
      INSERT INTO ${tables.outbox} (message_id, partition_key, envelope, enqueued_at)
      SELECT m.id, m.partition_key, m.envelope, $4
      FROM unnest($1::text[], $2::text[], $3::json[]) WITH ORDINALITY AS m(id, partition_key, envelope, n)
      ORDER BY m.n
      RETURNING 1)
    SELECT pg_notify($5, $6) FROM (SELECT count(*) FROM inserted) AS done`;
  await query(
    db,
    sql,
    [
      messages.map((message) => message.id),
      messages.map((message) => message.partitionKey),
      messages.map((message) => message.json),
      enqueuedAt,
      notice.channel,
      notice.sender,
    ],
    prepared(sql),
  );
}

/** Undispatched rows in seq order, up to a settled seq: never one behind a row still uncommitted. */
export async function pendingOutbox(
  db: Queryable,
  tables: Tables,
  window: { readonly settled: number; readonly limit: number },
): Promise<OutboxRow[]> {
  const sql = `SELECT ${OUTBOX_COLUMNS} FROM ${tables.outbox}
    WHERE dispatched_at IS NULL AND seq <= $1 ORDER BY seq LIMIT $2`;
  return (await query<OutboxRecord>(db, sql, [window.settled, window.limit])).map(decodeOutboxRow);
}

export async function markDispatched(
  db: Queryable,
  tables: Tables,
  seqs: readonly number[],
  now: number,
): Promise<void> {
  const sql = `UPDATE ${tables.outbox} SET dispatched_at = $2 WHERE seq = ANY($1::bigint[]) AND dispatched_at IS NULL`;
  await query(db, sql, [seqs, now]);
}

export async function purgeDispatched(
  db: Queryable,
  tables: Tables,
  before: number,
  limit: number,
): Promise<number> {
  const sql = `WITH purged AS (
      DELETE FROM ${tables.outbox} WHERE seq IN (
        SELECT seq FROM ${tables.outbox} WHERE dispatched_at < $1 ORDER BY dispatched_at LIMIT $2
        FOR UPDATE SKIP LOCKED)
      RETURNING 1)
    SELECT count(*)::integer AS count FROM purged`;
  return (await queryOne<{ count: number }>(db, sql, [before, limit]))?.count ?? 0;
}

export async function outboxBacklog(
  db: Queryable,
  tables: Tables,
): Promise<{ readonly pending: number; readonly oldestEnqueuedAt: Date | undefined }> {
  const sql = `SELECT count(*)::integer AS pending, min(enqueued_at) AS oldest
    FROM ${tables.outbox} WHERE dispatched_at IS NULL`;
  const row = await queryOne<{ pending: number; oldest: number | null }>(db, sql);
  const oldest = row?.oldest ?? null;
  return { pending: row?.pending ?? 0, oldestEnqueuedAt: oldest === null ? undefined : new Date(oldest) };
}
