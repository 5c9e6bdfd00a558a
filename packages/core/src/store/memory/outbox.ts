import { decodeOutboxRow } from '../codec.js';
import type { OutboxRow } from '../contract.js';
import type { Draft, LeaseRecord, MemoryState, OutboxEntry } from './state.js';
import { compareCodePoints } from './text-order.js';

/** The store-level outbox, inbox and lease operations, over committed state (callers hold the mutex). */

export function pendingOutbox(state: MemoryState, limit: number): OutboxRow[] {
  const rows: OutboxRow[] = [];
  for (const record of undispatched(state)) {
    if (rows.length >= limit) break;
    rows.push(decodeOutboxRow(record));
  }
  return rows;
}

export function markDispatched(state: MemoryState, seqs: readonly number[], now: number): void {
  for (const seq of seqs) {
    const record = state.outbox.get(seq);
    if (record !== undefined && record.dispatched_at === null) record.dispatched_at = now;
  }
  while (state.firstPendingSeq < state.nextSeq && !isPending(state, state.firstPendingSeq)) {
    state.firstPendingSeq += 1;
  }
}

/** The undispatched rows in seq order, from the first one on (not over the dispatched before it). */
function* undispatched(state: MemoryState): Generator<OutboxEntry> {
  for (let seq = state.firstPendingSeq; seq < state.nextSeq; seq++) {
    const record = state.outbox.get(seq);
    if (record !== undefined && record.dispatched_at === null) yield record;
  }
}

function isPending(state: MemoryState, seq: number): boolean {
  return state.outbox.get(seq)?.dispatched_at === null;
}

export function purgeDispatched(state: MemoryState, before: number, limit: number): number {
  return deleteWhere(
    state.outbox,
    limit,
    (record) => record.dispatched_at !== null && record.dispatched_at < before,
  );
}

export function purgeInbox(state: MemoryState, before: number, limit: number): number {
  let purged = 0;
  for (const claims of state.inbox.values()) {
    purged += deleteWhere(claims, limit - purged, (claimedAt) => claimedAt < before);
  }
  return purged;
}

/** Moves the due messages, earliest first, into the draft's outbox. */
export function releaseDue(
  draft: Draft,
  state: MemoryState,
  now: number,
  limit: number,
  enqueuedAt: number,
): number {
  const due = [...state.scheduled.values()]
    .filter((record) => record.dueAt <= now)
    .sort((a, b) => a.dueAt - b.dueAt || compareCodePoints(a.id, b.id))
    .slice(0, limit);
  for (const record of due) {
    draft.scheduled.delete(record.id);
    draft.stageOutbox(record.message, enqueuedAt);
  }
  return due.length;
}

export function nextDueAt(state: MemoryState): Date | undefined {
  let earliest: number | undefined;
  for (const { dueAt } of state.scheduled.values()) {
    if (earliest === undefined || dueAt < earliest) earliest = dueAt;
  }
  return earliest === undefined ? undefined : new Date(earliest);
}

export function outboxBacklog(state: MemoryState): { pending: number; oldestEnqueuedAt: Date | undefined } {
  let pending = 0;
  let oldest: number | undefined;
  for (const record of undispatched(state)) {
    pending++;
    oldest = Math.min(oldest ?? record.enqueued_at, record.enqueued_at);
  }
  return { pending, oldestEnqueuedAt: oldest === undefined ? undefined : new Date(oldest) };
}

export function acquireLease(
  leases: Map<string, LeaseRecord>,
  lease: { name: string; owner: string; ttlMs: number },
  now: number,
): boolean {
  const current = leases.get(lease.name);
  if (current !== undefined && current.owner !== lease.owner && current.expiresAt > now) return false;
  leases.set(lease.name, { owner: lease.owner, expiresAt: now + lease.ttlMs });
  return true;
}

export function releaseLease(leases: Map<string, LeaseRecord>, name: string, owner: string): void {
  if (leases.get(name)?.owner === owner) leases.delete(name);
}

function deleteWhere<K, V>(map: Map<K, V>, limit: number, matches: (value: V) => boolean): number {
  let deleted = 0;
  for (const [key, value] of map) {
    if (deleted >= limit) break;
    if (matches(value)) {
      map.delete(key);
      deleted++;
    }
  }
  return deleted;
}
