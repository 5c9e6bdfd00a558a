import type { UnitOfWork } from '@eventloom/core';
import { inTransactionScope, runUnitOfWork, type StoreSettings } from '@eventloom/core/store-kit';
import type pg from 'pg';
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
    await client.query('ROLLBACK');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
