import type { LogMessage, TopicLog } from './topic-log.js';

/** A member's exclusive hold on one pending message until `deadline`. */
export interface Lease {
  readonly token: number;
  readonly member: string;
  deadline: number;
}

/** A message the group has read from the log and not yet acked. */
export interface PendingEntry {
  readonly message: LogMessage;
  deliveries: number;
  lease: Lease | undefined;
  /** Not to be handed out before this time (a nack's delay). */
  availableAt: number;
}

let nextToken = 1;

/**
 * One group's position in one topic: the next offset to read and the messages read but not yet
 * acked. A message is held by at most one member at a time, and a message is not handed out while
 * an earlier message of its key is pending, so per-key order holds across members and redeliveries.
 */
export class GroupCursor {
  private readonly pending = new Map<number, PendingEntry>();
  private nextOffset: number;

  constructor(
    private readonly log: TopicLog,
    from: 'start' | 'new',
    private readonly maxPending: number,
  ) {
    this.nextOffset = from === 'start' ? log.firstOffset : log.endOffset;
  }

  /** Leases up to `max` messages to `member`, oldest first, skipping keys held back by earlier ones. */
  lease(member: string, max: number, now: number, ackTimeoutMs: number): PendingEntry[] {
    const taken: PendingEntry[] = [];
    const blockedKeys = new Set<string>();
    const offer = (entry: PendingEntry) => {
      const key = entry.message.key ?? `#${entry.message.offset}`;
      if (this.expire(entry, now) && entry.availableAt <= now && !blockedKeys.has(key)) {
        entry.lease = { token: nextToken++, member, deadline: now + ackTimeoutMs };
        entry.deliveries += 1;
        taken.push(entry);
      }
      blockedKeys.add(key);
    };
    for (const entry of this.pending.values()) {
      if (taken.length >= max) return taken;
      offer(entry);
    }
    while (taken.length < max && this.pending.size < this.maxPending) {
      const entry = this.readNext();
      if (entry === undefined) break;
      offer(entry);
    }
    return taken;
  }

  ack(offset: number, token: number): boolean {
    const entry = this.held(offset, token);
    if (entry === undefined) return false;
    this.pending.delete(offset);
    return true;
  }

  nack(offset: number, token: number, availableAt: number): boolean {
    const entry = this.held(offset, token);
    if (entry === undefined) return false;
    entry.lease = undefined;
    entry.availableAt = availableAt;
    return true;
  }

  extend(offset: number, token: number, deadline: number): boolean {
    const entry = this.held(offset, token);
    if (entry === undefined) return false;
    entry.lease = { ...(entry.lease as Lease), deadline };
    return true;
  }

  /** Gives back every lease (of one member, or all on a broker restart), available at once. */
  releaseLeases(now: number, member?: string): void {
    for (const entry of this.pending.values()) {
      if (entry.lease !== undefined && (member === undefined || entry.lease.member === member)) {
        entry.lease = undefined;
        entry.availableAt = now;
      }
    }
  }

  /** The earliest time a lease expires or a nacked message becomes available again. */
  nextChangeAt(now: number): number | undefined {
    let earliest: number | undefined;
    for (const entry of this.pending.values()) {
      const at = entry.lease?.deadline ?? entry.availableAt;
      if (at > now && (earliest === undefined || at < earliest)) earliest = at;
    }
    return earliest;
  }

  private held(offset: number, token: number): PendingEntry | undefined {
    const entry = this.pending.get(offset);
    return entry?.lease?.token === token ? entry : undefined;
  }

  /** Clears an expired lease; true when the entry is not leased. */
  private expire(entry: PendingEntry, now: number): boolean {
    if (entry.lease !== undefined && entry.lease.deadline <= now) entry.lease = undefined;
    return entry.lease === undefined;
  }

  private readNext(): PendingEntry | undefined {
    this.nextOffset = Math.max(this.nextOffset, this.log.firstOffset);
    const message = this.log.at(this.nextOffset);
    if (message === undefined) return undefined;
    this.nextOffset += 1;
    const entry: PendingEntry = { message, deliveries: 0, lease: undefined, availableAt: 0 };
    this.pending.set(message.offset, entry);
    return entry;
  }
}
