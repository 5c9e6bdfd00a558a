import { IndexedHeap } from '../../common/indexed-heap.js';
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

/**
 * A pending message and its place in the cursor's indexes. Only the oldest pending message of
 * a key (its head) is ever handed out; a head is in exactly one heap: ready, leased or delayed.
 * A lease past its deadline stays valid (its holder may still ack) until the message is handed
 * out again: such a head waits in `ready` with its old lease.
 */
class Pending implements PendingEntry {
  deliveries = 0;
  lease: Lease | undefined = undefined;
  availableAt = 0;
  heapIndex = -1;
  /** The next pending message of the same key: it becomes the head once this one is acked. */
  behind: Pending | undefined = undefined;

  constructor(readonly message: LogMessage) {}
}

let nextToken = 1;

/**
 * One group's position in one topic: the next offset to read and the messages read but not yet
 * acked. A message is held by at most one member at a time, and a message is not handed out while
 * an earlier message of its key is pending, so per-key order holds across members and redeliveries.
 * Handing out, settling and expiring are O(log pending): heads wait in heaps, the rest behind them.
 */
export class GroupCursor {
  private readonly pending = new Map<number, Pending>();
  /** The newest pending message of each key that has one (a message without a key waits for none). */
  private readonly lastOfKey = new Map<string, Pending>();
  /** Heads that may be handed out now, oldest first. */
  private readonly ready = new IndexedHeap<Pending>((a, b) => a.message.offset < b.message.offset);
  /** Heads a member holds, by lease deadline. */
  private readonly leased = new IndexedHeap<Pending>((a, b) => a.lease!.deadline < b.lease!.deadline);
  /** Heads waiting out a nack's delay (or just given back), by when they are available. */
  private readonly delayed = new IndexedHeap<Pending>((a, b) => a.availableAt < b.availableAt);
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
    this.settleDue(now);
    const taken: PendingEntry[] = [];
    while (taken.length < max) {
      const entry = this.ready.pop() ?? this.readHead();
      if (entry === undefined) break;
      entry.lease = { token: nextToken++, member, deadline: now + ackTimeoutMs };
      entry.deliveries += 1;
      this.leased.push(entry);
      taken.push(entry);
    }
    return taken;
  }

  ack(offset: number, token: number): boolean {
    const entry = this.held(offset, token);
    if (entry === undefined) return false;
    this.unindex(entry);
    this.pending.delete(offset);
    const next = entry.behind;
    if (next !== undefined) this.ready.push(next);
    else if (entry.message.key !== undefined) this.lastOfKey.delete(entry.message.key);
    return true;
  }

  nack(offset: number, token: number, availableAt: number): boolean {
    const entry = this.held(offset, token);
    if (entry === undefined) return false;
    this.unindex(entry);
    entry.lease = undefined;
    entry.availableAt = availableAt;
    this.delayed.push(entry);
    return true;
  }

  extend(offset: number, token: number, deadline: number): boolean {
    const entry = this.held(offset, token);
    if (entry === undefined) return false;
    this.unindex(entry);
    entry.lease = { ...(entry.lease as Lease), deadline };
    this.leased.push(entry);
    return true;
  }

  /** Gives back every lease (of one member, or all on a broker restart), available at once. */
  releaseLeases(now: number, member?: string): void {
    for (const entry of this.pending.values()) {
      if (entry.lease !== undefined && (member === undefined || entry.lease.member === member)) {
        this.unindex(entry);
        entry.lease = undefined;
        entry.availableAt = now;
        this.ready.push(entry);
      }
    }
  }

  /** Messages the group has not acked: read and pending, plus those still unread in the log. */
  get lag(): number {
    return this.pending.size + this.log.endOffset - Math.max(this.nextOffset, this.log.firstOffset);
  }

  /** When something may next be handed out: now if it may already, else the earliest lease expiry or nack delay. */
  nextChangeAt(now: number): number | undefined {
    if (this.ready.size > 0) return now;
    const expiry = this.leased.peek()?.lease?.deadline;
    const delay = this.delayed.peek()?.availableAt;
    if (expiry === undefined) return delay;
    return delay === undefined ? expiry : Math.min(expiry, delay);
  }

  private held(offset: number, token: number): Pending | undefined {
    const entry = this.pending.get(offset);
    return entry?.lease?.token === token ? entry : undefined;
  }

  /** Takes a head out of whichever heap holds it. */
  private unindex(entry: Pending): void {
    if (!this.leased.remove(entry) && !this.ready.remove(entry)) this.delayed.remove(entry);
  }

  /** Expired leases and elapsed delays make their messages ready again (an expired lease ends when handed out). */
  private settleDue(now: number): void {
    for (let entry = this.leased.peek(); entry !== undefined; entry = this.leased.peek()) {
      if (entry.lease!.deadline > now) break;
      this.leased.pop();
      this.ready.push(entry);
    }
    for (let entry = this.delayed.peek(); entry !== undefined; entry = this.delayed.peek()) {
      if (entry.availableAt > now) break;
      this.delayed.pop();
      this.ready.push(entry);
    }
  }

  /** Reads on from the log, within the pending bound, to the first message no earlier one of its key holds back. */
  private readHead(): Pending | undefined {
    while (this.pending.size < this.maxPending) {
      const entry = this.readNext();
      if (entry === undefined) return undefined;
      const key = entry.message.key;
      if (key === undefined) return entry;
      const last = this.lastOfKey.get(key);
      this.lastOfKey.set(key, entry);
      if (last === undefined) return entry;
      last.behind = entry;
    }
    return undefined;
  }

  private readNext(): Pending | undefined {
    this.nextOffset = Math.max(this.nextOffset, this.log.firstOffset);
    const message = this.log.at(this.nextOffset);
    if (message === undefined) return undefined;
    this.nextOffset += 1;
    const entry = new Pending(message);
    this.pending.set(message.offset, entry);
    return entry;
  }
}
