import { describe, expect, it } from 'vitest';
import { ConcurrencyError, InvalidInputError } from '../errors.js';
import { ids, type OpenStore } from './store-conformance-fixtures.js';

export function describeDocuments(open: OpenStore): void {
  describe('documents', () => {
    it('put, get and delete with versions that rise on each write', async () => {
      const store = await open();
      const result = await store.transaction(async (uow) => {
        const carts = uow.documents<{ items: number }>('carts');
        const versions = [await carts.put('c-1', { items: 1 }, 0), await carts.put('c-1', { items: 2 })];
        return { versions, read: await carts.get('c-1'), missing: await carts.get('c-2') };
      });
      expect(result).toEqual({
        versions: [1, 2],
        read: { id: 'c-1', version: 2, value: { items: 2 } },
        missing: undefined,
      });
      const deleted = await store.transaction(async (uow) => [
        await uow.documents('carts').delete('c-1'),
        await uow.documents('carts').delete('c-1'),
        await uow.documents('carts').get('c-1'),
      ]);
      expect(deleted).toEqual([true, false, undefined]);
    });

    it('a put at the wrong version is a ConcurrencyError and writes nothing', async () => {
      const store = await open();
      await store.transaction((uow) => uow.documents('sagas').put('s-1', { step: 1 }, 0));
      for (const expected of [0, 2]) {
        const stale = store.transaction(async (uow) => {
          await uow.documents('other').put('written-first', {});
          return uow.documents('sagas').put('s-1', { step: 99 }, expected);
        });
        await expect(stale).rejects.toThrow(ConcurrencyError);
      }
      const after = await store.transaction(async (uow) => ({
        saga: await uow.documents('sagas').get('s-1'),
        other: await uow.documents('other').get('written-first'),
      }));
      expect(after).toEqual({ saga: { id: 's-1', version: 1, value: { step: 1 } }, other: undefined });
    });

    it('lists a collection in id order, by prefix, after an id, up to a limit', async () => {
      const store = await open();
      await store.transaction(async (uow) => {
        for (const id of ['b-2', 'a-1', 'b-1', 'b-10', 'c-1']) await uow.documents('items').put(id, { id });
        await uow.documents('elsewhere').put('b-3', {});
      });
      const lists = await store.transaction(async (uow) => {
        const items = uow.documents('items');
        return {
          all: ids(await items.list()),
          prefixed: ids(await items.list({ prefix: 'b-' })),
          page: ids(await items.list({ prefix: 'b-', afterId: 'b-1', limit: 1 })),
          rest: ids(await items.list({ afterId: 'b-10' })),
        };
      });
      expect(lists).toEqual({
        all: ['a-1', 'b-1', 'b-10', 'b-2', 'c-1'],
        prefixed: ['b-1', 'b-10', 'b-2'],
        page: ['b-10'],
        rest: ['b-2', 'c-1'],
      });
    });

    it("counts a collection, or the ids with a prefix, seeing the transaction's own writes", async () => {
      const store = await open();
      await store.transaction(async (uow) => {
        for (const id of ['b-2', 'a-1', 'b-1', 'b-10', 'c-1']) await uow.documents('counted').put(id, { id });
        await uow.documents('counted-elsewhere').put('b-3', {});
      });
      const counts = await store.transaction(async (uow) => {
        const counted = uow.documents('counted');
        const before = [await counted.count(), await counted.count({ prefix: 'b-' })];
        await counted.delete('b-2');
        await counted.put('b-3', {});
        await counted.put('b-3', { again: true });
        return {
          before,
          after: [await counted.count(), await counted.count({ prefix: 'b-' })],
          none: [await counted.count({ prefix: 'z' }), await uow.documents('never-written').count()],
          exact: await counted.count({ prefix: 'b-10' }),
        };
      });
      expect(counts).toEqual({ before: [5, 3], after: [5, 3], none: [0, 0], exact: 1 });
      await expect(
        store.transaction((uow) => uow.documents('counted').count({ prefix: 7 as unknown as string })),
      ).rejects.toThrow(InvalidInputError);
    });

    it('a transaction sees its own document writes; a rollback discards them', async () => {
      const store = await open();
      await store.transaction((uow) => uow.documents('d').put('kept', { v: 1 }));
      const failed = store.transaction(async (uow) => {
        await uow.documents('d').put('kept', { v: 2 });
        await uow.documents('d').delete('kept');
        await uow.documents('d').put('new', { v: 1 });
        expect(ids(await uow.documents('d').list())).toEqual(['new']);
        throw new Error('rolled back');
      });
      await expect(failed).rejects.toThrow('rolled back');
      const docs = await store.transaction((uow) => uow.documents('d').list());
      expect(docs).toEqual([{ id: 'kept', version: 1, value: { v: 1 } }]);
    });
  });

  describe('checkpoints', () => {
    it('load what was saved last; nothing before the first save; rollbacks keep the old value', async () => {
      const store = await open();
      expect(await store.transaction((uow) => uow.loadCheckpoint('projection'))).toBeUndefined();
      await store.transaction((uow) => uow.saveCheckpoint('projection', 7));
      await store.transaction((uow) => uow.saveCheckpoint('projection', 12));
      const failed = store.transaction(async (uow) => {
        await uow.saveCheckpoint('projection', 99);
        throw new Error('rolled back');
      });
      await expect(failed).rejects.toThrow('rolled back');
      expect(await store.transaction((uow) => uow.loadCheckpoint('projection'))).toBe(12);
      expect(await store.transaction((uow) => uow.loadCheckpoint('other'))).toBeUndefined();
    });
  });
}
