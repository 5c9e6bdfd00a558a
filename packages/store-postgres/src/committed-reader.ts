import type { ReadAllOptions, StoredEvent } from '@eventloom/core';
import { allRange, type EventRow, type StoreSettings } from '@eventloom/core/store-kit';
import type pg from 'pg';
import { EVENT_COLUMNS } from './events.js';
import { SettledHorizon } from './horizon.js';
import { PostgresEventReader } from './reader.js';
import type { Tables } from './schema/tables.js';
import { query } from './sql.js';

/** Reads of committed rows through the pool; readAll stops below any position still in flight. */
export class CommittedEventReader extends PostgresEventReader {
  private readonly horizon: SettledHorizon;

  constructor(pool: pg.Pool, tables: Tables, settings: StoreSettings) {
    super(pool, tables, settings);
    this.horizon = new SettledHorizon({ table: tables.events, sequence: tables.positions });
  }

  override async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const { after, maxCount } = allRange(options);
    const settled = await this.horizon.advance(this.db);
    const sql = `SELECT ${EVENT_COLUMNS} FROM ${this.tables.events}
      WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3`;
    return this.decode(await query<EventRow>(this.db, sql, [after, settled, maxCount ?? null]));
  }
}
