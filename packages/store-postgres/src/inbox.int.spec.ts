import { createEnvelope, type EventStore } from '@eventloom/core';
import { expect, it } from 'vitest';
import { describePostgres, freshStores } from './testing/postgres.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A message handler: claim, then the effect, in one transaction; true when it ran the effect. */
function handle(store: EventStore, messageId: string, beforeCommit: Promise<unknown>, fail = false) {
  return store.transaction(async (uow) => {
    const fresh = await uow.claim('billing', messageId);
    if (fresh) await uow.append('ledger', [createEnvelope({ type: 'charged', data: { messageId } })], 'any');
    await beforeCommit;
    if (fail) throw new Error('handler failed');
    return fresh;
  });
}

describePostgres('PostgreSQL store: inbox claims from two connections', () => {
  const stores = freshStores();

  async function twoProcesses(): Promise<[EventStore, EventStore]> {
    const schema = stores.newSchema();
    const first = await stores.openIn(schema);
    return [first, await stores.openIn(schema)];
  }

  it('the second claim waits for the first transaction, then sees the duplicate: one effect', async () => {
    const [a, b] = await twoProcesses();
    let releaseFirst = () => {};
    const firstMayCommit = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const first = handle(a, 'm-1', firstMayCommit);
    await delay(100);
    let secondDone = false;
    const second = handle(b, 'm-1', Promise.resolve()).finally(() => {
      secondDone = true;
    });
    await delay(200);
    expect(secondDone).toBe(false);
    releaseFirst();
    expect(await first).toBe(true);
    expect(await second).toBe(false);
    expect(await a.readStream('ledger')).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('when the first transaction rolls back, the waiting claim wins and runs the effect', async () => {
    const [a, b] = await twoProcesses();
    const first = handle(a, 'm-1', delay(200), true);
    await delay(100);
    const second = handle(b, 'm-1', Promise.resolve());
    await expect(first).rejects.toThrow('handler failed');
    expect(await second).toBe(true);
    expect(await b.readStream('ledger')).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('many handlers racing for one message across two pools: exactly one effect', async () => {
    const [a, b] = await twoProcesses();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => handle(i % 2 === 0 ? a : b, 'm-1', delay(i % 3))),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await a.readStream('ledger')).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });
});
