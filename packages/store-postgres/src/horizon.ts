import type { ReadAllOptions, StoredEvent } from '@eventloom/core';
import { allRange, type EventRow } from '@eventloom/core/store-kit';
import { EVENT_COLUMNS } from './events.js';
import { PostgresEventReader } from './reader.js';
import { query, queryOne } from './sql.js';

/** Probes kept at most; a poller confirms them far faster than they pile up. */
const MAX_PROBES = 64;

interface Probe {
  /** The newest position handed out when the probe was taken. */
  readonly last: number;
  /** A transaction id assigned after that: once every older transaction has ended, `last` is settled. */
  readonly xid: string;
}

/**
 * Reads of the committed log that never skip a row. Positions come from a sequence, so a
 * transaction can commit a lower position after a higher one is visible. Each readAll first
 * notes the newest position handed out and then takes a fresh transaction id; once the oldest
 * running transaction is younger than that id, every position up to the noted one is settled
 * (committed or rolled back for good), and readAll returns rows up to the newest settled one.
 */
export class CommittedEventReader extends PostgresEventReader {
  private probes: Probe[] = [];
  private settled = 0;

  override async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const { after, maxCount } = allRange(options);
    await this.probe();
    const sql = `WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
      settled AS (
        SELECT greatest($3::bigint, max(p.last)) AS position
        FROM unnest($4::bigint[], $5::xid8[]) AS p(last, xid), horizon WHERE p.xid < horizon.xmin)
      SELECT settled.position AS settled_position, e.* FROM settled LEFT JOIN LATERAL (
        SELECT ${EVENT_COLUMNS} FROM ${this.tables.events}
        WHERE position > $1 AND position <= settled.position ORDER BY position LIMIT $2) AS e ON true`;
    const values = [after, maxCount ?? null, this.settled, ...this.probeArrays()];
    const rows = await query<EventRow & { settled_position: number }>(this.db, sql, values);
    this.settle(rows[0]?.settled_position ?? this.settled);
    return this.decode(rows.filter((row) => row.position !== null));
  }

  private async probe(): Promise<void> {
    const sql = `SELECT s.last, pg_current_xact_id()::text AS xid FROM (
      SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS last FROM ${this.tables.positions}
      OFFSET 0) AS s`;
    const probe = await queryOne<Probe>(this.db, sql);
    if (probe !== undefined) this.probes = [...this.probes, probe].slice(-MAX_PROBES);
  }

  private probeArrays(): [number[], string[]] {
    return [this.probes.map((probe) => probe.last), this.probes.map((probe) => probe.xid)];
  }

  private settle(position: number): void {
    this.settled = Math.max(this.settled, position);
    this.probes = this.probes.filter((probe) => probe.last > this.settled);
  }
}
