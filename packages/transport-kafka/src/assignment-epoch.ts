import { Notifier } from '@eventloom/core';
import { decodeProgress } from './commit-metadata.js';
import type { LedgerEntry } from './partition-ledger.js';
import { PartitionLedger } from './partition-ledger.js';

export interface CommittedOffset {
  readonly partition: number;
  readonly offset: string;
  readonly metadata: string | null;
}

/** Reads the group's committed offsets (with metadata) of one topic. */
export type ReadCommitted = (topic: string) => Promise<readonly CommittedOffset[]>;

/**
 * One assignment of partitions to this member, from joining the group until the next rebalance,
 * crash or leave. Deliveries belong to the epoch they were handed out in: once it is over their
 * acks no longer count (another member reads their partition from the committed offset), and
 * messages fetched but not handed out are dropped, never delivered by this epoch.
 */
export class AssignmentEpoch {
  private state: 'live' | 'ending' | 'over' = 'live';
  private readonly ledgers = new Map<string, Promise<PartitionLedger>>();
  private readonly known: PartitionLedger[] = [];
  private readonly committedOf = new Map<string, Promise<readonly CommittedOffset[]>>();
  /** Handed out and neither acked nor given back. */
  readonly out = new Set<LedgerEntry>();
  /** Wakes ack waiters on every confirmed commit and when the epoch ends. */
  readonly changes = new Notifier();

  constructor(
    readonly id: number,
    private readonly readCommitted: ReadCommitted,
    private readonly maxUnackedPerPartition: number,
  ) {}

  /** Deliveries can be handed out and acked. */
  get isLive(): boolean {
    return this.state === 'live';
  }

  /** A last commit may still record acks made while it was live. */
  get isOver(): boolean {
    return this.state === 'over';
  }

  ledgerFor(topic: string, partition: number): Promise<PartitionLedger> {
    const id = `${partition}:${topic}`;
    let ledger = this.ledgers.get(id);
    if (ledger === undefined) {
      ledger = this.openLedger(topic, partition);
      this.ledgers.set(id, ledger);
      ledger.catch(() => this.ledgers.delete(id));
    }
    return ledger;
  }

  get partitions(): readonly PartitionLedger[] {
    return this.known;
  }

  /** No more hand-outs or acks; fetching resumes so the next epoch starts unpaused. */
  stopTaking(): void {
    if (this.state !== 'live') return;
    this.state = 'ending';
    for (const ledger of this.known) ledger.resume();
    this.changes.notifyAll();
  }

  /** Settles every ack waiter: what the last commit recorded counts, nothing else does. */
  end(): void {
    this.stopTaking();
    this.state = 'over';
    for (const ledger of this.known) ledger.giveUpWaiting();
    this.changes.notifyAll();
  }

  private async openLedger(topic: string, partition: number): Promise<PartitionLedger> {
    let committed = this.committedOf.get(topic);
    if (committed === undefined) {
      committed = this.readCommitted(topic);
      this.committedOf.set(topic, committed);
      committed.catch(() => this.committedOf.delete(topic));
    }
    const found = (await committed).find((entry) => entry.partition === partition);
    const offset = found === undefined || Number(found.offset) < 0 ? undefined : Number(found.offset);
    const prior = offset === undefined ? undefined : decodeProgress(offset, found?.metadata);
    const ledger = new PartitionLedger(topic, partition, offset, prior, this.maxUnackedPerPartition);
    this.known.push(ledger);
    return ledger;
  }
}
