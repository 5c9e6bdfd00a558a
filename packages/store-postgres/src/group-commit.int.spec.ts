import { ConcurrencyError, createEnvelope, type EventStore, StoreError } from '@eventloom/core';
import pg from 'pg';
import { expect, it } from 'vitest';
import { describePostgres, freshStores, postgresUrl } from './testing/postgres.js';

const event = (id: string) => createEnvelope({ type: 'written', data: {}, id });

describePostgres('PostgreSQL store: group commit', () => {
  const stores = freshStores();

  it('callers of one tick share one transaction; a conflict or a throw undoes only its own caller', async () => {
    const store = await stores.open({ groupCommit: true });
    await store.transaction((uow) => uow.append('taken', [event('seed')], 'no-stream'));
    const outcomes = await Promise.allSettled([
      store.transaction((uow) => uow.append('a', [event('a-1')], 'no-stream')),
      store.transaction((uow) => uow.append('taken', [event('taken-2')], 'no-stream')),
      store.transaction(async (uow) => {
        await uow.append('b', [event('b-1')], 'no-stream');
        await uow.enqueue([event('never-sent')]);
        throw new Error('caller failed');
      }),
      store.transaction(async (uow) => {
        await uow.append('c', [event('c-1')], 'no-stream');
        await uow.enqueue([event('sent')]);
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    expect((await store.readAll()).map((e) => e.id)).toEqual(['seed', 'a-1', 'c-1']);
    expect((await store.pendingOutbox(10)).map((row) => row.envelope.id)).toEqual(['sent']);
    await store.close();
  });

  it('many concurrent callers: versions stay gapless per stream and every caller is told after its commit', async () => {
    const store = await stores.open({ groupCommit: true, maxGroupSize: 8, maxGroupsInFlight: 3 });
    const streams = 5;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.transaction((uow) => uow.append(`s-${i % streams}`, [event(`e-${i}`)], 'any')),
      ),
    );
    const all = await store.readAll();
    expect(all).toHaveLength(200);
    for (const result of results) {
      expect(all.find((e) => e.id === result.events[0]!.id)?.version).toBe(result.version);
    }
    for (let s = 0; s < streams; s++) {
      expect((await store.readStream(`s-${s}`)).map((e) => e.version)).toEqual(
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
    }
    await store.close();
  });

  it('a connection lost mid-group fails the callers that ran in it with a typed error, and writes none of them', async () => {
    const schema = stores.newSchema();
    const store: EventStore = await stores.openIn(schema, { groupCommit: true });
    const kill = async () => {
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND state = 'idle in transaction' AND position($1 IN query) > 0`,
        [schema],
      );
      await admin.end();
    };
    const outcomes = await Promise.allSettled([
      store.transaction((uow) => uow.append('first', [event('first')], 'no-stream')),
      store.transaction(async (uow) => {
        await uow.append('second', [event('second')], 'no-stream');
        await kill();
        await uow.append('second', [event('second-2')], 1);
      }),
      store.transaction((uow) => uow.append('third', [event('third')], 'no-stream')),
    ]);
    // The group's callers that had run are failed; the one that had not yet run gets a new transaction.
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    for (const outcome of outcomes.slice(0, 2)) {
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StoreError);
    }
    expect((await store.readAll()).map((e) => e.id)).toEqual(['third']);
    const next = await store.transaction((uow) => uow.append('first', [event('next')], 'no-stream'));
    expect(next.version).toBe(1);
    await store.close();
  });
});
