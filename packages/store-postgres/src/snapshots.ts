import { checkSnapshotVersion, type EncodedSnapshot } from '@eventloom/core/store-kit';
import type { Tables } from './schema/tables.js';
import { type Queryable, queryOne } from './sql.js';

/** Keeps the newest snapshot of a stream; one beyond the stream's version is refused, unwritten. */
export async function saveSnapshot(db: Queryable, tables: Tables, snapshot: EncodedSnapshot): Promise<void> {
  const sql = `WITH stream AS (
      SELECT coalesce((SELECT version FROM ${tables.streams} WHERE stream_id = $1), 0) AS version),
    saved AS (
      INSERT INTO ${tables.snapshots} (stream_id, version, schemaversion, state)
      SELECT $1, $2, $3, $4 FROM stream WHERE stream.version >= $2
      ON CONFLICT (stream_id) DO UPDATE
        SET version = EXCLUDED.version, schemaversion = EXCLUDED.schemaversion, state = EXCLUDED.state
      RETURNING 1)
    SELECT stream.version, (SELECT count(*) FROM saved) AS saved FROM stream`;
  const { streamId, version, schemaversion, stateJson } = snapshot;
  const row = await queryOne<{ version: number }>(db, sql, [streamId, version, schemaversion, stateJson]);
  checkSnapshotVersion(snapshot, row?.version ?? 0);
}
