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
  private readonly entries: LedgerEntry[] = [];
  private fetchedEnd: number | undefined;
  private version = 0;
  private recorded = { version: 0, end: Number.NEGATIVE_INFINITY };
  private resumeFetching: (() => void) | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly committed: number | undefined,
    private readonly prior: PartitionProgress | undefined,
    private readonly limit: number,
  ) {}

  /** Takes a fetched message in; 'full' when the partition must pause until acks make room. */
  admit(message: KafkaMessage): 'taken' | 'skipped' | 'full' {
    const offset = Number(message.offset);
    if (this.fetchedEnd !== undefined && offset < this.fetchedEnd) return 'skipped';
    const deliveries = this.priorDeliveries(offset);
    if (deliveries !== undefined && this.entries.length >= this.limit) return 'full';
    this.fetchedEnd = offset + 1;
    this.version += 1;
    if (deliveries === undefined) return 'skipped';
    this.entries.push({
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
    });
    return 'taken';
  }

  /**
   * Entries that may be handed out now, oldest first: not held back by an earlier unacked entry
   * of their key. `wakeAt` is when a given-back entry becomes available again.
   */
  deliverable(max: number, now: number): { entries: LedgerEntry[]; wakeAt: number | undefined } {
    const entries: LedgerEntry[] = [];
    const heldKeys = new Set<string>();
    let wakeAt: number | undefined;
    for (const entry of this.entries) {
      if (entries.length >= max) break;
      if (entry.state === 'acked') continue;
      const free = entry.key === undefined || !heldKeys.has(entry.key);
      if (free && entry.state === 'waiting') {
        if (entry.availableAt <= now) entries.push(entry);
        else wakeAt = Math.min(wakeAt ?? entry.availableAt, entry.availableAt);
      }
      if (entry.key !== undefined) heldKeys.add(entry.key);
    }
    return { entries, wakeAt };
  }

  handOut(entry: LedgerEntry, deadline: number): void {
    entry.state = 'out';
    entry.deliveries += 1;
    entry.deadline = deadline;
    this.version += 1;
  }

  ack(entry: LedgerEntry): void {
    entry.state = 'acked';
    this.version += 1;
    entry.ackedInVersion = this.version;
    while (this.entries[0]?.state === 'acked') this.entries.shift();
    if (this.resumeFetching !== undefined && this.entries.length <= this.limit / 2) this.resume();
  }

  giveBack(entry: LedgerEntry, availableAt: number): void {
    entry.state = 'waiting';
    entry.availableAt = availableAt;
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
    const base = this.entries.find((entry) => entry.state !== 'acked')?.offset ?? this.fetchedEnd;
    const unacked = new Map<number, number>();
    for (const entry of this.entries)
      if (entry.state !== 'acked') unacked.set(entry.offset, entry.deliveries);
    for (const [offset, deliveries] of this.prior?.unacked ?? []) {
      if (offset >= this.fetchedEnd) unacked.set(offset, deliveries);
    }
    const end = Math.max(this.fetchedEnd, this.prior?.end ?? 0);
    const encoded = encodeProgress(base, { end, unacked });
    return { ledger: this, offset: String(base), version: this.version, ...encoded };
  }

  confirm(snapshot: CommitSnapshot): void {
    if (snapshot.version > this.recorded.version)
      this.recorded = { version: snapshot.version, end: snapshot.end };
  }

  /** Stops fetching this partition until acks bring it down to half its limit. */
  pauseFetching(resume: () => void): void {
    this.resumeFetching = resume;
  }

  resume(): void {
    const resume = this.resumeFetching;
    this.resumeFetching = undefined;
    resume?.();
  }

  /** How often the previous owner delivered `offset`; undefined when it already acked it. */
  private priorDeliveries(offset: number): number | undefined {
    if (this.committed !== undefined && offset < this.committed) return undefined;
    if (this.prior === undefined || offset >= this.prior.end) return 0;
    return this.prior.unacked.get(offset);
  }
}
