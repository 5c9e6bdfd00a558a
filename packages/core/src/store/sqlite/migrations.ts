import { type Migration, pendingMigrations } from '../schema-version.js';
import type { Connection } from './connection.js';

/** The SQLite schema, one numbered step at a time. Never edit a released step: add one. */
export const SQLITE_MIGRATIONS: readonly Migration<string>[] = [
  {
    version: 1,
    description: 'events, streams, snapshots, outbox, inbox, checkpoints, documents, scheduled, leases',
    step: `
      CREATE TABLE streams (
        stream_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE events (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        stream_id TEXT NOT NULL REFERENCES streams (stream_id),
        version INTEGER NOT NULL,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        source TEXT NOT NULL,
        subject TEXT,
        time TEXT NOT NULL,
        correlationid TEXT NOT NULL,
        causationid TEXT,
        traceparent TEXT,
        tracestate TEXT,
        tenantid TEXT,
        partitionkey TEXT NOT NULL,
        schemaversion INTEGER NOT NULL,
        data TEXT NOT NULL,
        headers TEXT,
        UNIQUE (stream_id, version)
      );
      CREATE TABLE snapshots (
        stream_id TEXT PRIMARY KEY REFERENCES streams (stream_id),
        version INTEGER NOT NULL,
        schemaversion INTEGER NOT NULL,
        state TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id TEXT NOT NULL,
        partition_key TEXT NOT NULL,
        envelope TEXT NOT NULL,
        enqueued_at INTEGER NOT NULL,
        dispatched_at INTEGER
      );
      CREATE INDEX outbox_pending ON outbox (seq) WHERE dispatched_at IS NULL;
      CREATE INDEX outbox_dispatched ON outbox (dispatched_at) WHERE dispatched_at IS NOT NULL;
      CREATE TABLE inbox (
        consumer TEXT NOT NULL,
        message_id TEXT NOT NULL,
        claimed_at INTEGER NOT NULL,
        PRIMARY KEY (consumer, message_id)
      ) WITHOUT ROWID;
      CREATE INDEX inbox_claimed_at ON inbox (claimed_at);
      CREATE TABLE checkpoints (
        name TEXT PRIMARY KEY,
        position INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE documents (
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (collection, id)
      ) WITHOUT ROWID;
      CREATE TABLE scheduled (
        id TEXT PRIMARY KEY,
        due_at INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        partition_key TEXT NOT NULL,
        envelope TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX scheduled_due ON scheduled (due_at, id);
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

const VERSION_TABLE = `CREATE TABLE IF NOT EXISTS eventloom_schema_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
)`;

/**
 * Brings the database to the newest schema, one migration per transaction. The version is
 * read again under the write lock, so two processes opening one file do not both migrate.
 */
export function migrate(
  db: Connection,
  migrations: readonly Migration<string>[] = SQLITE_MIGRATIONS,
): number {
  db.exec(VERSION_TABLE);
  const readVersion = () =>
    (db.prepare('SELECT version FROM eventloom_schema_version WHERE id = 1').pluck().get() as
      | number
      | undefined) ?? 0;
  if (pendingMigrations('SQLite', readVersion(), migrations).length === 0) return readVersion();
  const applyNext = db.transaction(() => {
    const [next] = pendingMigrations('SQLite', readVersion(), migrations);
    if (next === undefined) return false;
    db.exec(next.step);
    db.prepare(
      'INSERT INTO eventloom_schema_version (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version',
    ).run(next.version);
    return true;
  });
  while (applyNext.immediate()) {}
  return readVersion();
}
