import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandExecutor, createEnvelope } from '@eventloom/core';
import { openSqliteStore } from '@eventloom/core/sqlite';
import Database from 'better-sqlite3';
import { counterDecider, runCounterCommands } from './command-load.js';
import { type ComparisonRow, compare, measure, printRows, runConcurrently } from './measure.js';
import { rawSchemaAppends } from './sqlite-raw.js';

// Without snapshots a command on a stream of n events reads all n: one long stream needs them.
const counter = counterDecider({ snapshotEvery: 50 });

const CONCURRENCY = 100;
type Sync = 'FULL' | 'NORMAL';

/** The same rows as an append, written by raw better-sqlite3: prepared insert, one transaction per group. */
function rawInserts(path: string, sync: Sync, events: number, streams: number): () => void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync}`);
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, time TEXT NOT NULL, correlation_id TEXT NOT NULL, data TEXT NOT NULL,
    UNIQUE (stream_id, version))`);
  const insert = db.prepare(
    'INSERT INTO events (stream_id, version, id, type, time, correlation_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const versions = new Map<string, number>();
  const group = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const stream = `counter-${i % streams}`;
      const version = (versions.get(stream) ?? 0) + 1;
      versions.set(stream, version);
      const envelope = createEnvelope({ type: 'counter.added', data: { by: 1 }, subject: stream });
      insert.run(
        stream,
        version,
        envelope.id,
        envelope.type,
        envelope.time,
        envelope.correlationid,
        JSON.stringify(envelope.data),
      );
    }
  });
  return () => {
    for (let from = 0; from < events; from += CONCURRENCY) group(from, Math.min(events, from + CONCURRENCY));
    db.close();
  };
}

async function appendCase(
  folder: string,
  sync: Sync,
  streams: number,
  events: number,
): Promise<ComparisonRow[]> {
  const raw = await measure(
    'raw insert',
    events,
    rawInserts(join(folder, `raw-${sync}-${streams}.db`), sync, events, streams),
  );
  const store = openSqliteStore({ path: join(folder, `append-${sync}-${streams}.db`), synchronous: sync });
  const eventloom = await measure('append', events, () =>
    runConcurrently(events, CONCURRENCY, (i) => {
      const stream = `counter-${i % streams}`;
      return store.transaction((uow) =>
        uow.append(
          stream,
          [createEnvelope({ type: 'counter.added', data: { by: 1 }, subject: stream })],
          'any',
        ),
      );
    }),
  );
  await store.close();
  const rawSchema = await measure(
    'raw, same schema and statements',
    events,
    await rawSchemaAppends(join(folder, `raws-${sync}-${streams}.db`), sync, events, streams),
  );
  return [
    compare(`append, ${streams} streams, sync=${sync}`, eventloom, raw),
    compare(`append vs same SQL, ${streams} streams, sync=${sync}`, eventloom, rawSchema),
  ];
}

async function commandCase(
  folder: string,
  sync: Sync,
  streams: number,
  commands: number,
): Promise<ComparisonRow> {
  const raw = await measure(
    'raw insert',
    commands,
    rawInserts(join(folder, `rawc-${sync}-${streams}.db`), sync, commands, streams),
  );
  const store = openSqliteStore({ path: join(folder, `cmd-${sync}-${streams}.db`), synchronous: sync });
  const executor = new CommandExecutor(store);
  const eventloom = await measure('command', commands, () =>
    runCounterCommands(executor, counter, { commands, streams, concurrency: CONCURRENCY }),
  );
  await store.close();
  return compare(`command round-trip, ${streams} streams, sync=${sync}`, eventloom, raw);
}

export async function benchSqliteStore(): Promise<ComparisonRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'eventloom-bench-'));
  const rows: ComparisonRow[] = [];
  try {
    for (const sync of ['FULL', 'NORMAL'] as const) {
      for (const streams of [1, 100, 10_000]) rows.push(...(await appendCase(folder, sync, streams, 20_000)));
      for (const streams of [1, 100, 10_000]) rows.push(await commandCase(folder, sync, streams, 20_000));
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  printRows(
    'SQLite store (file, WAL), concurrency 100 — raw = better-sqlite3 prepared inserts of the same rows, 100 per transaction; "same SQL" = raw better-sqlite3 running the statements an append needs on Eventloom\'s schema',
    rows,
  );
  return rows;
}
