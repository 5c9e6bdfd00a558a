import type { Tables } from './schema/tables.js';
import { type Queryable, query, queryOne } from './sql.js';

/**
 * True the first time. A second transaction claiming the same id waits on the first one's
 * uncommitted row; if that commits, this claim is a duplicate; if it rolls back, this one wins.
 */
export async function claimMessage(
  db: Queryable,
  tables: Tables,
  consumer: string,
  messageId: string,
  claimedAt: number,
): Promise<boolean> {
  const sql = `INSERT INTO ${tables.inbox} (consumer, message_id, claimed_at) VALUES ($1, $2, $3)
    ON CONFLICT (consumer, message_id) DO NOTHING RETURNING 1`;
  return (await query(db, sql, [consumer, messageId, claimedAt])).length > 0;
}

export async function purgeInbox(
  db: Queryable,
  tables: Tables,
  before: number,
  limit: number,
): Promise<number> {
  const sql = `WITH purged AS (
      DELETE FROM ${tables.inbox} WHERE (consumer, message_id) IN (
        SELECT consumer, message_id FROM ${tables.inbox} WHERE claimed_at < $1 ORDER BY claimed_at LIMIT $2
        FOR UPDATE SKIP LOCKED)
      RETURNING 1)
    SELECT count(*)::integer AS count FROM purged`;
  return (await queryOne<{ count: number }>(db, sql, [before, limit]))?.count ?? 0;
}
