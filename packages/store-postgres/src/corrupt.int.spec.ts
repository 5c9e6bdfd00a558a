import { CorruptDataError, createEnvelope } from '@eventloom/core';
import pg from 'pg';
import { expect, it } from 'vitest';
import { describePostgres, freshStores, postgresUrl } from './testing/postgres.js';

async function run(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(sql);
  await client.end();
}

describePostgres('PostgreSQL store: rows it did not write', () => {
  const stores = freshStores();

  it('a row that cannot be an event is a CorruptDataError naming it, on every read path', async () => {
    const schema = stores.newSchema();
    const store = await stores.openIn(schema);
    await store.transaction((uow) =>
      uow.append('s', [createEnvelope({ type: 'ok', data: {} })], 'no-stream'),
    );
    await run(`UPDATE "${schema}".events SET type = '' WHERE stream_id = 's'`);
    await expect(store.readStream('s')).rejects.toThrow(CorruptDataError);
    await expect(store.readAll()).rejects.toThrow(/events at position \d+ \(stream 's' version 1\)/);
    await expect(store.transaction((uow) => uow.readStream('s'))).rejects.toThrow(CorruptDataError);
    await store.close();
  });

  it('an outbox envelope without data is a CorruptDataError', async () => {
    const schema = stores.newSchema();
    const store = await stores.openIn(schema);
    await store.transaction((uow) => uow.enqueue([createEnvelope({ type: 'm', data: {} })]));
    await run(`UPDATE "${schema}".outbox SET envelope = '{"id": "x"}'`);
    await expect(store.pendingOutbox(10)).rejects.toThrow(CorruptDataError);
    await store.close();
  });
});
