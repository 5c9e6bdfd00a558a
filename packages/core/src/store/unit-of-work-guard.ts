import type { Envelope } from '../envelope/envelope.js';
import type { JsonValue } from '../envelope/json.js';
import { ConcurrencyError, StoreError } from '../errors.js';
import type {
  AppendResult,
  DocumentCollection,
  ExpectedVersion,
  ReadAllOptions,
  ReadStreamOptions,
  ScheduledMessage,
  Snapshot,
  StoredEvent,
  UnitOfWork,
} from './contract.js';
import { requireText } from './validate.js';

/**
 * Runs `work` on `raw` with the rules every store shares: a ConcurrencyError dooms the whole
 * unit of work (even if `work` catches it, the transaction rejects with it and writes nothing),
 * and the unit of work is dead once its transaction is over.
 */
export function runUnitOfWork<T>(raw: UnitOfWork, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const guarded = new GuardedUnitOfWork(raw);
  let running: Promise<T>;
  try {
    running = Promise.resolve(work(guarded));
  } catch (error) {
    guarded.end();
    return Promise.reject(error);
  }
  return running.then(
    (result) => {
      guarded.end();
      guarded.throwIfConflicted();
      return result;
    },
    (error: unknown) => {
      guarded.end();
      throw error;
    },
  );
}

class GuardedUnitOfWork implements UnitOfWork {
  private ended = false;
  private conflict: ConcurrencyError | undefined;

  constructor(private readonly inner: UnitOfWork) {}

  streamVersion(streamId: string): Promise<number> {
    return this.call(() => this.inner.streamVersion(streamId));
  }
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.call(() => this.inner.readStream(streamId, options));
  }
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.call(() => this.inner.readAll(options));
  }
  loadSnapshot(streamId: string): Promise<Snapshot | undefined> {
    return this.call(() => this.inner.loadSnapshot(streamId));
  }
  append(streamId: string, events: readonly Envelope[], expected: ExpectedVersion): Promise<AppendResult> {
    return this.call(() => this.inner.append(streamId, events, expected));
  }
  saveSnapshot(snapshot: Snapshot): Promise<void> {
    return this.call(() => this.inner.saveSnapshot(snapshot));
  }
  enqueue(messages: readonly Envelope[]): Promise<void> {
    return this.call(() => this.inner.enqueue(messages));
  }
  claim(consumer: string, messageId: string): Promise<boolean> {
    return this.call(() => this.inner.claim(consumer, messageId));
  }
  loadCheckpoint(name: string): Promise<number | undefined> {
    return this.call(() => this.inner.loadCheckpoint(name));
  }
  saveCheckpoint(name: string, position: number): Promise<void> {
    return this.call(() => this.inner.saveCheckpoint(name, position));
  }
  schedule(message: ScheduledMessage): Promise<void> {
    return this.call(() => this.inner.schedule(message));
  }
  cancelScheduled(id: string): Promise<boolean> {
    return this.call(() => this.inner.cancelScheduled(id));
  }

  documents<T = JsonValue>(collection: string): DocumentCollection<T> {
    requireText(collection, 'collection');
    const inner = this.inner.documents<T>(collection);
    // Own properties, not methods: callers spread a collection to wrap one of its functions.
    return {
      get: (id) => this.call(() => inner.get(id)),
      put: (id, value, expectedVersion) => this.call(() => inner.put(id, value, expectedVersion)),
      delete: (id) => this.call(() => inner.delete(id)),
      list: (options) => this.call(() => inner.list(options)),
      count: (options) => this.call(() => inner.count(options)),
    };
  }

  throwIfConflicted(): void {
    if (this.conflict !== undefined) throw this.conflict;
  }

  end(): void {
    this.ended = true;
  }

  /** One promise per operation, not an async frame: this wraps every store call of a handler. */
  private call<R>(operation: () => Promise<R>): Promise<R> {
    try {
      if (this.ended) throw new StoreError('the unit of work was used after its transaction ended');
      this.throwIfConflicted();
      return operation().then(undefined, this.noteConflict);
    } catch (error) {
      if (error instanceof ConcurrencyError) this.conflict ??= error;
      return Promise.reject(error);
    }
  }

  private readonly noteConflict = (error: unknown): never => {
    if (error instanceof ConcurrencyError) this.conflict ??= error;
    throw error;
  };
}
