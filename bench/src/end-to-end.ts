import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CommandExecutor,
  ConsumerRuntime,
  createMemoryBroker,
  createMemoryStore,
  createMemoryTransport,
  decider,
  type EventStore,
  enqueueAppendedEvents,
  handler,
  OutboxRelay,
  rejection,
} from '@eventloom/core';
import { openSqliteStore } from '@eventloom/core/sqlite';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/lib/Either.js';
import {
  type ComparisonRow,
  compare,
  type Measurement,
  measure,
  percentile,
  printRows,
  runConcurrently,
} from './measure.js';

/** Each event carries the time its command started, so the consumer measures command → projection latency. */
type Added = { type: 'tally.added'; data: { by: number; at: number } };
type Add = { type: 'add'; count: number; at: number };
const tally = decider<Add, Added, null>({
  name: 'tally',
  eventTypes: { 'tally.added': true },
  initialState: () => null,
  evolve: (state) => state,
  decide: (c) =>
    c.count > 0
      ? E.right(
          Array.from({ length: c.count }, () => ({
            type: 'tally.added' as const,
            data: { by: 1, at: c.at },
          })),
        )
      : E.left(rejection('empty')),
});

const COMMAND_CONCURRENCY = 100;
const STREAMS = 10_000;

interface Shape {
  readonly events: number;
  readonly eventsPerCommand: number;
}

/** command → outbox → relay → in-memory transport → consumer (inbox claim + projection row) → commit → ack. */
async function endToEnd(label: string, store: EventStore, shape: Shape): Promise<Measurement> {
  // A bounded read-ahead (messages read and not yet acked), well above the consumer's maxInFlight.
  const broker = createMemoryBroker({ maxPendingPerGroup: 1_024 });
  const transport = createMemoryTransport({ broker, onError: (error) => console.warn(error) });
  const executor = new CommandExecutor(store, { afterAppend: [enqueueAppendedEvents()] });
  const latencies: number[] = [];
  let finish = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const totals = handler<Added>({
    consumer: 'bench.totals',
    types: ['tally.added'],
    async handle(message, { uow }) {
      const documents = uow.documents<number>('bench-totals');
      const id = message.subject ?? '?';
      await documents.put(id, ((await documents.get(id))?.value ?? 0) + message.data.by);
    },
  });
  const observer = {
    handled: (message: { data: unknown }) => {
      latencies.push(performance.now() - (message.data as Added['data']).at);
      if (latencies.length === shape.events) finish();
    },
  };
  const relay = new OutboxRelay(store, { transport, batchSize: 1_000, pollIntervalMs: 50 });
  const consumer = new ConsumerRuntime({
    store,
    transport,
    group: 'bench',
    handlers: [totals],
    subscription: { maxInFlight: 256, ackTimeoutMs: 120_000 },
    inbox: false,
    observer,
  });
  relay.start();
  await consumer.start();
  const commands = shape.events / shape.eventsPerCommand;
  const measured = await measure(label, shape.events, async () => {
    await runConcurrently(commands, COMMAND_CONCURRENCY, async (i) => {
      const add: Add = { type: 'add', count: shape.eventsPerCommand, at: performance.now() };
      const result = await executor.execute(tally, String(i % STREAMS), add);
      if (E.isLeft(result)) throw new Error(`unexpected ${result.left.kind}`);
    });
    await finished;
  });
  await relay.stop();
  await consumer.stop();
  await transport.close();
  latencies.sort((a, b) => a - b);
  return { ...measured, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** The memory baseline: the same number of messages through a plain array queue into a Map of totals. */
function rawQueue(events: number): () => void {
  return () => {
    const queue: { stream: string; by: number }[] = [];
    const totals = new Map<string, number>();
    for (let i = 0; i < events; i++) queue.push({ stream: String(i % STREAMS), by: 1 });
    for (const { stream, by } of queue) totals.set(stream, (totals.get(stream) ?? 0) + by);
  };
}

/** The SQLite baseline: the rows the pipeline writes per event (event, outbox, inbox claim, projection row) by raw better-sqlite3, 100 per transaction. */
function rawSqlite(path: string, sync: 'FULL' | 'NORMAL', events: number): () => void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync}`);
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT, version INTEGER, data TEXT, UNIQUE (stream, version));
    CREATE TABLE outbox (seq INTEGER PRIMARY KEY, envelope TEXT, dispatched INTEGER);
    CREATE TABLE inbox (consumer TEXT, id TEXT, PRIMARY KEY (consumer, id));
    CREATE TABLE totals (id TEXT PRIMARY KEY, value INTEGER)`);
  const insertEvent = db.prepare('INSERT INTO events (stream, version, data) VALUES (?, ?, ?)');
  const insertOutbox = db.prepare('INSERT INTO outbox (envelope, dispatched) VALUES (?, 0)');
  const markOutbox = db.prepare('UPDATE outbox SET dispatched = 1 WHERE seq = ?');
  const claim = db.prepare('INSERT INTO inbox (consumer, id) VALUES (?, ?)');
  const upsert = db.prepare(
    'INSERT INTO totals (id, value) VALUES (?, 1) ON CONFLICT (id) DO UPDATE SET value = value + 1',
  );
  const versions = new Map<string, number>();
  const group = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const stream = String(i % STREAMS);
      const version = (versions.get(stream) ?? 0) + 1;
      versions.set(stream, version);
      insertEvent.run(stream, version, '{"by":1}');
      markOutbox.run(insertOutbox.run(`{"id":"${i}"}`).lastInsertRowid);
      claim.run('bench.totals', String(i));
      upsert.run(stream);
    }
  });
  return () => {
    for (let from = 0; from < events; from += COMMAND_CONCURRENCY)
      group(from, Math.min(events, from + COMMAND_CONCURRENCY));
    db.close();
  };
}

async function memoryCase(shape: Shape): Promise<ComparisonRow> {
  const raw = await measure('raw queue', shape.events, rawQueue(shape.events));
  const store = createMemoryStore();
  const eventloom = await endToEnd('end-to-end', store, shape);
  await store.close();
  return compare(`memory store, ${shape.eventsPerCommand} event(s)/command`, eventloom, raw);
}

async function sqliteCase(folder: string, sync: 'FULL' | 'NORMAL', shape: Shape): Promise<ComparisonRow> {
  const name = `${sync}-${shape.eventsPerCommand}`;
  const raw = await measure(
    'raw sqlite',
    shape.events,
    rawSqlite(join(folder, `raw-${name}.db`), sync, shape.events),
  );
  const store = openSqliteStore({ path: join(folder, `e2e-${name}.db`), synchronous: sync });
  const eventloom = await endToEnd('end-to-end', store, shape);
  await store.close();
  return compare(`SQLite sync=${sync}, ${shape.eventsPerCommand} event(s)/command`, eventloom, raw);
}

export async function benchEndToEnd(): Promise<ComparisonRow[]> {
  const rows: ComparisonRow[] = [];
  rows.push(await memoryCase({ events: 20_000, eventsPerCommand: 1 }));
  rows.push(await memoryCase({ events: 50_000, eventsPerCommand: 10 }));
  const folder = mkdtempSync(join(tmpdir(), 'eventloom-bench-e2e-'));
  try {
    for (const sync of ['FULL', 'NORMAL'] as const) {
      for (const eventsPerCommand of [1, 10])
        rows.push(await sqliteCase(folder, sync, { events: 20_000, eventsPerCommand }));
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  printRows(
    'End to end: command → outbox → relay → memory transport → consumer (inbox + projection) → ack',
    rows,
  );
  printLatencies(rows);
  return rows;
}

function printLatencies(rows: readonly ComparisonRow[]): void {
  console.log('\ncommand → projection committed, latency per event');
  for (const row of rows) {
    const { p50Ms = 0, p99Ms = 0 } = row.eventloom;
    console.log(
      row.case.padEnd(44),
      `p50 ${p50Ms.toFixed(1)} ms`.padStart(14),
      `p99 ${p99Ms.toFixed(1)} ms`.padStart(14),
    );
  }
}
