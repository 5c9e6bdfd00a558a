import type { Envelope } from '../../envelope/envelope.js';
import type { JsonValue } from '../../envelope/json.js';
import { ConcurrencyError } from '../../errors.js';
import { decodeCheckpoint, type EncodedMessage, eventRow, type NewEventRow } from '../codec.js';
import type {
  AppendResult,
  DocumentCollection,
  ExpectedVersion,
  ScheduledMessage,
  Snapshot,
  StoredEvent,
  UnitOfWork,
} from '../contract.js';
import { encodeAppend, versionMatches } from '../limits.js';
import { nowMillis } from '../options.js';
import {
  checkSnapshotVersion,
  encodeMessages,
  encodeScheduled,
  encodeSnapshot,
  eventAlreadyStored,
  requireText,
  requireWholeNumber,
} from '../validate.js';
import { attempt, isUniqueViolation } from './connection.js';
import { currentVersion, type SqliteContext } from './context.js';
import { SqliteDocuments } from './documents.js';
import type { JobContext } from './group-commit.js';
import { SqliteEventReader } from './reader.js';

/** Positional parameters: binding sixteen named ones from an object costs more than the insert's own work. */
const INSERT_EVENT = `INSERT INTO events (stream_id, version, id, type, source, subject, time, correlationid,
    causationid, traceparent, tracestate, tenantid, partitionkey, schemaversion, data, headers)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const SET_VERSION = `INSERT INTO streams (stream_id, version) VALUES (?, ?)
  ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version`;
const EVENT_EXISTS = 'SELECT 1 FROM events WHERE id = ?';
const SAVE_SNAPSHOT = `INSERT INTO snapshots (stream_id, version, schemaversion, state) VALUES (?, ?, ?, ?)
  ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, schemaversion = excluded.schemaversion,
    state = excluded.state`;
const ENQUEUE = 'INSERT INTO outbox (message_id, partition_key, envelope, enqueued_at) VALUES (?, ?, ?, ?)';
const CLAIM = 'INSERT INTO inbox (consumer, message_id, claimed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING';
const LOAD_CHECKPOINT = 'SELECT position FROM checkpoints WHERE name = ?';
const SAVE_CHECKPOINT = `INSERT INTO checkpoints (name, position) VALUES (?, ?)
  ON CONFLICT (name) DO UPDATE SET position = excluded.position`;
const SCHEDULE = `INSERT INTO scheduled (id, due_at, message_id, partition_key, envelope) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (id) DO NOTHING`;
const CANCEL = 'DELETE FROM scheduled WHERE id = ?';

/** Writes straight to the connection, inside the caller's savepoint of the group transaction. */
export class SqliteUnitOfWork extends SqliteEventReader implements UnitOfWork {
  constructor(
    context: SqliteContext,
    private readonly job: JobContext,
  ) {
    super(context, attempt);
  }

  append(streamId: string, events: readonly Envelope[], expected: ExpectedVersion): Promise<AppendResult> {
    return this.execute('append', () => {
      const { limits, schema } = this.context.settings;
      const encoded = encodeAppend(streamId, events, expected, limits, schema);
      const previousVersion = currentVersion(this.context, streamId);
      if (!versionMatches(expected, previousVersion)) {
        throw new ConcurrencyError(streamId, String(expected), previousVersion);
      }
      const rows = encoded.map((event, index) => eventRow(event, streamId, previousVersion + index + 1));
      const stored = this.insertEvents(streamId, rows);
      return { streamId, previousVersion, version: previousVersion + stored.length, events: stored };
    });
  }

  saveSnapshot(snapshot: Snapshot): Promise<void> {
    return this.execute('save a snapshot', () => {
      const encoded = encodeSnapshot(snapshot, this.context.settings.limits);
      checkSnapshotVersion(encoded, currentVersion(this.context, encoded.streamId));
      const { streamId, version, schemaversion, stateJson } = encoded;
      this.context.sql.get(SAVE_SNAPSHOT).run(streamId, version, schemaversion, stateJson);
    });
  }

  enqueue(messages: readonly Envelope[]): Promise<void> {
    return this.execute('enqueue outbox messages', () => {
      const encoded = encodeMessages(messages, this.context.settings.limits);
      const enqueuedAt = nowMillis(this.context.settings.clock);
      this.context.atomically(() => {
        for (const message of encoded) insertOutbox(this.context, message, enqueuedAt);
      });
      if (encoded.length > 0) this.job.outboxWritten = true;
    });
  }

  claim(consumer: string, messageId: string): Promise<boolean> {
    return this.execute('claim an inbox message', () => {
      requireText(consumer, 'consumer');
      requireText(messageId, 'messageId');
      const now = nowMillis(this.context.settings.clock);
      return this.context.sql.get(CLAIM).run(consumer, messageId, now).changes === 1;
    });
  }

  loadCheckpoint(name: string): Promise<number | undefined> {
    return this.execute('load a checkpoint', () => {
      requireText(name, 'checkpoint');
      const position = this.context.sql.get(LOAD_CHECKPOINT).pluck().get(name);
      return position === undefined ? undefined : decodeCheckpoint(name, position);
    });
  }

  saveCheckpoint(name: string, position: number): Promise<void> {
    return this.execute('save a checkpoint', () => {
      requireText(name, 'checkpoint');
      requireWholeNumber(position, 'position');
      this.context.sql.get(SAVE_CHECKPOINT).run(name, position);
    });
  }

  documents<T = JsonValue>(collection: string): DocumentCollection<T> {
    return new SqliteDocuments<T>(this.context, this.execute, collection);
  }

  schedule(message: ScheduledMessage): Promise<void> {
    return this.execute('schedule a message', () => {
      const { id, dueAt, message: encoded } = encodeScheduled(message, this.context.settings.limits);
      const inserted = this.context.sql
        .get(SCHEDULE)
        .run(id, dueAt, encoded.id, encoded.partitionKey, encoded.json);
      if (inserted.changes === 1) this.job.outboxWritten = true;
    });
  }

  cancelScheduled(id: string): Promise<boolean> {
    return this.execute('cancel a scheduled message', () => {
      requireText(id, 'scheduled.id');
      return this.context.sql.get(CANCEL).run(id).changes > 0;
    });
  }

  /** All rows or none, even when the caller catches the error and carries on. */
  private insertEvents(streamId: string, rows: readonly NewEventRow[]): StoredEvent[] {
    if (rows.length === 0) return [];
    try {
      return this.context.atomically(() => {
        this.context.sql.get(SET_VERSION).run(streamId, rows.at(-1)!.version);
        const insert = this.context.sql.get(INSERT_EVENT);
        const stored = rows.map((row) => {
          const inserted = insert.run(
            row.stream_id,
            row.version,
            row.id,
            row.type,
            row.source,
            row.subject,
            row.time,
            row.correlationid,
            row.causationid,
            row.traceparent,
            row.tracestate,
            row.tenantid,
            row.partitionkey,
            row.schemaversion,
            row.data,
            row.headers,
          );
          return { ...row, position: Number(inserted.lastInsertRowid) };
        });
        return this.decodeAll(stored);
      });
    } catch (error) {
      if (!isUniqueViolation(error, 'events.id')) throw error;
      const index = rows.findIndex((row) => this.context.sql.get(EVENT_EXISTS).get(row.id) !== undefined);
      throw index < 0 ? error : eventAlreadyStored(index, rows[index]!.id);
    }
  }
}

export function insertOutbox(context: SqliteContext, message: EncodedMessage, enqueuedAt: number): void {
  context.sql.get(ENQUEUE).run(message.id, message.partitionKey, message.json, enqueuedAt);
}
