import { createEnvelope, type EventStore } from '@eventloom/core';
import { waitFor } from '@eventloom/core/testing';
import pg from 'pg';
import { expect, it } from 'vitest';
import { describePostgres, freshStores, postgresUrl } from './testing/postgres.js';

const enqueue = (store: EventStore, id: string) =>
  store.transaction((uow) => uow.enqueue([createEnvelope({ type: 'm', data: {}, id })]));

/** Ends the connections LISTENing in this database, as a server restart or a proxy would. */
async function terminateListeners(): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN "eventloom_outbox_%'`);
  await admin.end();
}

describePostgres('PostgreSQL store: LISTEN/NOTIFY between processes', () => {
  const stores = freshStores();

  it('a commit in one process wakes the listeners of another; a lost listening connection comes back', async () => {
    const schema = stores.newSchema();
    const [listening, writing] = [await stores.openIn(schema), await stores.openIn(schema)];
    let wakes = 0;
    listening.onOutboxCommit(() => {
      wakes++;
    });
    // The listening connection starts in the background: commit until one wakes it.
    await waitFor(
      async () => {
        await enqueue(writing, `m-${Date.now()}`);
        return wakes > 0;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
      () => 'a notification from the other store',
    );
    await terminateListeners();
    const before = wakes;
    await waitFor(
      async () => {
        await enqueue(writing, `m-${Date.now()}`);
        return wakes > before + 1;
      },
      { timeoutMs: 10_000, intervalMs: 200 },
      () => 'notifications after the listener reconnected',
    );
    expect(wakes).toBeGreaterThan(before);
    await Promise.all([listening.close(), writing.close()]);
  });
});
