import { createEnvelope } from '@eventloom/core';
import { openSqliteStore } from '@eventloom/core/sqlite';
import Database from 'better-sqlite3';

const BATCH = 100;

const READ_VERSION = 'SELECT version FROM streams WHERE stream_id = ?';
const SET_VERSION = `INSERT INTO streams (stream_id, version) VALUES (?, ?)
  ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version`;
const INSERT_EVENT = `INSERT INTO events (stream_id, version, id, type, source, subject, time, correlationid,
    causationid, traceparent, tracestate, tenantid, partitionkey, schemaversion, data, headers)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * The SQL an append needs on Eventloom's own schema (read the stream's version, move it on,
 * insert the event with every attribute), run by raw better-sqlite3, 100 events per transaction:
 * what the framework adds on top of the storage work it cannot skip.
 */
export async function rawSchemaAppends(
  path: string,
  synchronous: 'FULL' | 'NORMAL',
  events: number,
  streams: number,
): Promise<() => void> {
  await (await openSqliteStore({ path, synchronous })).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  const readVersion = db.prepare(READ_VERSION).pluck();
  const setVersion = db.prepare(SET_VERSION);
  const insert = db.prepare(INSERT_EVENT);
  const group = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const stream = `counter-${i % streams}`;
      const e = createEnvelope({ type: 'counter.added', data: { by: 1 }, subject: stream });
      const version = ((readVersion.get(stream) as number | undefined) ?? 0) + 1;
      setVersion.run(stream, version);
      insert.run(
        stream,
        version,
        e.id,
        e.type,
        e.source,
        e.subject ?? null,
        e.time,
        e.correlationid,
        null,
        null,
        null,
        null,
        e.partitionkey,
        e.schemaversion,
        JSON.stringify(e.data),
        null,
      );
    }
  });
  return () => {
    for (let from = 0; from < events; from += BATCH) group(from, Math.min(events, from + BATCH));
    db.close();
  };
}
