import {
  type GroupCommitStats,
  type GroupTransaction,
  type GroupWork,
  type JobContext,
  SharedGroupCommit,
} from '../group-commit.js';

export type { GroupCommitStats, JobContext } from '../group-commit.js';

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

/** The one connection's transaction, as the shared scheduler drives it. */
class SqliteGroupTransaction implements GroupTransaction {
  constructor(private readonly control: TransactionControl) {}

  get open(): boolean {
    return this.control.inTransaction;
  }

  async savepoint(): Promise<void> {
    this.control.savepoint();
  }

  async release(): Promise<void> {
    this.control.release();
  }

  async rollbackToSavepoint(): Promise<void> {
    this.control.rollbackToSavepoint();
  }

  async commit(): Promise<void> {
    this.control.commit();
  }

  async rollback(): Promise<void> {
    if (this.control.inTransaction) this.control.rollback();
  }
}

/**
 * Group commit on SQLite's one connection: the shared scheduler with one transaction at a time.
 * Reads outside transactions run at once when no physical transaction is open, otherwise as
 * soon as it closes: they never see a caller's work before it is committed.
 */
export class GroupCommit {
  private readonly queue: SharedGroupCommit<SqliteGroupTransaction>;
  private readonly waitingReads: (() => void)[] = [];

  constructor(
    private readonly control: TransactionControl,
    options: { maxGroup: number; onCommitted: (contexts: readonly JobContext[]) => void },
  ) {
    const transaction = new SqliteGroupTransaction(control);
    this.queue = new SharedGroupCommit({
      begin: async () => {
        control.begin();
        return transaction;
      },
      maxGroup: options.maxGroup,
      onCommitted: options.onCommitted,
      onSettled: () => this.flushReads(),
    });
  }

  run<T>(work: GroupWork<unknown, T>): Promise<T> {
    return this.queue.run(work);
  }

  read<T>(read: () => T): Promise<T> {
    if (!this.control.inTransaction) return settle(read);
    return new Promise<T>((resolve, reject) => {
      this.waitingReads.push(() => settle(read).then(resolve, reject));
    });
  }

  /** Resolves when every caller queued so far has finished. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  stats(): GroupCommitStats {
    return this.queue.stats();
  }

  private flushReads(): void {
    if (this.control.inTransaction) return;
    for (const read of this.waitingReads.splice(0)) read();
  }
}

function settle<T>(read: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(read()));
}
