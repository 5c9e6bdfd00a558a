import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../envelope/create.js';
import type { EventStore } from '../store/contract.js';
import { createMemoryStore } from '../store/memory/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { gate, ManualClock } from '../testing/store-conformance-fixtures.js';
import { handler } from './handler.js';
import { InboxRetention } from './inbox-retention.js';
import { MessageProcessor } from './process.js';

const stores: Record<string, (clock?: () => Date) => EventStore> = {
  memory: (clock) => createMemoryStore(clock === undefined ? {} : { clock }),
  sqlite: (clock) => openSqliteStore({ path: ':memory:', ...(clock === undefined ? {} : { clock }) }),
};

const message = createEnvelope({
  type: 'payment.captured',
  data: { cents: 500 },
  id: 'pay-1',
  partitionkey: 'p',
});

function countingHandler(consumer = 'payments') {
  const runs: number[] = [];
  const entry = handler({
    consumer,
    types: ['payment.captured'],
    async handle(incoming, { uow, attempt }) {
      runs.push(attempt);
      const totals = uow.documents<number>('totals');
      await totals.put(
        'all',
        ((await totals.get('all'))?.value ?? 0) + (incoming.data as { cents: number }).cents,
      );
    },
  });
  return { entry, runs };
}

async function total(store: EventStore): Promise<number | undefined> {
  return store.transaction(async (uow) => (await uow.documents<number>('totals').get('all'))?.value);
}

describe.each(Object.entries(stores))('MessageProcessor on the %s store', (_name, open) => {
  it('two concurrent deliveries of the same message: one effect, the other is a duplicate', async () => {
    const store = open();
    const { entry, runs } = countingHandler();
    const processor = new MessageProcessor({ store, handlers: [entry] });
    const outcomes = await Promise.all([
      processor.process(message),
      processor.process(message),
      processor.process(message),
    ]);
    expect(runs).toHaveLength(1);
    expect(await total(store)).toBe(500);
    expect(outcomes.map((o) => o.handled.length).sort()).toEqual([0, 0, 1]);
    expect(outcomes.flatMap((o) => o.duplicates)).toEqual(['payments', 'payments']);
    await store.close();
  });

  it('while the first delivery is still running, a second one waits for its fate: a rollback lets it run, a commit makes it a duplicate', async () => {
    const store = open();
    const release = gate();
    const entered = gate();
    let runs = 0;
    const slowThenFailing = handler({
      consumer: 'payments',
      types: ['payment.captured'],
      async handle(_incoming, { uow }) {
        runs += 1;
        await uow.documents('totals').put('all', runs);
        if (runs === 1) {
          entered.open();
          await release.opened;
          throw new Error('first delivery fails after writing');
        }
      },
    });
    const processor = new MessageProcessor({ store, handlers: [slowThenFailing] });
    const first = processor.process(message);
    await entered.opened;
    const second = processor.process(message);
    release.open();
    await expect(first).rejects.toThrow('first delivery fails after writing');
    expect((await second).handled.map((h) => h.consumer)).toEqual(['payments']);
    expect(await total(store)).toBe(2);
    expect((await processor.process(message)).duplicates).toEqual(['payments']);
    await store.close();
  });

  it('each handler of a type claims under its own consumer name: a new handler still gets old messages once', async () => {
    const store = open();
    const first = countingHandler('first');
    await new MessageProcessor({ store, handlers: [first.entry] }).process(message);
    const second = countingHandler('second');
    const both = new MessageProcessor({ store, handlers: [first.entry, second.entry] });
    const outcome = await both.process(message);
    expect(outcome.duplicates).toEqual(['first']);
    expect(outcome.handled.map((h) => h.consumer)).toEqual(['second']);
    expect([first.runs, second.runs]).toEqual([[1], [1]]);
    await store.close();
  });

  it('inbox cleanup racing a redelivery: inside the retention window the claim survives and the copy is dropped', async () => {
    const clock = new ManualClock();
    const store = open(clock.now);
    const { entry, runs } = countingHandler();
    const processor = new MessageProcessor({ store, handlers: [entry], clock: clock.now });
    const retention = new InboxRetention(store, { retentionMs: 60_000, batchSize: 2, clock: clock.now });
    await processor.process(message);
    clock.advance(59_999);
    const [purged, redelivered] = await Promise.all([retention.purgeOnce(), processor.process(message)]);
    expect(purged).toBe(0);
    expect(redelivered.duplicates).toEqual(['payments']);
    expect(await retention.purgeOnce()).toBe(0);
    expect((await processor.process(message)).duplicates).toEqual(['payments']);
    expect(runs).toEqual([1]);
    await store.close();
  });

  it('inbox cleanup deletes claims older than the retention in bounded batches; a redelivery after that runs again (the documented limit)', async () => {
    const clock = new ManualClock();
    const store = open(clock.now);
    const { entry, runs } = countingHandler();
    const processor = new MessageProcessor({ store, handlers: [entry], clock: clock.now });
    for (let n = 0; n < 5; n++) {
      await processor.process(
        createEnvelope({ type: 'payment.captured', data: { cents: 1 }, id: `old-${n}` }),
      );
    }
    const retention = new InboxRetention(store, {
      retentionMs: 1_000,
      batchSize: 2,
      maxBatchesPerRun: 2,
      clock: clock.now,
    });
    clock.advance(1_001);
    expect(await retention.purgeOnce()).toBe(4);
    expect(await retention.purgeOnce()).toBe(1);
    await processor.process(createEnvelope({ type: 'payment.captured', data: { cents: 1 }, id: 'old-0' }));
    expect(runs).toHaveLength(6);
    await store.close();
  });

  it('ignores a type no handler takes, writing nothing', async () => {
    const store = open();
    const ignored: string[] = [];
    const processor = new MessageProcessor({
      store,
      handlers: [countingHandler().entry],
      observer: { ignored: (m) => ignored.push(m.type) },
    });
    const outcome = await processor.process(createEnvelope({ type: 'other.thing', data: {} }));
    expect(outcome).toEqual({ handled: [], duplicates: [] });
    expect(ignored).toEqual(['other.thing']);
    expect(await total(store)).toBeUndefined();
    await store.close();
  });
});
