import { AsyncResource } from 'node:async_hooks';
import { StoreError } from '../../errors.js';

/** The statements that open and close transactions; each throws a typed error when it fails. */
export interface TransactionControl {
  readonly inTransaction: boolean;
  begin(): void;
  commit(): void;
  rollback(): void;
  savepoint(): void;
  release(): void;
  rollbackToSavepoint(): void;
}

/** What one caller's work wrote that matters after the commit. */
export interface JobContext {
  outboxWritten: boolean;
}

export interface GroupCommitStats {
  /** Physical COMMITs that succeeded. */
  readonly commits: number;
  /** Callers whose work committed. */
  readonly transactions: number;
  /** Physical transactions rolled back whole (a failed BEGIN, savepoint or COMMIT). */
  readonly failedGroups: number;
  readonly largestGroup: number;
}

interface Job {
  readonly work: (context: JobContext) => Promise<unknown>;
  readonly context: JobContext;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  result?: unknown;
}

/**
 * One connection, many callers. Callers that arrive while a physical transaction is being
 * prepared or is running join it: each runs in turn inside its own SAVEPOINT, so a throw undoes
 * only its own writes, and all of them share one COMMIT (one fsync). A caller's promise
 * resolves after that COMMIT; a failed COMMIT rejects every caller of the group.
 *
 * Reads outside transactions run at once when no physical transaction is open, otherwise as
 * soon as it closes: they never see a caller's work before it is committed.
 */
export class GroupCommit {
  private readonly pending: Job[] = [];
  private readonly waitingReads: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private running = false;
  private scheduled = false;
  private counts = { commits: 0, transactions: 0, failedGroups: 0, largestGroup: 0 };

  constructor(
    private readonly control: TransactionControl,
    private readonly options: { maxGroup: number; onCommitted: (contexts: readonly JobContext[]) => void },
  ) {}

  run<T>(work: (context: JobContext) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // The work runs later, from the queue: keep the caller's async context (tracing, scopes).
      const callerScope = new AsyncResource('eventloom.transaction');
      this.pending.push({
        work: (context) => callerScope.runInAsyncScope(work, undefined, context),
        context: { outboxWritten: false },
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.schedule();
    });
  }

  read<T>(read: () => T): Promise<T> {
    if (!this.control.inTransaction) return settle(read);
    return new Promise<T>((resolve, reject) => {
      this.waitingReads.push(() => settle(read).then(resolve, reject));
    });
  }

  /** Resolves when every caller queued so far has finished. */
  idle(): Promise<void> {
    if (!this.running && !this.scheduled && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stats(): GroupCommitStats {
    return { ...this.counts };
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    // Wait out the current turn of the event loop so that its callers share the first group.
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length > 0) await this.runGroup();
    } finally {
      this.running = false;
      this.flushReads();
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async runGroup(): Promise<void> {
    try {
      this.control.begin();
    } catch (error) {
      for (const job of this.pending.splice(0, this.options.maxGroup)) job.reject(error);
      return;
    }
    const committing: Job[] = [];
    let size = 0;
    try {
      while (size < this.options.maxGroup && this.pending.length > 0) {
        size++;
        const job = this.pending.shift()!;
        if (await this.runJob(job)) committing.push(job);
      }
      this.control.commit();
    } catch (error) {
      this.abandon(committing, error);
      this.flushReads();
      return;
    }
    this.counts.commits++;
    this.counts.transactions += committing.length;
    this.counts.largestGroup = Math.max(this.counts.largestGroup, size);
    this.options.onCommitted(committing.map((job) => job.context));
    for (const job of committing) job.resolve(job.result);
    this.flushReads();
  }

  /** Whether the job's work succeeded; a failure of the savepoint statements fails the group. */
  private async runJob(job: Job): Promise<boolean> {
    let failure: { error: unknown } | undefined;
    try {
      this.control.savepoint();
      job.result = await job.work(job.context);
    } catch (error) {
      failure = { error };
    }
    try {
      if (!this.control.inTransaction) throw new StoreError('SQLite rolled back the whole transaction');
      if (failure === undefined) this.control.release();
      else this.undoSavepoint();
    } catch (controlError) {
      job.reject(failure?.error ?? controlError);
      throw controlError;
    }
    if (failure !== undefined) job.reject(failure.error);
    return failure === undefined;
  }

  private undoSavepoint(): void {
    this.control.rollbackToSavepoint();
    this.control.release();
  }

  private abandon(committing: readonly Job[], cause: unknown): void {
    this.counts.failedGroups++;
    if (this.control.inTransaction) {
      try {
        this.control.rollback();
      } catch {
        // The connection is already out of the transaction or broken; the callers learn below.
      }
    }
    const error = new StoreError('the shared transaction failed and nothing in it was committed', { cause });
    for (const job of committing) job.reject(error);
  }

  private flushReads(): void {
    if (this.control.inTransaction) return;
    for (const read of this.waitingReads.splice(0)) read();
  }
}

function settle<T>(read: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(read()));
}
