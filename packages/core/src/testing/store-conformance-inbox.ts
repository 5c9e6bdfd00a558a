import { describe, expect, it } from 'vitest';
import { anEvent, delay, ManualClock, type OpenStore } from './store-conformance-fixtures.js';

export function describeInbox(open: OpenStore): void {
  describe('inbox (conformance 3)', () => {
    it('a claim is true once per consumer and message id', async () => {
      const store = await open();
      const first = await store.transaction(async (uow) => [
        await uow.claim('billing', 'm-1'),
        await uow.claim('billing', 'm-1'),
        await uow.claim('shipping', 'm-1'),
      ]);
      expect(first).toEqual([true, false, true]);
      const later = await store.transaction(async (uow) => [
        await uow.claim('billing', 'm-1'),
        await uow.claim('billing', 'm-2'),
      ]);
      expect(later).toEqual([false, true]);
    });

    it('of concurrent transactions claiming one message exactly one has its effects committed', async () => {
      const store = await open();
      const handlers = [0, 1, 2, 3, 4].map((i) =>
        store.transaction(async (uow) => {
          const fresh = await uow.claim('billing', 'm-1');
          await delay(i % 2);
          if (fresh) {
            await uow.documents('effects').put(`handler-${i}`, { i });
            await uow.append('ledger', [anEvent('charged', { i })], 'any');
          }
          return fresh;
        }),
      );
      const settled = await Promise.allSettled(handlers);
      const freshClaims = settled.filter((s) => s.status === 'fulfilled' && s.value === true);
      expect(freshClaims).toHaveLength(1);
      const effects = await store.transaction((uow) => uow.documents('effects').list());
      expect(effects).toHaveLength(1);
      expect((await store.readStream('ledger')).map((e) => e.data)).toEqual([effects[0]!.value]);
    });

    it('the same message for different consumers is claimed by each', async () => {
      const store = await open();
      const claims = await Promise.all(
        ['billing', 'shipping', 'audit'].map((consumer) =>
          store.transaction((uow) => uow.claim(consumer, 'm-1')),
        ),
      );
      expect(claims).toEqual([true, true, true]);
    });

    it('a claim in a rolled-back transaction does not stick', async () => {
      const store = await open();
      const failed = store.transaction(async (uow) => {
        await uow.claim('billing', 'm-1');
        throw new Error('handler failed');
      });
      await expect(failed).rejects.toThrow('handler failed');
      expect(await store.transaction((uow) => uow.claim('billing', 'm-1'))).toBe(true);
    });

    it('purgeInbox deletes at most `limit` claims made before the cut-off', async () => {
      const clock = new ManualClock();
      const store = await open({ clock: clock.now });
      const old = ['o-1', 'o-2', 'o-3', 'o-4', 'o-5'];
      await store.transaction(async (uow) => {
        for (const id of old) await uow.claim('c', id);
      });
      const cutOff = clock.advance(1000);
      await store.transaction(async (uow) => {
        await uow.claim('c', 'recent-1');
        await uow.claim('c', 'recent-2');
      });
      expect(await store.purgeInbox(cutOff, 3)).toBe(3);
      expect(await store.purgeInbox(cutOff, 3)).toBe(2);
      expect(await store.purgeInbox(cutOff, 3)).toBe(0);
      const again = await store.transaction(async (uow) => ({
        old: await Promise.all(old.map((id) => uow.claim('c', id))),
        recent: await Promise.all(['recent-1', 'recent-2'].map((id) => uow.claim('c', id))),
      }));
      expect(again).toEqual({ old: [true, true, true, true, true], recent: [false, false] });
    });
  });
}
