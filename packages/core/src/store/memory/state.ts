import type { DocumentRow, EncodedMessage, EventRow, OutboxRecord, SnapshotRow } from '../codec.js';
import { StagedGroups, StagedMap } from './staged-map.js';

export interface ScheduledRecord {
  readonly id: string;
  readonly dueAt: number;
  readonly message: EncodedMessage;
}

/** An outbox row as the memory store keeps it: marked dispatched in place (only the store holds it). */
export type OutboxEntry = Omit<OutboxRecord, 'dispatched_at'> & { dispatched_at: number | null };

export interface LeaseRecord {
  readonly owner: string;
  readonly expiresAt: number;
}

/** Where a reader finds event rows: the committed state, or a transaction's view of it. */
export interface EventRowSource {
  /** The stream's rows in version order; version n at index n - 1. */
  streamRows(streamId: string): readonly EventRow[];
  rowsAfter(position: number, maxCount: number | undefined): readonly EventRow[];
  snapshot(streamId: string): SnapshotRow | undefined;
}

/** Everything the memory store has committed. Rows hold JSON text, never a caller's objects. */
export class MemoryState implements EventRowSource {
  /** The global log: position n at index n - 1. */
  readonly log: EventRow[] = [];
  readonly streams = new Map<string, EventRow[]>();
  readonly eventIds = new Set<string>();
  readonly snapshots = new Map<string, SnapshotRow>();
  /** By seq, in seq order. */
  readonly outbox = new Map<number, OutboxEntry>();
  nextSeq = 1;
  /** Every seq below this one is dispatched (or purged): where reading the pending outbox starts. */
  firstPendingSeq = 1;
  /** Claim time by consumer, then message id. */
  readonly inbox = new Map<string, Map<string, number>>();
  readonly checkpoints = new Map<string, number>();
  /** By collection, then id. */
  readonly documents = new Map<string, Map<string, DocumentRow>>();
  readonly scheduled = new Map<string, ScheduledRecord>();
  readonly leases = new Map<string, LeaseRecord>();

  streamRows(streamId: string): readonly EventRow[] {
    return this.streams.get(streamId) ?? [];
  }

  rowsAfter(position: number, maxCount: number | undefined): readonly EventRow[] {
    return this.log.slice(position, maxCount === undefined ? undefined : position + maxCount);
  }

  snapshot(streamId: string): SnapshotRow | undefined {
    return this.snapshots.get(streamId);
  }
}

/**
 * One transaction's writes, staged over the committed state. Positions and seqs are final
 * when staged: transactions run one at a time, so nothing else takes them first.
 */
export class Draft implements EventRowSource {
  private readonly events: EventRow[] = [];
  /** The staged rows of each stream appended to (made on the first append). */
  private streams: Map<string, EventRow[]> | undefined;
  private readonly outbox: OutboxEntry[] = [];
  readonly snapshots: StagedMap<SnapshotRow>;
  readonly inbox: StagedGroups<number>;
  readonly checkpoints: StagedMap<number>;
  readonly documents: StagedGroups<DocumentRow>;
  readonly scheduled: StagedMap<ScheduledRecord>;
  /** Whether committing this draft must wake the outbox listeners. */
  outboxWritten = false;

  constructor(private readonly state: MemoryState) {
    this.snapshots = new StagedMap(state.snapshots);
    this.inbox = new StagedGroups(state.inbox);
    this.checkpoints = new StagedMap(state.checkpoints);
    this.documents = new StagedGroups(state.documents);
    this.scheduled = new StagedMap(state.scheduled);
  }

  streamRows(streamId: string): readonly EventRow[] {
    const staged = this.streams?.get(streamId);
    const committed = this.state.streamRows(streamId);
    return staged === undefined ? committed : [...committed, ...staged];
  }

  rowsAfter(position: number, maxCount: number | undefined): readonly EventRow[] {
    const committed = this.state.rowsAfter(position, maxCount);
    const staged = this.events.filter((row) => row.position > position);
    return [...committed, ...staged].slice(0, maxCount);
  }

  snapshot(streamId: string): SnapshotRow | undefined {
    return this.snapshots.get(streamId);
  }

  hasEvent(id: string): boolean {
    return this.state.eventIds.has(id) || this.events.some((row) => row.id === id);
  }

  /** The position the next staged event gets. */
  get nextPosition(): number {
    return this.state.log.length + this.events.length + 1;
  }

  /** Stages rows positioned from `nextPosition` on. */
  stageEvents(streamId: string, rows: readonly EventRow[]): void {
    this.streams ??= new Map();
    let staged = this.streams.get(streamId);
    if (staged === undefined) {
      staged = [];
      this.streams.set(streamId, staged);
    }
    for (const row of rows) {
      this.events.push(row);
      staged.push(row);
    }
  }

  stageOutbox(message: EncodedMessage, enqueuedAt: number): void {
    this.outbox.push({
      seq: this.state.nextSeq + this.outbox.length,
      message_id: message.id,
      partition_key: message.partitionKey,
      envelope: message.json,
      enqueued_at: enqueuedAt,
      dispatched_at: null,
    });
    this.outboxWritten = true;
  }

  commit(): void {
    for (const row of this.events) {
      this.state.log.push(row);
      this.state.eventIds.add(row.id);
      const stream = this.state.streams.get(row.stream_id);
      if (stream === undefined) this.state.streams.set(row.stream_id, [row]);
      else stream.push(row);
    }
    for (const record of this.outbox) this.state.outbox.set(record.seq, record);
    this.state.nextSeq += this.outbox.length;
    this.snapshots.apply();
    this.inbox.apply();
    this.checkpoints.apply();
    this.documents.apply();
    this.scheduled.apply();
  }
}
