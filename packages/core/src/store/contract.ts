import type { Envelope } from '../envelope/envelope.js';
import type { JsonValue } from '../envelope/json.js';

/** What the writer believes about the stream: exact version, or one of three looser rules. */
export type ExpectedVersion = 'any' | 'no-stream' | 'exists' | number;

/** An event as stored: its envelope plus where it sits in its stream and in the global log. */
export interface StoredEvent extends Envelope {
  readonly streamId: string;
  /** 1-based position in the stream; a stream's version is the version of its last event. */
  readonly version: number;
  /** Position in the global log: strictly increasing in commit order, never reused. */
  readonly position: number;
}

export interface AppendResult {
  readonly streamId: string;
  readonly previousVersion: number;
  readonly version: number;
  readonly events: readonly StoredEvent[];
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive; forwards defaults to 1, backwards to the last event. */
  readonly fromVersion?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive global position to read after; 0 reads from the start. */
  readonly after?: number;
  readonly maxCount?: number;
}

export interface Snapshot {
  readonly streamId: string;
  readonly version: number;
  /** Version of the state's shape; a snapshot of another shape is ignored. */
  readonly schemaversion: number;
  readonly state: JsonValue;
}

/** Reads that need no transaction; inside one they also see its own uncommitted writes. */
export interface EventReader {
  /** 0 when the stream does not exist. */
  streamVersion(streamId: string): Promise<number>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  loadSnapshot(streamId: string): Promise<Snapshot | undefined>;
}

export interface StoredDocument<T = JsonValue> {
  readonly id: string;
  readonly version: number;
  readonly value: T;
}

/**
 * JSON documents by collection and id with optimistic versions: the read models of
 * projections and the state of sagas live here, so they commit with everything else.
 */
export interface DocumentCollection<T = JsonValue> {
  get(id: string): Promise<StoredDocument<T> | undefined>;
  /** Writes `value`; with `expectedVersion` (0 = must not exist) a mismatch throws ConcurrencyError. */
  put(id: string, value: T, expectedVersion?: number): Promise<number>;
  delete(id: string): Promise<boolean>;
  /** Documents in id order, optionally those whose id starts with `prefix`, after `afterId`. */
  list(options?: { prefix?: string; afterId?: string; limit?: number }): Promise<StoredDocument<T>[]>;
  /** How many documents the collection holds, or only those whose id starts with `prefix`. */
  count(options?: { prefix?: string }): Promise<number>;
}

export interface ScheduledMessage {
  /** Stable id: scheduling the same id twice keeps the first; cancel uses it. */
  readonly id: string;
  readonly dueAt: Date;
  readonly envelope: Envelope;
}

/** All writes of one transaction: they commit together or not at all. */
export interface UnitOfWork extends EventReader {
  append(streamId: string, events: readonly Envelope[], expected: ExpectedVersion): Promise<AppendResult>;
  saveSnapshot(snapshot: Snapshot): Promise<void>;
  /** Messages leave the process only through here: the relay publishes them after commit. */
  enqueue(messages: readonly Envelope[]): Promise<void>;
  /** True the first time (consumer, messageId) is claimed; false for a duplicate. */
  claim(consumer: string, messageId: string): Promise<boolean>;
  loadCheckpoint(name: string): Promise<number | undefined>;
  saveCheckpoint(name: string, position: number): Promise<void>;
  documents<T = JsonValue>(collection: string): DocumentCollection<T>;
  schedule(message: ScheduledMessage): Promise<void>;
  cancelScheduled(id: string): Promise<boolean>;
}

export interface OutboxRow {
  /** Commit-ordered sequence of the row in the outbox. */
  readonly seq: number;
  readonly envelope: Envelope;
  readonly enqueuedAt: Date;
}

/** What the relay needs from the store, beside transactions. */
export interface OutboxSource {
  /** Committed, undispatched rows in commit order, never a row behind an uncommitted one. */
  pendingOutbox(limit: number): Promise<OutboxRow[]>;
  markDispatched(seqs: readonly number[]): Promise<void>;
  /** Deletes up to `limit` rows dispatched before `before`; returns how many. */
  purgeDispatched(before: Date, limit: number): Promise<number>;
  /** Moves up to `limit` scheduled messages due at `now` into the outbox, atomically. */
  releaseDue(now: Date, limit: number): Promise<number>;
  /** Earliest due time of a scheduled message, to sleep until it. */
  nextDueAt(): Promise<Date | undefined>;
  /** Calls `listener` after each commit that wrote outbox or scheduled rows; returns an unsubscribe. */
  onOutboxCommit(listener: () => void): () => void;
  outboxBacklog(): Promise<{ readonly pending: number; readonly oldestEnqueuedAt: Date | undefined }>;
}

export interface InboxMaintenance {
  /** Deletes up to `limit` inbox claims made before `before`; returns how many. */
  purgeInbox(before: Date, limit: number): Promise<number>;
}

/** Named leases so that one process at a time runs a singleton (the relay). */
export interface LeaseManager {
  /** Takes or renews `name` for `owner` until now + ttl; false while another owner holds it. */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;
}

export interface EventStore extends EventReader, OutboxSource, InboxMaintenance, LeaseManager {
  readonly kind: string;
  /**
   * Runs `work` in one transaction: every write commits together after it resolves, or none
   * does if it throws. The store may run concurrent callers in one physical transaction
   * (group commit), each isolated by a savepoint.
   */
  transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
