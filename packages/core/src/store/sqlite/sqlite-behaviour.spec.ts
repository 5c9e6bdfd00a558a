import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../../envelope/create.js';
import { ConcurrencyError, InvalidInputError, StoreError } from '../../errors.js';
import { openSqliteStore, type SqliteEventStore } from './index.js';
import { tempFolder } from './temp-folder.js';

const folder = tempFolder('sqlite-behaviour');
const event = (type = 'e', data: unknown = {}) => createEnvelope({ type, data });

async function using<T>(store: SqliteEventStore, use: (store: SqliteEventStore) => Promise<T>): Promise<T> {
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

describe('SQLite store: group commit', () => {
  it('200 concurrent transactions, some failing: the rest all commit, in far fewer COMMITs', async () => {
    await using(openSqliteStore({ path: folder.file() }), async (store) => {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) =>
          store.transaction(async (uow) => {
            await uow.append(`s-${i}`, [event('written', { i })], 'no-stream');
            await uow.enqueue([event('sent', { i })]);
            if (i % 10 === 3) throw new Error(`caller ${i} failed`);
            if (i % 15 === 7) await uow.append('never-created', [event()], 'exists');
            return i;
          }),
        ),
      );
      const committed = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      const rejected = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
      expect(committed.length + rejected.length).toBe(200);
      expect(rejected.filter((e) => e instanceof ConcurrencyError).length).toBeGreaterThan(0);
      expect((await store.readAll()).map((e) => (e.data as { i: number }).i)).toEqual(committed);
      expect((await store.pendingOutbox(500)).map((r) => (r.envelope.data as { i: number }).i)).toEqual(
        committed,
      );
      const stats = store.stats();
      expect(stats.transactions).toBe(committed.length);
      expect(stats.commits).toBeLessThan(200);
      expect(stats.commits).toBeLessThanOrEqual(Math.ceil(200 / 256) + 1);
    });
  });

  it('with groupCommit off every transaction has its own COMMIT', async () => {
    await using(openSqliteStore({ path: folder.file(), groupCommit: false }), async (store) => {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.transaction((uow) => uow.claim('c', `m-${i}`))),
      );
      expect(store.stats()).toMatchObject({ commits: 20, transactions: 20, largestGroup: 1 });
    });
  });

  it('a read issued while a group is open resolves after its COMMIT, with its data', async () => {
    await using(openSqliteStore({ path: folder.file() }), async (store) => {
      let committed = false;
      const writer = store
        .transaction(async (uow) => {
          await uow.append('s', [event()], 'no-stream');
          await new Promise((resolve) => setTimeout(resolve, 20));
        })
        .then(() => {
          committed = true;
        });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const version = await store.streamVersion('s');
      expect(version).toBe(1);
      await writer;
      expect(committed).toBe(true);
    });
  });
});

describe('SQLite store: durability settings', () => {
  it('runs WAL with synchronous FULL by default, NORMAL when asked', async () => {
    await using(openSqliteStore({ path: folder.file() }), async (store) => {
      expect(store.pragmas()).toMatchObject({
        synchronous: 2,
        journalMode: 'wal',
        foreignKeys: 1,
        busyTimeoutMs: 5000,
      });
    });
    await using(openSqliteStore({ path: folder.file(), synchronous: 'NORMAL' }), async (store) => {
      expect(store.pragmas()).toMatchObject({ synchronous: 1, journalMode: 'wal' });
    });
  });

  it('everything committed survives close and reopen', async () => {
    const path = folder.file();
    const at = new Date('2030-01-01T00:00:00Z');
    await using(openSqliteStore({ path, clock: () => at }), async (store) => {
      await store.transaction(async (uow) => {
        await uow.append('s', [event('kept', { n: 1 })], 'no-stream');
        await uow.enqueue([createEnvelope({ type: 'm', data: {}, id: 'm-1' })]);
        await uow.claim('consumer', 'claimed');
        await uow.documents('docs').put('d', { v: 1 });
        await uow.saveCheckpoint('cp', 7);
        await uow.schedule({ id: 't', dueAt: new Date('2030-01-02T00:00:00Z'), envelope: event() });
      });
      expect(await store.acquireLease('relay', 'owner-a', 60_000)).toBe(true);
    });
    await using(openSqliteStore({ path, clock: () => at }), async (store) => {
      expect((await store.readStream('s')).map((e) => e.data)).toEqual([{ n: 1 }]);
      expect((await store.pendingOutbox(10)).map((r) => r.envelope.id)).toEqual(['m-1']);
      expect(await store.nextDueAt()).toEqual(new Date('2030-01-02T00:00:00Z'));
      expect(await store.acquireLease('relay', 'owner-b', 60_000)).toBe(false);
      const state = await store.transaction(async (uow) => ({
        claimable: await uow.claim('consumer', 'claimed'),
        doc: await uow.documents('docs').get('d'),
        checkpoint: await uow.loadCheckpoint('cp'),
      }));
      expect(state).toEqual({
        claimable: false,
        doc: { id: 'd', version: 1, value: { v: 1 } },
        checkpoint: 7,
      });
    });
  });
});

describe('SQLite store: opening', () => {
  it('refuses invalid options, naming the field', () => {
    expect(() => openSqliteStore({ path: '' })).toThrow(InvalidInputError);
    expect(() => openSqliteStore({ path: ':memory:', synchronous: 'OFF' as 'FULL' })).toThrow(/synchronous/);
    expect(() => openSqliteStore({ path: ':memory:', maxGroupSize: 0 })).toThrow(/maxGroupSize/);
    expect(() => openSqliteStore({ path: ':memory:', limits: { maxEventBytes: -1 } })).toThrow(
      /limits\.maxEventBytes/,
    );
  });

  it('a path that cannot be opened, or is no database, is a StoreError', () => {
    expect(() => openSqliteStore({ path: join(folder.file('missing'), 'nested', 'x.db') })).toThrow(
      StoreError,
    );
    const notADatabase = folder.file('garbage');
    writeFileSync(
      notADatabase,
      'this is not a SQLite database, just text that is long enough to look like a header',
    );
    expect(() => openSqliteStore({ path: notADatabase })).toThrow(StoreError);
  });
});
