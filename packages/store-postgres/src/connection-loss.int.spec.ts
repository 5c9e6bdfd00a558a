import { createEnvelope, StoreError } from '@eventloom/core';
import pg from 'pg';
import { expect, it } from 'vitest';
import { describePostgres, freshStores, postgresUrl } from './testing/postgres.js';

/** Ends, from another connection, the backend of the transaction that last touched `schema`. */
async function terminateTransactionIn(schema: string): Promise<number> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND state = 'idle in transaction' AND position($1 IN query) > 0`,
      [schema],
    );
    return rows.length;
  } finally {
    await admin.end();
  }
}

const event = (id: string) => createEnvelope({ type: 'written', data: {}, id });

describePostgres('PostgreSQL store: the connection dies mid-transaction', () => {
  const stores = freshStores();

  it('a typed error, no partial write, and the next call works again', async () => {
    const schema = stores.newSchema();
    const store = await stores.openIn(schema);
    const attempt = store.transaction(async (uow) => {
      await uow.append('s', [event('before-kill')], 'no-stream');
      expect(await terminateTransactionIn(schema)).toBe(1);
      await uow.enqueue([event('after-kill')]);
    });
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/PostgreSQL: .*(terminat|Connection)/i);
    expect(await store.readStream('s')).toEqual([]);
    expect(await store.pendingOutbox(10)).toEqual([]);
    const next = await store.transaction((uow) => uow.append('s', [event('next')], 'no-stream'));
    expect(next.version).toBe(1);
    expect((await store.readAll()).map((e) => e.id)).toEqual(['next']);
    await store.close();
  });

  it('the pool replaces every connection the server dropped while idle', async () => {
    const schema = stores.newSchema();
    const store = await stores.openIn(schema, { poolSize: 3 });
    await Promise.all(
      [1, 2, 3].map((n) => store.transaction((uow) => uow.append(`s-${n}`, [event(`e-${n}`)], 'any'))),
    );
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle' AND position($1 IN query) > 0`,
      [schema],
    );
    await admin.end();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await store.readAll()).toHaveLength(3);
    await store.close();
  });
});
