import type { Queryable } from './sql.js';
import { queryOne } from './sql.js';

/** A table whose rows take increasing numbers from a sequence as they are inserted. */
export interface Sequenced {
  readonly table: string;
  readonly sequence: string;
}

interface Unsettled {
  /** The newest number handed out when it was noted. */
  readonly last: number;
  /** The transactions that were writing to the table then (virtual transaction ids). */
  readonly writers: string[];
}

/** Noted numbers still waiting for their writers; readers settle them far faster than they pile up. */
const MAX_UNSETTLED = 64;

/**
 * The highest number below which every row of a table is committed or gone for good. Numbers
 * come from a sequence, so a slow transaction can commit a lower one after a higher one is
 * visible; a reader that took the higher one as its cursor would skip it. Each call notes the
 * sequence's last value, then the transactions holding a write lock on the table (any writer
 * that took a number by then holds that lock until it ends). Once none of them is left, every
 * number up to the noted one is settled. Only writers of this table count, not every
 * transaction on the server. Read in a later statement than this one, so that the snapshot of
 * the read sees the commits of the writers found gone here.
 */
export class SettledHorizon {
  private unsettled: Unsettled[] = [];
  private settled = 0;

  constructor(private readonly target: Sequenced) {}

  async advance(db: Queryable): Promise<number> {
    const sql = `WITH noted AS (
        SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS last FROM ${this.target.sequence}),
      writing AS (
        SELECT virtualtransaction FROM pg_locks
        WHERE locktype = 'relation' AND relation = $1::regclass AND mode = 'RowExclusiveLock'
          AND pid IS DISTINCT FROM pg_backend_pid())
      SELECT noted.last,
        ARRAY(SELECT virtualtransaction FROM writing WHERE noted.last IS NOT NULL) AS writers,
        (SELECT max(u.last) FROM json_to_recordset($2::json) AS u(last bigint, writers text[])
         WHERE NOT EXISTS (SELECT 1 FROM writing w WHERE w.virtualtransaction = ANY(u.writers))) AS settled
      FROM noted`;
    const row = await queryOne<{ last: number; writers: string[]; settled: number | null }>(db, sql, [
      this.target.table,
      JSON.stringify(this.unsettled),
    ]);
    if (row !== undefined) this.note(row);
    return this.settled;
  }

  private note(row: { last: number; writers: string[]; settled: number | null }): void {
    const settledNow = row.writers.length === 0 ? row.last : 0;
    this.settled = Math.max(this.settled, row.settled ?? 0, settledNow);
    const stillOpen = row.writers.length === 0 ? [] : [{ last: row.last, writers: row.writers }];
    this.unsettled = [...this.unsettled, ...stillOpen]
      .filter((noted) => noted.last > this.settled)
      .slice(-MAX_UNSETTLED);
  }
}
