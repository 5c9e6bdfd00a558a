import { StoreClosedError } from '../../errors.js';
import type {
  EventStore,
  OutboxRow,
  ReadAllOptions,
  ReadStreamOptions,
  Snapshot,
  StoredEvent,
  UnitOfWork,
} from '../contract.js';
import { nowMillis, resolveStoreOptions, type StoreOptions, type StoreSettings } from '../options.js';
import { OutboxSignal } from '../outbox-signal.js';
import { assertOutsideTransaction, inTransactionScope } from '../transaction-scope.js';
import { runUnitOfWork } from '../unit-of-work-guard.js';
import { requireDate, requireSeqs, requireWholeNumber, validateLease } from '../validate.js';
import { Mutex } from './mutex.js';
import * as outbox from './outbox.js';
import { MemoryEventReader } from './reader.js';
import { Draft, MemoryState } from './state.js';
import { MemoryUnitOfWork } from './unit-of-work.js';

export type MemoryStoreOptions = StoreOptions;

/**
 * The whole store in process memory: for tests and development. Transactions run one at a
 * time; their writes are staged and applied at commit, so readers never see them earlier.
 */
export function createMemoryStore(options?: MemoryStoreOptions): EventStore {
  return new MemoryEventStore(resolveStoreOptions(options));
}

class MemoryEventStore implements EventStore {
  readonly kind = 'memory';
  private readonly state = new MemoryState();
  private readonly mutex = new Mutex();
  private readonly signal = new OutboxSignal();
  private readonly committed: MemoryEventReader;
  private closed = false;

  constructor(private readonly settings: StoreSettings) {
    this.committed = new MemoryEventReader(this.state, settings);
  }

  transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    try {
      this.assertUsable('transaction');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.mutex.run(() => {
      const draft = new Draft(this.state);
      const uow = new MemoryUnitOfWork(draft, this.settings);
      return inTransactionScope(this, () => runUnitOfWork(uow, work)).then((result) => {
        this.commit(draft);
        return result;
      });
    });
  }

  async streamVersion(streamId: string): Promise<number> {
    this.assertUsable('streamVersion');
    return this.committed.streamVersion(streamId);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    this.assertUsable('readStream');
    return this.committed.readStream(streamId, options);
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    this.assertUsable('readAll');
    return this.committed.readAll(options);
  }

  async loadSnapshot(streamId: string): Promise<Snapshot | undefined> {
    this.assertUsable('loadSnapshot');
    return this.committed.loadSnapshot(streamId);
  }

  async pendingOutbox(limit: number): Promise<OutboxRow[]> {
    this.assertUsable('pendingOutbox');
    requireWholeNumber(limit, 'limit');
    return outbox.pendingOutbox(this.state, limit);
  }

  async markDispatched(seqs: readonly number[]): Promise<void> {
    requireSeqs(seqs);
    await this.exclusive('markDispatched', () => outbox.markDispatched(this.state, seqs, this.now()));
  }

  async purgeDispatched(before: Date, limit: number): Promise<number> {
    const beforeMillis = requireDate(before, 'before');
    requireWholeNumber(limit, 'limit');
    return this.exclusive('purgeDispatched', () => outbox.purgeDispatched(this.state, beforeMillis, limit));
  }

  async releaseDue(now: Date, limit: number): Promise<number> {
    const nowMs = requireDate(now, 'now');
    requireWholeNumber(limit, 'limit');
    return this.exclusive('releaseDue', () => {
      const draft = new Draft(this.state);
      const released = outbox.releaseDue(draft, this.state, nowMs, limit, this.now());
      this.commit(draft);
      return released;
    });
  }

  async nextDueAt(): Promise<Date | undefined> {
    this.assertUsable('nextDueAt');
    return outbox.nextDueAt(this.state);
  }

  onOutboxCommit(listener: () => void): () => void {
    return this.signal.subscribe(listener);
  }

  async outboxBacklog(): Promise<{ readonly pending: number; readonly oldestEnqueuedAt: Date | undefined }> {
    this.assertUsable('outboxBacklog');
    return outbox.outboxBacklog(this.state);
  }

  async purgeInbox(before: Date, limit: number): Promise<number> {
    const beforeMillis = requireDate(before, 'before');
    requireWholeNumber(limit, 'limit');
    return this.exclusive('purgeInbox', () => outbox.purgeInbox(this.state, beforeMillis, limit));
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    validateLease(name, owner, ttlMs);
    return this.exclusive('acquireLease', () =>
      outbox.acquireLease(this.state.leases, { name, owner, ttlMs }, this.now()),
    );
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    validateLease(name, owner);
    await this.exclusive('releaseLease', () => outbox.releaseLease(this.state.leases, name, owner));
  }

  async close(): Promise<void> {
    assertOutsideTransaction(this, 'close');
    this.closed = true;
    await this.mutex.idle();
  }

  /** A store-level write: in turn with the transactions, so none of them sees it half done. */
  private exclusive<T>(operation: string, write: () => T): Promise<T> {
    this.assertUsable(operation);
    return this.mutex.run(write);
  }

  private commit(draft: Draft): void {
    draft.commit();
    if (draft.outboxWritten) this.signal.notify();
  }

  private now(): number {
    return nowMillis(this.settings.clock);
  }

  private assertUsable(operation: string): void {
    if (this.closed) throw new StoreClosedError(this.kind);
    assertOutsideTransaction(this, operation);
  }
}
