import { describe, expect, it } from 'vitest';
import { anEvent, ManualClock, type OpenStore } from './store-conformance-fixtures.js';

const pendingIds = async (store: Awaited<ReturnType<OpenStore>>) =>
  (await store.pendingOutbox(100)).map((row) => row.envelope.id);

export function describeScheduled(open: OpenStore): void {
  describe('scheduled messages (conformance 6)', () => {
    it('become due at their time, are released once, and a cancelled one never fires', async () => {
      const clock = new ManualClock();
      const store = await open({ clock: clock.now });
      await store.transaction(async (uow) => {
        await uow.schedule({
          id: 'late',
          dueAt: clock.at(30_000),
          envelope: anEvent('t', {}, { id: 'm-late' }),
        });
        await uow.schedule({
          id: 'soon',
          dueAt: clock.at(10_000),
          envelope: anEvent('t', {}, { id: 'm-soon' }),
        });
        await uow.schedule({
          id: 'cancelled',
          dueAt: clock.at(20_000),
          envelope: anEvent('t', {}, { id: 'm-x' }),
        });
      });
      expect(await store.transaction((uow) => uow.cancelScheduled('cancelled'))).toBe(true);
      expect(await store.transaction((uow) => uow.cancelScheduled('cancelled'))).toBe(false);
      expect(await store.nextDueAt()).toEqual(clock.at(10_000));
      expect(await store.releaseDue(clock.at(9_999), 10)).toBe(0);
      expect(await store.releaseDue(clock.at(15_000), 10)).toBe(1);
      expect(await store.releaseDue(clock.at(15_000), 10)).toBe(0);
      expect(await pendingIds(store)).toEqual(['m-soon']);
      expect(await store.nextDueAt()).toEqual(clock.at(30_000));
      expect(await store.releaseDue(clock.at(60_000), 10)).toBe(1);
      expect(await pendingIds(store)).toEqual(['m-soon', 'm-late']);
      expect(await store.nextDueAt()).toBeUndefined();
    });

    it('the same id scheduled twice keeps the first', async () => {
      const clock = new ManualClock();
      const store = await open({ clock: clock.now });
      await store.transaction((uow) =>
        uow.schedule({ id: 'once', dueAt: clock.at(10), envelope: anEvent('t', {}, { id: 'first' }) }),
      );
      await store.transaction((uow) =>
        uow.schedule({ id: 'once', dueAt: clock.at(5), envelope: anEvent('t', {}, { id: 'second' }) }),
      );
      expect(await store.nextDueAt()).toEqual(clock.at(10));
      expect(await store.releaseDue(clock.at(100), 10)).toBe(1);
      expect(await pendingIds(store)).toEqual(['first']);
    });

    it('releases the earliest first, at most `limit` at a time, and concurrent releases move each once', async () => {
      const clock = new ManualClock();
      const store = await open({ clock: clock.now });
      await store.transaction(async (uow) => {
        for (const n of [5, 3, 1, 4, 2]) {
          await uow.schedule({
            id: `t-${n}`,
            dueAt: clock.at(n * 1000),
            envelope: anEvent('t', {}, { id: `m-${n}` }),
          });
        }
      });
      expect(await store.releaseDue(clock.at(10_000), 2)).toBe(2);
      expect(await pendingIds(store)).toEqual(['m-1', 'm-2']);
      const concurrent = await Promise.all([1, 2, 3].map(() => store.releaseDue(clock.at(10_000), 10)));
      expect(concurrent.reduce((a, b) => a + b, 0)).toBe(3);
      expect(await pendingIds(store)).toEqual(['m-1', 'm-2', 'm-3', 'm-4', 'm-5']);
    });

    it('a cancel or schedule in a rolled-back transaction has no effect', async () => {
      const clock = new ManualClock();
      const store = await open({ clock: clock.now });
      await store.transaction((uow) =>
        uow.schedule({ id: 'kept', dueAt: clock.at(10), envelope: anEvent('t', {}, { id: 'm-kept' }) }),
      );
      const failed = store.transaction(async (uow) => {
        await uow.cancelScheduled('kept');
        await uow.schedule({ id: 'dropped', dueAt: clock.at(5), envelope: anEvent() });
        throw new Error('rolled back');
      });
      await expect(failed).rejects.toThrow('rolled back');
      expect(await store.nextDueAt()).toEqual(clock.at(10));
      expect(await store.releaseDue(clock.at(100), 10)).toBe(1);
      expect(await pendingIds(store)).toEqual(['m-kept']);
    });
  });
}
