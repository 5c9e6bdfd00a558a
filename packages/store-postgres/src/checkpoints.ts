import { decodeCheckpoint } from '@eventloom/core/store-kit';
import type { Tables } from './schema/tables.js';
import { type Queryable, query, queryOne } from './sql.js';

export async function loadCheckpoint(
  db: Queryable,
  tables: Tables,
  name: string,
): Promise<number | undefined> {
  const sql = `SELECT position FROM ${tables.checkpoints} WHERE name = $1`;
  const row = await queryOne<{ position: unknown }>(db, sql, [name]);
  return row === undefined ? undefined : decodeCheckpoint(name, row.position);
}

export async function saveCheckpoint(
  db: Queryable,
  tables: Tables,
  name: string,
  position: number,
): Promise<void> {
  const sql = `INSERT INTO ${tables.checkpoints} (name, position) VALUES ($1, $2)
    ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position`;
  await query(db, sql, [name, position]);
}
