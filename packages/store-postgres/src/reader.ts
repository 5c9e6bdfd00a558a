import type { EventReader, ReadAllOptions, ReadStreamOptions, Snapshot, StoredEvent } from '@eventloom/core';
import { validateStreamId } from '@eventloom/core';
import {
  allRange,
  decodeSnapshot,
  decodeStoredEvent,
  type EventRow,
  type SnapshotRow,
  type StoreSettings,
  streamRange,
} from '@eventloom/core/store-kit';
import { EVENT_COLUMNS, streamVersion } from './events.js';
import type { Tables } from './schema/tables.js';
import { prepared, type Queryable, query, queryOne } from './sql.js';

/** Reads through a transaction's client, which sees the committed rows and its own writes. */
export class PostgresEventReader implements EventReader {
  constructor(
    protected readonly db: Queryable,
    protected readonly tables: Tables,
    protected readonly settings: StoreSettings,
  ) {}

  async streamVersion(streamId: string): Promise<number> {
    validateStreamId(streamId, this.settings.limits);
    return streamVersion(this.db, this.tables, streamId);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const { direction, fromVersion, maxCount } = streamRange(streamId, options, this.settings.limits);
    const forwards = direction === 'forwards';
    const sql = `SELECT ${EVENT_COLUMNS} FROM ${this.tables.events}
      WHERE stream_id = $1 AND version ${forwards ? '>=' : '<='} $2
      ORDER BY version ${forwards ? 'ASC' : 'DESC'} LIMIT $3`;
    const from = fromVersion ?? (forwards ? 1 : Number.MAX_SAFE_INTEGER);
    return this.decode(
      await query<EventRow>(this.db, sql, [streamId, from, maxCount ?? null], prepared(sql)),
    );
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const { after, maxCount } = allRange(options);
    const sql = `SELECT ${EVENT_COLUMNS} FROM ${this.tables.events} WHERE position > $1 ORDER BY position LIMIT $2`;
    return this.decode(await query<EventRow>(this.db, sql, [after, maxCount ?? null]));
  }

  async loadSnapshot(streamId: string): Promise<Snapshot | undefined> {
    validateStreamId(streamId, this.settings.limits);
    const sql = `SELECT stream_id, version, schemaversion, state::text AS state FROM ${this.tables.snapshots}
      WHERE stream_id = $1`;
    const row = await queryOne<SnapshotRow>(this.db, sql, [streamId], prepared(sql));
    return row === undefined ? undefined : decodeSnapshot(row);
  }

  protected decode(rows: readonly EventRow[]): StoredEvent[] {
    return rows.map((row) => this.settings.schema.upcast(decodeStoredEvent(row)));
  }
}
