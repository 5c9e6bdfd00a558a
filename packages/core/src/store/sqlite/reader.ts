import { decodeSnapshot, decodeStoredEvent, type EventRow, type SnapshotRow } from '../codec.js';
import type { EventReader, ReadAllOptions, ReadStreamOptions, Snapshot, StoredEvent } from '../contract.js';
import { validateStreamId } from '../limits.js';
import { allRange, streamRange } from '../validate.js';
import { currentVersion, type Execute, type SqliteContext } from './context.js';

const FORWARDS = 'SELECT * FROM events WHERE stream_id = ? AND version >= ? ORDER BY version';
const BACKWARDS = 'SELECT * FROM events WHERE stream_id = ? AND version <= ? ORDER BY version DESC';
const ALL = 'SELECT * FROM events WHERE position > ? ORDER BY position';
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
          ? this.context.sql.get(sql).all(streamId, from)
          : this.context.sql.get(sql + LIMITED).all(streamId, from, range.maxCount);
      return this.decodeAll(rows);
    });
  }

  readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    return this.execute('read all events', () => {
      const { after, maxCount } = allRange(options);
      const rows =
        maxCount === undefined
          ? this.context.sql.get(ALL).all(after)
          : this.context.sql.get(ALL + LIMITED).all(after, maxCount);
      return this.decodeAll(rows);
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
}
