import { pendingMigrations } from '@eventloom/core/store-kit';
import type pg from 'pg';
import { query } from '../sql.js';
import { MIGRATIONS } from './migrations.js';
import type { Tables } from './tables.js';

/**
 * Brings the schema to the newest version in one transaction. The advisory lock makes a second
 * process that opens the store at the same moment wait, then find nothing left to do.
 */
export async function migrate(pool: pg.Pool, tables: Tables): Promise<void> {
  const client = await pool.connect();
  try {
    await query(client, 'BEGIN');
    await query(client, 'SELECT pg_advisory_xact_lock($1::bigint)', [tables.migrationLock]);
    await query(client, `CREATE SCHEMA IF NOT EXISTS "${tables.schema}"`);
    await query(
      client,
      `CREATE TABLE IF NOT EXISTS ${tables.migrations} (
        version integer PRIMARY KEY,
        description text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const [row] = await query<{ version: number }>(
      client,
      `SELECT coalesce(max(version), 0)::integer AS version FROM ${tables.migrations}`,
    );
    for (const migration of pendingMigrations('PostgreSQL', row?.version ?? 0, MIGRATIONS)) {
      await query(client, migration.step(tables));
      await query(client, `INSERT INTO ${tables.migrations} (version, description) VALUES ($1, $2)`, [
        migration.version,
        migration.description,
      ]);
    }
    await query(client, 'COMMIT');
    client.release();
  } catch (error) {
    // The connection may be broken: hand it back as such so the pool does not reuse it.
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(error as Error);
    throw error;
  }
}
