import { createEnvelope, type EventStore } from '@eventloom/core';
import pg from 'pg';
import { expect, it } from 'vitest';
import { describePostgres, freshStores, postgresUrl } from './testing/postgres.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the log the way a projection does (cursor on position) and the outbox the way the relay does. */
class Poller {
  readonly positions: number[] = [];
  readonly eventIds: string[] = [];
  readonly messageIds: string[] = [];
  private after = 0;

  constructor(private readonly store: EventStore) {}

  async poll(): Promise<void> {
    for (const event of await this.store.readAll({ after: this.after })) {
      this.positions.push(event.position);
      this.eventIds.push(event.id);
      this.after = event.position;
    }
    const rows = await this.store.pendingOutbox(100);
    this.messageIds.push(...rows.map((row) => row.envelope.id));
    await this.store.markDispatched(rows.map((row) => row.seq));
  }
}

function opened(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened: promise, open };
}

describePostgres('PostgreSQL store: transactions that commit out of order', () => {
  const stores = freshStores();
  // These writers wait on one another inside their transactions, as separate processes would;
  // under group commit the callers of one store run one after another, so they take a connection each.
  const own = { groupCommit: false } as const;

  it('four concurrent transactions, one rolled back: a poller sees the three committed, skips none', async () => {
    const store = await stores.open({ poolSize: 8, ...own });
    const gates = [0, 1, 2, 3].map(opened);
    const ready = [0, 1, 2, 3].map(opened);
    const rolledBack = 2;
    // Each writer claims first, so it holds a transaction id before the others write anything,
    // enqueues (outbox seqs 1…4 in writer order), then appends once its gate opens.
    const writers = gates.map((gate, i) =>
      store.transaction(async (uow) => {
        await uow.claim('writer', `claim-${i}`);
        await uow.enqueue([createEnvelope({ type: 'sent', data: { i }, id: `message-${i}` })]);
        ready[i]!.open();
        await gate.opened;
        await uow.append(
          `s-${i}`,
          [createEnvelope({ type: 'written', data: { i }, id: `event-${i}` })],
          'no-stream',
        );
        if (i === rolledBack) throw new Error('rolled back on purpose');
      }),
    );
    await Promise.all(ready.map((gate) => gate.opened));
    let done = false;
    const settled = Promise.allSettled(writers).finally(() => {
      done = true;
    });
    const poller = new Poller(store);
    const polling = (async () => {
      while (!done) {
        await poller.poll();
        await delay(1);
      }
    })();
    for (const i of [3, 1, 2, 0]) {
      gates[i]!.open();
      await delay(30);
    }
    const outcomes = await settled;
    await polling;
    await poller.poll();
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const committed = [0, 1, 3];
    expect([...poller.eventIds].sort()).toEqual(committed.map((i) => `event-${i}`));
    expect([...poller.messageIds].sort()).toEqual(committed.map((i) => `message-${i}`));
    expect(poller.positions).toEqual([...poller.positions].sort((a, b) => a - b));
    expect(await store.readAll()).toHaveLength(3);
  });

  it('outbox rows of a transaction that took its seq first wait for it, then come in seq order', async () => {
    const store = await stores.open(own);
    const slow = opened();
    const enqueued = opened();
    const slowWriter = store.transaction(async (uow) => {
      await uow.enqueue([createEnvelope({ type: 'm', data: {}, id: 'first', partitionkey: 'k' })]);
      enqueued.open();
      await slow.opened;
    });
    await enqueued.opened;
    await store.transaction((uow) =>
      uow.enqueue([createEnvelope({ type: 'm', data: {}, id: 'second', partitionkey: 'k' })]),
    );
    expect(await store.pendingOutbox(10)).toEqual([]);
    slow.open();
    await slowWriter;
    expect((await store.pendingOutbox(10)).map((row) => row.envelope.id)).toEqual(['first', 'second']);
  });

  it('a transaction that took the lower position and commits last is not skipped by a poller', async () => {
    const store = await stores.open(own);
    const [older, bAppended, releaseB] = [opened(), opened(), opened()];
    const event = (id: string) => createEnvelope({ type: 'written', data: {}, id });
    // A gets its transaction id first but appends after B: B holds the lower position.
    const a = store.transaction(async (uow) => {
      await uow.claim('writer', 'a');
      older.open();
      await bAppended.opened;
      return (await uow.append('a', [event('event-a')], 'no-stream')).events[0]!.position;
    });
    const b = store.transaction(async (uow) => {
      await older.opened;
      await uow.claim('writer', 'b');
      const position = (await uow.append('b', [event('event-b')], 'no-stream')).events[0]!.position;
      bAppended.open();
      await releaseB.opened;
      return position;
    });
    const poller = new Poller(store);
    const positionOfA = await a;
    await poller.poll();
    expect(poller.eventIds).toEqual([]);
    releaseB.open();
    expect(await b).toBeLessThan(positionOfA);
    await poller.poll();
    expect(poller.eventIds).toEqual(['event-b', 'event-a']);
  });

  it('a long transaction elsewhere on the server does not hold back readers of this store', async () => {
    const store = await stores.open();
    const elsewhere = new pg.Client({ connectionString: postgresUrl });
    await elsewhere.connect();
    await elsewhere.query('BEGIN');
    await elsewhere.query('SELECT pg_current_xact_id()');
    await store.transaction(async (uow) => {
      await uow.append('s', [createEnvelope({ type: 'written', data: {}, id: 'event-1' })], 'no-stream');
      await uow.enqueue([createEnvelope({ type: 'sent', data: {}, id: 'message-1' })]);
    });
    const poller = new Poller(store);
    await poller.poll();
    await elsewhere.query('ROLLBACK');
    await elsewhere.end();
    expect(poller.eventIds).toEqual(['event-1']);
    expect(poller.messageIds).toEqual(['message-1']);
  });
});
