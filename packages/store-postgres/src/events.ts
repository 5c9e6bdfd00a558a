import { ConcurrencyError, type ExpectedVersion } from '@eventloom/core';
import {
  type EncodedEnvelope,
  type EventRow,
  eventAlreadyStored,
  eventRow,
  type NewEventRow,
} from '@eventloom/core/store-kit';
import type { Tables } from './schema/tables.js';
import { prepared, type Queryable, queryOne } from './sql.js';

/** The columns of `events` as the shared row decoder reads them. */
export const EVENT_COLUMNS = `position, stream_id, version, id, type, source, subject, time, correlationid,
  causationid, traceparent, tracestate, tenantid, partitionkey, schemaversion, data::text AS data,
  headers::text AS headers`;

/** The envelope columns an append sends, one array parameter each, with their SQL types. */
const APPENDED_COLUMNS = {
  id: 'text',
  type: 'text',
  source: 'text',
  subject: 'text',
  time: 'text',
  correlationid: 'text',
  causationid: 'text',
  traceparent: 'text',
  tracestate: 'text',
  tenantid: 'text',
  partitionkey: 'text',
  schemaversion: 'int',
  data: 'json',
  headers: 'json',
} as const satisfies Partial<Record<keyof NewEventRow, string>>;

const FIELDS = Object.keys(APPENDED_COLUMNS) as (keyof typeof APPENDED_COLUMNS)[];
const FIRST_ARRAY_PARAM = 3;
/** Sent only when the append pins a version. */
const EXPECTED_PARAM = `$${FIRST_ARRAY_PARAM + FIELDS.length}`;

interface AppendOutcome {
  readonly previous: number | null;
  readonly duplicate: string | null;
  readonly positions: number[] | null;
  /** The stream's version as the statement saw it, when it could not move the stream. */
  readonly actual: number | null;
}

/**
 * Appends in one statement: moves the stream row on from the expected version (waiting for a
 * concurrent writer of the same stream) and inserts the events. It writes nothing when the
 * version does not match or an event id is already stored.
 */
export async function appendEvents(
  db: Queryable,
  tables: Tables,
  streamId: string,
  encoded: readonly EncodedEnvelope[],
  expected: ExpectedVersion,
): Promise<{ previous: number; rows: EventRow[] }> {
  const rows = encoded.map((event) => eventRow(event, streamId, 0));
  const sql = appendSql(tables, expected);
  const outcome = await queryOne<AppendOutcome>(
    db,
    sql,
    [
      streamId,
      rows.length,
      ...FIELDS.map((field) => rows.map((row) => row[field])),
      ...(typeof expected === 'number' && expected > 0 ? [expected] : []),
    ],
    prepared(sql),
  );
  if (outcome?.duplicate != null) {
    throw eventAlreadyStored(
      rows.findIndex((row) => row.id === outcome.duplicate),
      outcome.duplicate,
    );
  }
  if (outcome?.previous == null) {
    const actual = outcome?.actual ?? (await streamVersion(db, tables, streamId));
    throw new ConcurrencyError(streamId, String(expected), actual);
  }
  const previous = outcome.previous;
  const positions = outcome.positions ?? [];
  return {
    previous,
    rows: rows.map((row, index) => ({ ...row, version: previous + index + 1, position: positions[index]! })),
  };
}

export async function streamVersion(db: Queryable, tables: Tables, streamId: string): Promise<number> {
  const sql = `SELECT version FROM ${tables.streams} WHERE stream_id = $1`;
  return (await queryOne<{ version: number }>(db, sql, [streamId], prepared(sql)))?.version ?? 0;
}

/** $1 stream id, $2 event count, $3… one array per column, then the expected version when pinned. */
function appendSql(t: Tables, expected: ExpectedVersion): string {
  const arrays = FIELDS.map((field, i) => `$${FIRST_ARRAY_PARAM + i}::${APPENDED_COLUMNS[field]}[]`);
  const updates = expected !== 'any' && expected !== 'no-stream' && expected !== 0;
  return `
    WITH incoming AS (SELECT * FROM unnest(${arrays.join(', ')}) WITH ORDINALITY AS e(${FIELDS.join(', ')}, n)),
    duplicate AS (SELECT min(e.id) AS id FROM ${t.events} e JOIN incoming i ON e.id = i.id),
    ${updates ? `current AS (SELECT version FROM ${t.streams} WHERE stream_id = $1 FOR UPDATE),` : ''}
    moved AS (${moveStreamSql(t, expected)}),
    inserted AS (
      INSERT INTO ${t.events} (stream_id, version, ${FIELDS.join(', ')})
      SELECT $1, moved.previous + i.n, ${FIELDS.map((field) => `i.${field}`).join(', ')}
      FROM moved, incoming i ORDER BY i.n
      RETURNING position
    )
    SELECT (SELECT previous FROM moved) AS previous, (SELECT id FROM duplicate) AS duplicate,
      (SELECT json_agg(position ORDER BY position) FROM inserted) AS positions,
      ${updates ? 'coalesce((SELECT version FROM current), 0)' : 'NULL::bigint'} AS actual`;
}

/**
 * Moves the stream row on by $2 events if it is at the expected version: yields the previous
 * version, or no row. A pinned version reads the row FOR UPDATE, so that the version it checks
 * is the newest one even when a concurrent writer committed while this statement waited.
 */
function moveStreamSql(t: Tables, expected: ExpectedVersion): string {
  const fresh = 'NOT EXISTS (SELECT 1 FROM duplicate WHERE id IS NOT NULL)';
  if (expected === 'any') {
    return `INSERT INTO ${t.streams} AS s (stream_id, version) SELECT $1::text, $2::bigint WHERE ${fresh}
      ON CONFLICT (stream_id) DO UPDATE SET version = s.version + $2 RETURNING s.version - $2 AS previous`;
  }
  if (expected === 'no-stream' || expected === 0) {
    return `INSERT INTO ${t.streams} (stream_id, version) SELECT $1::text, $2::bigint WHERE ${fresh}
      ON CONFLICT (stream_id) DO NOTHING RETURNING 0::bigint AS previous`;
  }
  const atVersion = expected === 'exists' ? '' : `AND current.version = ${EXPECTED_PARAM}::bigint`;
  return `UPDATE ${t.streams} s SET version = current.version + $2 FROM current
    WHERE s.stream_id = $1 ${atVersion} AND ${fresh} RETURNING current.version AS previous`;
}
