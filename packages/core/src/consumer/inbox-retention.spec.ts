import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory/index.js';
import { ManualClock } from '../testing/store-conformance-fixtures.js';
import { waitFor } from '../testing/wait.js';
import { InboxRetention } from './inbox-retention.js';

describe('InboxRetention', () => {
  it('purges old claims on its own timer, in bounded runs, while no message flows', async () => {
    const clock = new ManualClock();
    const store = createMemoryStore({ clock: clock.now });
    await store.transaction(async (uow) => {
      for (let n = 0; n < 30; n++) await uow.claim('c', `m-${n}`);
    });
    const runs: number[] = [];
    const retention = new InboxRetention(store, {
      retentionMs: 1_000,
      intervalMs: 5,
      batchSize: 4,
      maxBatchesPerRun: 2,
      clock: clock.now,
      purged: (count) => runs.push(count),
    });
    retention.start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(runs).toEqual([]);
    clock.advance(1_001);
    await waitFor(() => runs.reduce((a, b) => a + b, 0) === 30, { timeoutMs: 2_000 });
    await retention.stop();
    expect(Math.max(...runs)).toBe(8);
    expect(await store.transaction((uow) => uow.claim('c', 'm-0'))).toBe(true);
  });

  it('names the invalid field at construction', () => {
    const store = createMemoryStore();
    expect(() => new InboxRetention(store, { retentionMs: 0 })).toThrow('inbox.retentionMs');
    expect(() => new InboxRetention(store, { batchSize: 1.5 })).toThrow('inbox.batchSize');
    expect(() => new InboxRetention(store, { retentionMs: 10 }).requireLongerThan(10, 'why')).toThrow(
      'inbox.retentionMs',
    );
  });
});
