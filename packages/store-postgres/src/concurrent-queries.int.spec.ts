import { expect, it } from 'vitest';
import { describePostgres, freshStores } from './testing/postgres.js';

describePostgres('PostgreSQL store: statements started together in one unit of work', () => {
  const stores = freshStores();

  it('run one after another on the connection: all answer, no driver warning, and a failure rolls back all', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const store = await stores.open();
      const ids = Array.from({ length: 40 }, (_, i) => `doc-${i}`);
      await store.transaction(async (uow) => {
        const docs = uow.documents<{ n: number }>('parallel');
        await Promise.all(ids.map((id, n) => docs.put(id, { n })));
      });
      const read = await store.transaction(async (uow) => {
        const docs = uow.documents<{ n: number }>('parallel');
        return Promise.all([...ids.map((id) => docs.get(id)), docs.count()]);
      });
      expect(read.at(-1)).toBe(40);
      expect(read.slice(0, -1).map((doc) => (doc as { value: { n: number } }).value.n)).toEqual(
        ids.map((_, n) => n),
      );

      const failing = store.transaction(async (uow) => {
        const docs = uow.documents<{ n: number }>('parallel');
        await Promise.all([
          docs.put('doc-0', { n: -1 }),
          docs.put('doc-1', { n: -1 }, 99),
          docs.delete('doc-2'),
        ]);
      });
      await expect(failing).rejects.toThrow();
      const after = await store.transaction(async (uow) => {
        const docs = uow.documents<{ n: number }>('parallel');
        return [(await docs.get('doc-0'))?.value.n, (await docs.get('doc-2'))?.value.n, await docs.count()];
      });
      expect(after).toEqual([0, 2, 40]);
      expect(warnings.filter((message) => message.includes('already executing a query'))).toEqual([]);
      await store.close();
    } finally {
      process.off('warning', onWarning);
    }
  });
});
