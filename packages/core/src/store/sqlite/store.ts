import { StoreClosedError } from '../../errors.js';
import type {
  OutboxRow,
  ReadAllOptions,
  ReadStreamOptions,
  Snapshot,
  StoredEvent,
  UnitOfWork,
} from '../contract.js';
import { nowMillis, type StoreSettings } from '../options.js';
import { OutboxSignal } from '../outbox-signal.js';
import { assertOutsideTransaction, inTransactionScope } from '../transaction-scope.js';
import { runUnitOfWork } from '../unit-of-work-guard.js';
import { requireDate, requireSeqs, requireWholeNumber, validateLease } from '../validate.js';
import { type Connection, Statements, storeFailure } from './connection.js';
import type { SqliteContext } from './context.js';
import { GroupCommit, type GroupCommitStats, type JobContext } from './group-commit.js';
import type { SqliteEventStore, SqlitePragmas } from './open.js';
import type { SqliteSettings } from './options.js';
import * as outbox from './outbox.js';
import { SqliteEventReader } from './reader.js';
import { SqliteTransactionControl } from './transaction-control.js';
import { SqliteUnitOfWork } from './unit-of-work.js';

/** One connection; every transaction a caller of the group commit. */
export class SqliteStore implements SqliteEventStore {
  readonly kind = 'sqlite';
  private readonly context: SqliteContext;
  private readonly queue: GroupCommit;
  private readonly signal = new OutboxSignal();
  private readonly committed: SqliteEventReader;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly db: Connection,
    settings: StoreSettings,
    sqlite: SqliteSettings,
    private readonly schemaVersion: number,
  ) {
    const sql = new Statements(db);
    const atomic = db.transaction((action: () => unknown) => action());
    this.context = { db, sql, settings, atomically: <T>(action: () => T) => atomic(action) as T };
    this.queue = new GroupCommit(new SqliteTransactionControl(db, sql), {
      maxGroup: sqlite.maxGroupSize,
      onCommitted: (jobs) => {
        if (jobs.some((job) => job.outboxWritten)) this.signal.notify();
      },
    });
    this.committed = new SqliteEventReader(this.context, (operation, action) => this.read(operation, action));
  }

  async transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    this.assertUsable('transaction');
    return this.queue.run((job) =>
      inTransactionScope(this, () => runUnitOfWork(new SqliteUnitOfWork(this.context, job), work)),
    );
  }

  streamVersion(streamId: string): Promise<number> {
    return this.committed.streamVersion(streamId);
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.committed.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.committed.readAll(options);
  }

  loadSnapshot(streamId: string): Promise<Snapshot | undefined> {
    return this.committed.loadSnapshot(streamId);
  }

  pendingOutbox(limit: number): Promise<OutboxRow[]> {
    return this.read('read the outbox', () => {
      requireWholeNumber(limit, 'limit');
      return outbox.pendingOutbox(this.context, limit);
    });
  }

  async markDispatched(seqs: readonly number[]): Promise<void> {
    requireSeqs(seqs);
    await this.write('mark outbox rows dispatched', () =>
      outbox.markDispatched(this.context, seqs, this.now()),
    );
  }

  async purgeDispatched(before: Date, limit: number): Promise<number> {
    const beforeMillis = requireDate(before, 'before');
    requireWholeNumber(limit, 'limit');
    return this.write('purge dispatched outbox rows', () =>
      outbox.purgeDispatched(this.context, beforeMillis, limit),
    );
  }

  async releaseDue(now: Date, limit: number): Promise<number> {
    const nowMs = requireDate(now, 'now');
    requireWholeNumber(limit, 'limit');
    return this.write('release due messages', (job) => {
      const released = outbox.releaseDue(this.context, nowMs, limit, this.now());
      if (released > 0) job.outboxWritten = true;
      return released;
    });
  }

  nextDueAt(): Promise<Date | undefined> {
    return this.read('read the next due time', () => outbox.nextDueAt(this.context));
  }

  onOutboxCommit(listener: () => void): () => void {
    return this.signal.subscribe(listener);
  }

  outboxBacklog(): Promise<{ readonly pending: number; readonly oldestEnqueuedAt: Date | undefined }> {
    return this.read('read the outbox backlog', () => outbox.outboxBacklog(this.context));
  }

  async purgeInbox(before: Date, limit: number): Promise<number> {
    const beforeMillis = requireDate(before, 'before');
    requireWholeNumber(limit, 'limit');
    return this.write('purge inbox claims', () => outbox.purgeInbox(this.context, beforeMillis, limit));
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    validateLease(name, owner, ttlMs);
    return this.write('acquire a lease', () =>
      outbox.acquireLease(this.context, { name, owner, ttlMs }, this.now()),
    );
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    validateLease(name, owner);
    await this.write('release a lease', () => outbox.releaseLease(this.context, name, owner));
  }

  async close(): Promise<void> {
    assertOutsideTransaction(this, 'close');
    this.closing ??= this.queue.idle().then(() => {
      this.db.close();
    });
    return this.closing;
  }

  stats(): GroupCommitStats {
    return this.queue.stats();
  }

  pragmas(): SqlitePragmas {
    this.assertUsable('pragmas');
    const pragma = (name: string) => this.db.pragma(name, { simple: true });
    return {
      synchronous: pragma('synchronous') as number,
      journalMode: pragma('journal_mode') as string,
      foreignKeys: pragma('foreign_keys') as number,
      busyTimeoutMs: pragma('busy_timeout') as number,
      schemaVersion: this.schemaVersion,
    };
  }

  /** A read of committed state: now if no transaction is open, else right after it closes. */
  private async read<T>(operation: string, action: () => T): Promise<T> {
    this.assertUsable(operation);
    return this.queue.read(() => mapFailure(operation, action));
  }

  /** A store-level write: one more caller of the group commit, in its own savepoint. */
  private async write<T>(operation: string, action: (job: JobContext) => T): Promise<T> {
    this.assertUsable(operation);
    return this.queue.run(async (job) => mapFailure(operation, () => action(job)));
  }

  private now(): number {
    return nowMillis(this.context.settings.clock);
  }

  private assertUsable(operation: string): void {
    if (this.closing !== undefined) throw new StoreClosedError(this.kind);
    assertOutsideTransaction(this, operation);
  }
}

function mapFailure<T>(operation: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw storeFailure(error, operation);
  }
}
