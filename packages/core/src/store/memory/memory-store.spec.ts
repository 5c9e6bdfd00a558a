import { describe, expect, it } from 'vitest';
import { describeStoreConformance } from '../../testing/store-conformance.js';
import { createMemoryStore } from './index.js';

describeStoreConformance('memory', async (options) => createMemoryStore(options));

describe('memory store', () => {
  it('lets the event loop turn while a long queue of transactions runs', async () => {
    const store = createMemoryStore();
    let committed = 0;
    const queued = Array.from({ length: 2_000 }, () =>
      store.transaction(async () => {
        committed += 1;
      }),
    );
    const atNextTurn = new Promise<number>((resolve) => setImmediate(() => resolve(committed)));
    await Promise.all(queued);
    expect(await atNextTurn).toBeLessThan(2_000);
  });
});
