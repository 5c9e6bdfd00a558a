import { decodeSnapshot, decodeStoredEvent, type EventRow, type SnapshotRow } from '../codec.js';
import type { EventReader, ReadAllOptions, ReadStreamOptions, Snapshot, StoredEvent } from '../contract.js';
import { validateStreamId } from '../limits.js';
import { allRange, streamRange } from '../validate.js';
import { currentVersion, type Execute, type SqliteContext } from './context.js';

/** Read as arrays and made into rows here: cheaper than the driver building an object per row. */
const COLUMNS = `position, stream_id, version, id, type, source, subject, time, correlationid, causationid,
  traceparent, tracestate, tenantid, partitionkey, schemaversion, data, headers`;
const FORWARDS = `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND version >= ? ORDER BY version`;
const BACKWARDS = `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND version <= ? ORDER BY version DESC`;
const ALL = `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position`;
/**
 * Only a read with a maxCount has a LIMIT: with a bound LIMIT (even -1) the statement takes two
 * to three times as long over a short stream, the read every command does.
 */
const LIMITED = ' LIMIT ?';
const SNAPSHOT = 'SELECT stream_id, version, schemaversion, state FROM snapshots WHERE stream_id = ?';

export class SqliteEventReader implements EventReader {
  constructor(
    protected readonly context: SqliteContext,
    protected readonly execute: Execute,
  ) {}

  streamVersion(streamId: string): Promise<number> {
    return this.execute('read a stream version', () => {
      validateStreamId(streamId, this.context.settings.limits);
      return currentVersion(this.context, streamId);
    });
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    return this.execute('read a stream', () => {
      const range = streamRange(streamId, options, this.context.settings.limits);
      const forwards = range.direction === 'forwards';
      const from = range.fromVersion ?? (forwards ? 1 : Number.MAX_SAFE_INTEGER);
      const sql = forwards ? FORWARDS : BACKWARDS;
      const rows =
        range.maxCount === undefined
          ? this.rows(sql).all(streamId, from)
          : this.rows(sql + LIMITED).all(streamId, from, range.maxCount);
      return this.decodeAll(rows.map(eventRowOf));
    });
  }

  readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    return this.execute('read all events', () => {
      const { after, maxCount } = allRange(options);
      const rows =
        maxCount === undefined ? this.rows(ALL).all(after) : this.rows(ALL + LIMITED).all(after, maxCount);
      return this.decodeAll(rows.map(eventRowOf));
    });
  }

  loadSnapshot(streamId: string): Promise<Snapshot | undefined> {
    return this.execute('load a snapshot', () => {
      validateStreamId(streamId, this.context.settings.limits);
      const row = this.context.sql.get(SNAPSHOT).get(streamId) as SnapshotRow | undefined;
      return row === undefined ? undefined : decodeSnapshot(row);
    });
  }

  protected decodeAll(rows: readonly unknown[]): StoredEvent[] {
    return rows.map((row) => this.context.settings.schema.upcast(decodeStoredEvent(row as EventRow)));
  }

  /** An event query that returns each row as an array of COLUMNS. */
  private rows(sql: string): { all(...parameters: unknown[]): unknown[][] } {
    return this.context.sql.get(sql).raw(true) as { all(...parameters: unknown[]): unknown[][] };
  }
}

function eventRowOf(values: unknown[]): EventRow {
  return {
    position: values[0],
    stream_id: values[1],
    version: values[2],
    id: values[3],
    type: values[4],
    source: values[5],
    subject: values[6],
    time: values[7],
    correlationid: values[8],
    causationid: values[9],
    traceparent: values[10],
    tracestate: values[11],
    tenantid: values[12],
    partitionkey: values[13],
    schemaversion: values[14],
    data: values[15],
    headers: values[16],
  } as EventRow;
}
