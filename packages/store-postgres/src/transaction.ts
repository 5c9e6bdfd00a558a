import type { UnitOfWork } from '@eventloom/core';
import {
  inTransactionScope,
  type JobContext,
  runUnitOfWork,
  SharedGroupCommit,
  type StoreSettings,
} from '@eventloom/core/store-kit';
import type pg from 'pg';
import { PostgresGroupTransaction } from './group-commit.js';
import type { OutboxNotice } from './outbox.js';
import type { Tables } from './schema/tables.js';
import { query, toStoreError } from './sql.js';
import { PostgresUnitOfWork } from './unit-of-work.js';

export interface TransactionContext {
  readonly store: object;
  readonly pool: pg.Pool;
  readonly tables: Tables;
  readonly settings: StoreSettings;
  readonly notice: OutboxNotice;
  /** Called after a commit that wrote outbox or scheduled rows. */
  readonly committedOutbox: () => void;
}

/**
 * One pooled connection, BEGIN … COMMIT at READ COMMITTED. Whatever fails rolls the whole
 * transaction back; a connection that failed is closed rather than returned to the pool.
 */
export async function runTransaction<T>(
  context: TransactionContext,
  work: (uow: UnitOfWork) => Promise<T>,
): Promise<T> {
  const client = await context.pool.connect().catch((error: unknown) => {
    throw toStoreError(error);
  });
  let broken: Error | undefined;
  const markBroken = (error: Error) => {
    broken = error;
  };
  client.on('error', markBroken);
  const uow = new PostgresUnitOfWork(client, context.tables, context.settings, context.notice);
  let result: T;
  try {
    await query(client, 'BEGIN ISOLATION LEVEL READ COMMITTED');
    result = await inTransactionScope(context.store, () => runUnitOfWork(uow, work));
    await query(client, 'COMMIT');
  } catch (error) {
    broken ??= await rollback(client);
    throw error;
  } finally {
    client.off('error', markBroken);
    client.release(broken);
  }
  // Told after the connection is back in the pool, so that a listener reading at once finds it free.
  if (uow.outboxWritten) context.committedOutbox();
  return result;
}

/** Undefined when the rollback worked; the error when the connection can no longer be trusted. */
async function rollback(client: pg.PoolClient): Promise<Error | undefined> {
  try {
    await query(client, 'ROLLBACK');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Group commit over the pool: callers share transactions, a savepoint each (see SharedGroupCommit). */
export function groupCommitOver(
  context: TransactionContext,
  limits: { readonly maxGroupSize: number; readonly maxGroupsInFlight: number },
): SharedGroupCommit<PostgresGroupTransaction> {
  return new SharedGroupCommit({
    begin: () => PostgresGroupTransaction.begin(context.pool),
    maxGroup: limits.maxGroupSize,
    maxInFlight: limits.maxGroupsInFlight,
    onCommitted: (jobs: readonly JobContext[]) => {
      if (jobs.some((job) => job.outboxWritten)) context.committedOutbox();
    },
  });
}

/** One caller's work in its savepoint of a shared transaction; resolves after that transaction commits. */
export function runGroupedTransaction<T>(
  context: TransactionContext,
  groups: SharedGroupCommit<PostgresGroupTransaction>,
  work: (uow: UnitOfWork) => Promise<T>,
): Promise<T> {
  return groups.run(async (job, transaction) => {
    const uow = new PostgresUnitOfWork(transaction.client, context.tables, context.settings, context.notice);
    try {
      return await inTransactionScope(context.store, () => runUnitOfWork(uow, work));
    } finally {
      job.outboxWritten = uow.outboxWritten;
    }
  });
}
