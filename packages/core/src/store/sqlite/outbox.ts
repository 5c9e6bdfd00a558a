import { decodeOutboxRow, type OutboxRecord } from '../codec.js';
import type { OutboxRow } from '../contract.js';
import type { SqliteContext } from './context.js';
import { insertOutbox } from './unit-of-work.js';

/** The store-level outbox, inbox and lease operations; the writes run inside a group's savepoint. */

const PENDING = 'SELECT * FROM outbox WHERE dispatched_at IS NULL ORDER BY seq LIMIT ?';
const MARK = 'UPDATE outbox SET dispatched_at = ? WHERE seq = ? AND dispatched_at IS NULL';
const PURGE_DISPATCHED = `DELETE FROM outbox WHERE seq IN (
  SELECT seq FROM outbox WHERE dispatched_at IS NOT NULL AND dispatched_at < ? ORDER BY dispatched_at LIMIT ?)`;
const BACKLOG =
  'SELECT COUNT(*) AS pending, MIN(enqueued_at) AS oldest FROM outbox WHERE dispatched_at IS NULL';
const DUE = 'SELECT * FROM scheduled WHERE due_at <= ? ORDER BY due_at, id LIMIT ?';
const UNSCHEDULE = 'DELETE FROM scheduled WHERE id = ?';
const NEXT_DUE = 'SELECT MIN(due_at) FROM scheduled';
const PURGE_INBOX = `DELETE FROM inbox WHERE (consumer, message_id) IN (
  SELECT consumer, message_id FROM inbox WHERE claimed_at < ? ORDER BY claimed_at LIMIT ?)`;
/** Takes a free or expired lease, or renews one's own; changes nothing while another owner holds it. */
const ACQUIRE = `INSERT INTO leases (name, owner, expires_at) VALUES (@name, @owner, @expiresAt)
  ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
  WHERE leases.owner = excluded.owner OR leases.expires_at <= @now`;
const RELEASE = 'DELETE FROM leases WHERE name = ? AND owner = ?';

interface ScheduledRow {
  readonly id: string;
  readonly message_id: string;
  readonly partition_key: string;
  readonly envelope: string;
}

export function pendingOutbox(context: SqliteContext, limit: number): OutboxRow[] {
  const rows = context.sql.get(PENDING).all(limit) as OutboxRecord[];
  return rows.map(decodeOutboxRow);
}

export function markDispatched(context: SqliteContext, seqs: readonly number[], now: number): void {
  const mark = context.sql.get(MARK);
  for (const seq of seqs) mark.run(now, seq);
}

export function purgeDispatched(context: SqliteContext, before: number, limit: number): number {
  return context.sql.get(PURGE_DISPATCHED).run(before, limit).changes;
}

export function outboxBacklog(context: SqliteContext): {
  pending: number;
  oldestEnqueuedAt: Date | undefined;
} {
  const { pending, oldest } = context.sql.get(BACKLOG).get() as { pending: number; oldest: number | null };
  return { pending, oldestEnqueuedAt: oldest === null ? undefined : new Date(oldest) };
}

/** Moves the due messages, earliest first, into the outbox. */
export function releaseDue(context: SqliteContext, now: number, limit: number, enqueuedAt: number): number {
  const due = context.sql.get(DUE).all(now, limit) as ScheduledRow[];
  const unschedule = context.sql.get(UNSCHEDULE);
  for (const row of due) {
    insertOutbox(
      context,
      { id: row.message_id, partitionKey: row.partition_key, json: row.envelope },
      enqueuedAt,
    );
    unschedule.run(row.id);
  }
  return due.length;
}

export function nextDueAt(context: SqliteContext): Date | undefined {
  const due = context.sql.get(NEXT_DUE).pluck().get() as number | null;
  return due === null ? undefined : new Date(due);
}

export function purgeInbox(context: SqliteContext, before: number, limit: number): number {
  return context.sql.get(PURGE_INBOX).run(before, limit).changes;
}

export function acquireLease(
  context: SqliteContext,
  lease: { name: string; owner: string; ttlMs: number },
  now: number,
): boolean {
  const { name, owner, ttlMs } = lease;
  return context.sql.get(ACQUIRE).run({ name, owner, expiresAt: now + ttlMs, now }).changes === 1;
}

export function releaseLease(context: SqliteContext, name: string, owner: string): void {
  context.sql.get(RELEASE).run(name, owner);
}
