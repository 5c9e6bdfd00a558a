import { decodeSnapshot, decodeStoredEvent, type EventRow, type SnapshotRow } from '../codec.js';
import type { EventReader, ReadAllOptions, ReadStreamOptions, Snapshot, StoredEvent } from '../contract.js';
import { validateStreamId } from '../limits.js';
import { allRange, streamRange } from '../validate.js';
import { currentVersion, type Execute, type SqliteContext } from './context.js';

const FORWARDS = 'SELECT * FROM events WHERE stream_id = ? AND version >= ? ORDER BY version LIMIT ?';
const BACKWARDS = 'SELECT * FROM events WHERE stream_id = ? AND version <= ? ORDER BY version DESC LIMIT ?';
const ALL = 'SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?';
const SNAPSHOT = 'SELECT stream_id, version, schemaversion, state FROM snapshots WHERE stream_id = ?';
/** SQLite reads a negative LIMIT as no limit. */
const NO_LIMIT = -1;

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
      const limit = range.maxCount ?? NO_LIMIT;
      const rows =
        range.direction === 'forwards'
          ? this.context.sql.get(FORWARDS).all(streamId, range.fromVersion ?? 1, limit)
          : this.context.sql
              .get(BACKWARDS)
              .all(streamId, range.fromVersion ?? Number.MAX_SAFE_INTEGER, limit);
      return this.decodeAll(rows);
    });
  }

  readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    return this.execute('read all events', () => {
      const { after, maxCount } = allRange(options);
      return this.decodeAll(this.context.sql.get(ALL).all(after, maxCount ?? NO_LIMIT));
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
