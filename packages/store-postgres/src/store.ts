import {
  type EventStore,
  type OutboxRow,
  type ReadAllOptions,
  type ReadStreamOptions,
  type Snapshot,
  StoreClosedError,
  type StoredEvent,
  type UnitOfWork,
  uuidv7,
} from '@eventloom/core';
import {
  assertOutsideTransaction,
  nowMillis,
  OutboxSignal,
  requireDate,
  requireSeqs,
  requireWholeNumber,
  type SharedGroupCommit,
  validateLease,
} from '@eventloom/core/store-kit';
import { CommittedEventReader } from './committed-reader.js';
import type { PostgresGroupTransaction } from './group-commit.js';
import { SettledHorizon } from './horizon.js';
import { purgeInbox } from './inbox.js';
import * as leases from './leases.js';
import { OutboxListener } from './listener.js';
import { type PostgresSettings, type PostgresStoreOptions, resolvePostgresOptions } from './options.js';
import * as outbox from './outbox.js';
import * as scheduled from './scheduled.js';
import { migrate } from './schema/migrate.js';
import { type Tables, tablesOf } from './schema/tables.js';
import {
  groupCommitOver,
  runGroupedTransaction,
  runTransaction,
  type TransactionContext,
} from './transaction.js';

/** Opens the store: checks the options, then creates or migrates its schema. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<EventStore> {
  const settings = resolvePostgresOptions(options);
  const tables = tablesOf(settings.schemaName);
  try {
    await migrate(settings.pool, tables);
  } catch (error) {
    if (settings.ownsPool) await settings.pool.end();
    throw error;
  }
  return new PostgresEventStore(settings, tables);
}

class PostgresEventStore implements EventStore {
  readonly kind = 'postgres';
  private readonly committed: CommittedEventReader;
  private readonly context: TransactionContext;
  private readonly signal = new OutboxSignal();
  private readonly listener: OutboxListener;
  private readonly running = new Set<Promise<unknown>>();
  private readonly outboxHorizon: SettledHorizon;
  private readonly groups: SharedGroupCommit<PostgresGroupTransaction> | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly settings: PostgresSettings,
    private readonly tables: Tables,
  ) {
    const notice = { channel: tables.outboxChannel, sender: uuidv7() };
    this.committed = new CommittedEventReader(settings.pool, tables, settings);
    this.outboxHorizon = new SettledHorizon({ table: tables.outbox, sequence: tables.outboxSeq });
    this.context = {
      store: this,
      pool: settings.pool,
      tables,
      settings,
      notice,
      committedOutbox: () => this.signal.notify(),
    };
    this.groups =
      settings.groupCommit === undefined ? undefined : groupCommitOver(this.context, settings.groupCommit);
    this.listener = new OutboxListener(settings.pool, notice.channel, notice.sender, () =>
      this.signal.notify(),
    );
  }

  async transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const groups = this.groups;
    if (groups === undefined) return this.track('transaction', () => runTransaction(this.context, work));
    return this.track('transaction', () => runGroupedTransaction(this.context, groups, work));
  }

  async streamVersion(streamId: string): Promise<number> {
    return this.track('streamVersion', () => this.committed.streamVersion(streamId));
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.track('readStream', () => this.committed.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.track('readAll', () => this.committed.readAll(options));
  }

  async loadSnapshot(streamId: string): Promise<Snapshot | undefined> {
    return this.track('loadSnapshot', () => this.committed.loadSnapshot(streamId));
  }

  async pendingOutbox(limit: number): Promise<OutboxRow[]> {
    requireWholeNumber(limit, 'limit');
    return this.track('pendingOutbox', async () => {
      const settled = await this.outboxHorizon.advance(this.settings.pool);
      return outbox.pendingOutbox(this.settings.pool, this.tables, { settled, limit });
    });
  }

  async markDispatched(seqs: readonly number[]): Promise<void> {
    requireSeqs(seqs);
    await this.track('markDispatched', () =>
      outbox.markDispatched(this.settings.pool, this.tables, seqs, this.now()),
    );
  }

  async purgeDispatched(before: Date, limit: number): Promise<number> {
    const beforeMillis = requireDate(before, 'before');
    requireWholeNumber(limit, 'limit');
    return this.track('purgeDispatched', () =>
      outbox.purgeDispatched(this.settings.pool, this.tables, beforeMillis, limit),
    );
  }

  async releaseDue(now: Date, limit: number): Promise<number> {
    const dueBy = requireDate(now, 'now');
    requireWholeNumber(limit, 'limit');
    const released = await this.track('releaseDue', () => {
      const due = { now: dueBy, limit, enqueuedAt: this.now() };
      return scheduled.releaseDue(this.settings.pool, this.tables, due, this.context.notice);
    });
    if (released > 0) this.signal.notify();
    return released;
  }

  async nextDueAt(): Promise<Date | undefined> {
    return this.track('nextDueAt', () => scheduled.nextDueAt(this.settings.pool, this.tables));
  }

  onOutboxCommit(listener: () => void): () => void {
    if (this.closing === undefined) this.listener.start();
    return this.signal.subscribe(listener);
  }

  async outboxBacklog(): Promise<{ readonly pending: number; readonly oldestEnqueuedAt: Date | undefined }> {
    return this.track('outboxBacklog', () => outbox.outboxBacklog(this.settings.pool, this.tables));
  }

  async purgeInbox(before: Date, limit: number): Promise<number> {
    const beforeMillis = requireDate(before, 'before');
    requireWholeNumber(limit, 'limit');
    return this.track('purgeInbox', () => purgeInbox(this.settings.pool, this.tables, beforeMillis, limit));
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    validateLease(name, owner, ttlMs);
    return this.track('acquireLease', () =>
      leases.acquireLease(this.settings.pool, this.tables, { name, owner, ttlMs }, this.now()),
    );
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    validateLease(name, owner);
    await this.track('releaseLease', () => leases.releaseLease(this.settings.pool, this.tables, name, owner));
  }

  /** Waits for the calls in progress, then closes the listener and the pool if the store opened it. */
  async close(): Promise<void> {
    assertOutsideTransaction(this, 'close');
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await Promise.allSettled([...this.running]);
    await this.listener.stop();
    if (this.settings.ownsPool) await this.settings.pool.end();
  }

  /** Runs a call unless the store is closed or it comes from inside one of its own transactions. */
  private track<T>(operation: string, call: () => Promise<T>): Promise<T> {
    if (this.closing !== undefined) throw new StoreClosedError(this.kind);
    assertOutsideTransaction(this, operation);
    const result = call();
    this.running.add(result);
    const forget = () => this.running.delete(result);
    result.then(forget, forget);
    return result;
  }

  private now(): number {
    return nowMillis(this.settings.clock);
  }
}
