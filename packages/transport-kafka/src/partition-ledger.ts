import type { KafkaMessage } from 'kafkajs';
import { headersOf } from './binding.js';
import { encodeProgress, type PartitionProgress } from './commit-metadata.js';

export type EntryState = 'waiting' | 'out' | 'acked';

/** One fetched message of a partition, from fetch until acked (or until the epoch ends). */
export interface LedgerEntry {
  readonly ledger: PartitionLedger;
  readonly offset: number;
  /** The record key, which is the partition key; undefined keys never hold anything back. */
  readonly key: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  deliveries: number;
  state: EntryState;
  /** A given-back message is not handed out again before this time. */
  availableAt: number;
  /** An out message neither acked nor extended by then means the member lost track of it. */
  deadline: number;
  /** The ledger version its ack produced; a commit of that version or later records it. */
  ackedInVersion: number;
}

export interface CommitSnapshot {
  readonly ledger: PartitionLedger;
  readonly offset: string;
  readonly metadata: string;
  readonly end: number;
  readonly version: number;
}

/**
 * This member's account of one partition during one assignment epoch: the messages fetched and
 * not yet acked, what the previous owner left in the commit metadata, and what the last confirmed
 * commit recorded. Kafka keeps one offset per partition; the ledger commits the lowest unacked
 * offset and lists the rest in the metadata, so acks above a gap are never delivered again.
 */
export class PartitionLedger {
  /** Fetched entries in offset order; those before `head` are acked and forgotten. */
  private entries: LedgerEntry[] = [];
  private head = 0;
  /** Unacked entries per key, oldest first: only the first of each may be out. */
  private readonly byKey = new Map<string, LedgerEntry[]>();
  /** Keys whose oldest unacked entry waits to be handed out, in the order they became ready. */
  private readonly ready = new Set<string>();
  private fetchedEnd: number | undefined;
  private version = 0;
  private recorded = { version: 0, end: Number.NEGATIVE_INFINITY };
  private resumeFetching: (() => void) | undefined;
  private readonly awaitingRecord = new Map<LedgerEntry, (recorded: boolean) => void>();

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly committed: number | undefined,
    private readonly prior: PartitionProgress | undefined,
    private readonly limit: number,
  ) {}

  /** Takes a fetched message in; a fetched batch is always taken whole (see `isFull`). */
  admit(message: KafkaMessage): 'taken' | 'skipped' {
    const offset = Number(message.offset);
    if (this.fetchedEnd !== undefined && offset < this.fetchedEnd) return 'skipped';
    const deliveries = this.priorDeliveries(offset);
    this.fetchedEnd = offset + 1;
    this.version += 1;
    if (deliveries === undefined) return 'skipped';
    const entry: LedgerEntry = {
      ledger: this,
      offset,
      key: message.key === null ? undefined : message.key.toString(),
      headers: headersOf(message.headers),
      body: message.value ?? new Uint8Array(),
      deliveries,
      state: 'waiting',
      availableAt: 0,
      deadline: 0,
      ackedInVersion: 0,
    };
    this.entries.push(entry);
    const queue = this.byKey.get(keyOf(entry));
    if (queue !== undefined) queue.push(entry);
    else {
      this.byKey.set(keyOf(entry), [entry]);
      this.ready.add(keyOf(entry));
    }
    return 'taken';
  }

  /**
   * Entries that may be handed out now, oldest of their key first: an entry waits while an
   * earlier unacked entry of its key exists. `wakeAt` is when a given-back entry is available again.
   */
  deliverable(max: number, now: number): { entries: LedgerEntry[]; wakeAt: number | undefined } {
    const entries: LedgerEntry[] = [];
    let wakeAt: number | undefined;
    for (const key of this.ready) {
      if (entries.length >= max) break;
      const first = this.byKey.get(key)?.[0];
      if (first === undefined) continue;
      if (first.availableAt <= now) entries.push(first);
      else wakeAt = Math.min(wakeAt ?? first.availableAt, first.availableAt);
    }
    return { entries, wakeAt };
  }

  handOut(entry: LedgerEntry, deadline: number): void {
    this.ready.delete(keyOf(entry));
    entry.state = 'out';
    entry.deliveries += 1;
    entry.deadline = deadline;
    this.version += 1;
  }

  ack(entry: LedgerEntry): void {
    entry.state = 'acked';
    this.version += 1;
    entry.ackedInVersion = this.version;
    const queue = this.byKey.get(keyOf(entry));
    queue?.shift();
    if (queue === undefined || queue.length === 0) this.byKey.delete(keyOf(entry));
    else this.ready.add(keyOf(entry));
    this.forgetAckedHead();
    if (this.resumeFetching !== undefined && this.retained <= (this.limit * 3) / 4) this.resume();
  }

  giveBack(entry: LedgerEntry, availableAt: number): void {
    entry.state = 'waiting';
    entry.availableAt = availableAt;
    this.ready.add(keyOf(entry));
  }

  /** Whether the partition should stop fetching until acks bring it under its limit. */
  get isFull(): boolean {
    return this.retained >= this.limit;
  }

  /** Resolves true once a confirmed commit recorded the entry's ack, false if `giveUpWaiting` comes first. */
  whenRecorded(entry: LedgerEntry): Promise<boolean> {
    if (this.isRecorded(entry)) return Promise.resolve(true);
    return new Promise((resolve) => this.awaitingRecord.set(entry, resolve));
  }

  /** Answers every ack still waiting: the epoch is over and no later commit will record them. */
  giveUpWaiting(): void {
    for (const [entry, resolve] of this.awaitingRecord) resolve(this.isRecorded(entry));
    this.awaitingRecord.clear();
  }

  isRecorded(entry: LedgerEntry): boolean {
    return this.recorded.version >= entry.ackedInVersion && entry.offset < this.recorded.end;
  }

  get isDirty(): boolean {
    return this.version > this.recorded.version && this.fetchedEnd !== undefined;
  }

  /** The offset and metadata to commit for the ledger's current state. */
  snapshot(): CommitSnapshot | undefined {
    if (this.fetchedEnd === undefined) return undefined;
    const base = this.entries[this.head]?.offset ?? this.fetchedEnd;
    const unacked = new Map<number, number>();
    for (let index = this.head; index < this.entries.length; index++) {
      const entry = this.entries[index] as LedgerEntry;
      if (entry.state !== 'acked') unacked.set(entry.offset, entry.deliveries);
    }
    for (const [offset, deliveries] of this.prior?.unacked ?? []) {
      if (offset >= this.fetchedEnd) unacked.set(offset, deliveries);
    }
    const end = Math.max(this.fetchedEnd, this.prior?.end ?? 0);
    const encoded = encodeProgress(base, { end, unacked });
    return { ledger: this, offset: String(base), version: this.version, ...encoded };
  }

  confirm(snapshot: CommitSnapshot): void {
    if (snapshot.version <= this.recorded.version) return;
    this.recorded = { version: snapshot.version, end: snapshot.end };
    for (const [entry, resolve] of this.awaitingRecord) {
      if (!this.isRecorded(entry)) continue;
      this.awaitingRecord.delete(entry);
      resolve(true);
    }
  }

  /** Stops fetching this partition until acks bring it down to three quarters of its limit. */
  pauseFetching(resume: () => void): void {
    this.resumeFetching = resume;
  }

  resume(): void {
    const resume = this.resumeFetching;
    this.resumeFetching = undefined;
    resume?.();
  }

  /** Entries kept: from the oldest unacked one to the newest fetched. */
  private get retained(): number {
    return this.entries.length - this.head;
  }

  private forgetAckedHead(): void {
    while (this.entries[this.head]?.state === 'acked') this.head += 1;
    if (this.head > 1_024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** How often the previous owner delivered `offset`; undefined when it already acked it. */
  private priorDeliveries(offset: number): number | undefined {
    if (this.committed !== undefined && offset < this.committed) return undefined;
    if (this.prior === undefined || offset >= this.prior.end) return 0;
    return this.prior.unacked.get(offset);
  }
}

/** Keyless records never wait for one another. */
function keyOf(entry: LedgerEntry): string {
  return entry.key ?? `\u0000${entry.offset}`;
}
