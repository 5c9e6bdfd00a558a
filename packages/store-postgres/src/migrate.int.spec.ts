import pg from 'pg';
import { expect, it } from 'vitest';
import { MIGRATIONS } from './schema/migrations.js';
import { describePostgres, freshStores, postgresUrl } from './testing/postgres.js';

describePostgres('PostgreSQL store: schema migrations', () => {
  const stores = freshStores();

  it('processes opening one new schema at the same moment migrate it once, and all can use it', async () => {
    const schema = stores.newSchema();
    const opened = await Promise.all(Array.from({ length: 4 }, () => stores.openIn(schema, { poolSize: 2 })));
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 1 });
    const { rows } = await pool.query(`SELECT version FROM "${schema}".migrations ORDER BY version`);
    await pool.end();
    expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
    const versions = await Promise.all(opened.map((store) => store.streamVersion('none')));
    expect(versions).toEqual([0, 0, 0, 0]);
    await Promise.all(opened.map((store) => store.close()));
  });

  it('reopening a migrated schema changes nothing; an invalid schema name is refused', async () => {
    const schema = stores.newSchema();
    await (await stores.openIn(schema)).close();
    await (await stores.openIn(schema)).close();
    await expect(stores.openIn('Robert"); DROP TABLE x; --')).rejects.toThrow(
      /schema: must be a lower-case identifier/,
    );
  });

  it('a database migrated by a newer Eventloom is refused', async () => {
    const schema = stores.newSchema();
    await (await stores.openIn(schema)).close();
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 1 });
    await pool.query(
      `INSERT INTO "${schema}".migrations (version, description) VALUES (99, 'from the future')`,
    );
    await pool.end();
    await expect(stores.openIn(schema)).rejects.toThrow(/schema version 99/);
  });
});
