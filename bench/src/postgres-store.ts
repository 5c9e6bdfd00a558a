import { randomBytes } from 'node:crypto';
import {
  CommandExecutor,
  createEnvelope,
  createMemoryTransport,
  type EventStore,
  OutboxRelay,
} from '@eventloom/core';
import { openPostgresStore } from '@eventloom/store-postgres';
import pg from 'pg';
import { counterDecider, runCounterCommands } from './command-load.js';
import { type ComparisonRow, compare, measure, printRows, runConcurrently } from './measure.js';

const counter = counterDecider();

const CONCURRENCY = 100;
const POOL_SIZE = 16;
const RAW_ROWS_PER_INSERT = 100;
const RAW_CONCURRENCY = 4;
const OPERATIONS = 5_000;

const added = (stream: string) => createEnvelope({ type: 'counter.added', data: { by: 1 }, subject: stream });

interface RawShape {
  readonly rowsPerInsert: number;
  readonly concurrency: number;
}

const MULTI_ROW: RawShape = { rowsPerInsert: RAW_ROWS_PER_INSERT, concurrency: RAW_CONCURRENCY };
const ONE_ROW: RawShape = { rowsPerInsert: 1, concurrency: CONCURRENCY };

/** The same rows as an append, written by raw `pg`: INSERTs (autocommit) of `rowsPerInsert` rows each. */
async function rawInserts(
  pool: pg.Pool,
  schema: string,
  events: number,
  streams: number,
  shape: RawShape,
): Promise<() => Promise<void>> {
  await pool.query(`CREATE TABLE "${schema}".raw_events (position bigserial PRIMARY KEY, stream_id text NOT NULL,
    version bigint NOT NULL, id text NOT NULL UNIQUE, type text NOT NULL, time text NOT NULL,
    correlationid text NOT NULL, data json NOT NULL, UNIQUE (stream_id, version))`);
  const versions = new Map<string, number>();
  const batches = Math.ceil(events / shape.rowsPerInsert);
  return () =>
    runConcurrently(batches, shape.concurrency, async (batch) => {
      const values: unknown[] = [];
      const rows: string[] = [];
      const end = Math.min(events, (batch + 1) * shape.rowsPerInsert);
      for (let i = batch * shape.rowsPerInsert; i < end; i++) {
        const stream = `counter-${i % streams}`;
        const version = (versions.get(stream) ?? 0) + 1;
        versions.set(stream, version);
        const e = added(stream);
        const at = values.length;
        rows.push(`($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $${at + 7})`);
        values.push(stream, version, e.id, e.type, e.time, e.correlationid, JSON.stringify(e.data));
      }
      await pool.query(
        `INSERT INTO "${schema}".raw_events (stream_id, version, id, type, time, correlationid, data)
         VALUES ${rows.join(', ')}`,
        values,
      );
    });
}

interface Bench {
  readonly url: string;
  readonly admin: pg.Pool;
  readonly schemas: string[];
}

async function freshSchema(bench: Bench): Promise<string> {
  const schema = `eventloom_bench_${randomBytes(4).toString('hex')}`;
  bench.schemas.push(schema);
  await bench.admin.query(`CREATE SCHEMA "${schema}"`);
  return schema;
}

/** Group commit on (the default) or off: each transaction its own connection and COMMIT. */
async function openStore(bench: Bench, groupCommit = true): Promise<EventStore> {
  return openPostgresStore({
    connectionString: bench.url,
    schema: await freshSchema(bench),
    poolSize: POOL_SIZE,
    groupCommit,
  });
}

const settingOf = (groupCommit: boolean) => (groupCommit ? '' : ', group commit off');

async function rawCase(bench: Bench, streams: number, shape: RawShape = MULTI_ROW) {
  const insert = await rawInserts(bench.admin, await freshSchema(bench), OPERATIONS, streams, shape);
  return measure(`raw ${shape.rowsPerInsert}-row inserts`, OPERATIONS, insert);
}

async function appendCase(
  bench: Bench,
  streams: number,
  eventsPerAppend: number,
  rawShape: RawShape = MULTI_ROW,
  groupCommit = true,
): Promise<ComparisonRow> {
  const raw = await rawCase(bench, streams, rawShape);
  const store = await openStore(bench, groupCommit);
  const appends = OPERATIONS / eventsPerAppend;
  const eventloom = await measure('append', OPERATIONS, () =>
    runConcurrently(appends, CONCURRENCY, (i) => {
      const stream = `counter-${i % streams}`;
      const events = Array.from({ length: eventsPerAppend }, () => added(stream));
      return store.transaction((uow) => uow.append(stream, events, 'any'));
    }),
  );
  await store.close();
  const versus = rawShape === ONE_ROW ? ' (raw: 1-row inserts, same concurrency)' : '';
  const label = `append ${eventsPerAppend} event(s), ${streams} streams${settingOf(groupCommit)}${versus}`;
  return compare(label, eventloom, raw);
}

async function commandCase(bench: Bench, streams: number, groupCommit = true): Promise<ComparisonRow> {
  const raw = await rawCase(bench, streams);
  const store = await openStore(bench, groupCommit);
  const executor = new CommandExecutor(store);
  const eventloom = await measure('command', OPERATIONS, () =>
    runCounterCommands(executor, counter, { commands: OPERATIONS, streams, concurrency: CONCURRENCY }),
  );
  await store.close();
  return compare(`command round-trip, ${streams} streams${settingOf(groupCommit)}`, eventloom, raw);
}

/** Relay: read pending rows, publish them to the in-memory transport, mark them dispatched. */
async function relayCase(bench: Bench): Promise<ComparisonRow> {
  const store = await openStore(bench);
  await runConcurrently(OPERATIONS / 100, 4, () =>
    store.transaction((uow) => uow.enqueue(Array.from({ length: 100 }, (_, i) => added(`counter-${i}`)))),
  );
  const relay = new OutboxRelay(store, {
    transport: createMemoryTransport(),
    batchSize: 500,
    pollIntervalMs: 20,
  });
  const eventloom = await measure('relay', OPERATIONS, async () => {
    relay.start();
    while ((await store.outboxBacklog()).pending > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  });
  await relay.stop();
  await store.close();
  const raw = await measure('raw select + update', OPERATIONS, await rawDispatch(bench));
  return compare('relay dispatch (batches of 500)', eventloom, raw);
}

/** The relay's queries by hand, without publishing: select 500 pending rows, mark them dispatched. */
async function rawDispatch(bench: Bench): Promise<() => Promise<void>> {
  const schema = await freshSchema(bench);
  await bench.admin.query(`CREATE TABLE "${schema}".raw_outbox (seq bigserial PRIMARY KEY, envelope json NOT NULL,
    dispatched_at bigint)`);
  await bench.admin.query(
    `INSERT INTO "${schema}".raw_outbox (envelope)
    SELECT $1::json FROM generate_series(1, ${OPERATIONS})`,
    [JSON.stringify(added('counter-0'))],
  );
  return async () => {
    for (;;) {
      const { rows } = await bench.admin.query(`SELECT seq, envelope::text FROM "${schema}".raw_outbox
        WHERE dispatched_at IS NULL ORDER BY seq LIMIT 500`);
      if (rows.length === 0) return;
      await bench.admin.query(
        `UPDATE "${schema}".raw_outbox SET dispatched_at = $2 WHERE seq = ANY($1::bigint[])`,
        [rows.map((row) => row.seq), Date.now()],
      );
    }
  };
}

export async function benchPostgresStore(): Promise<ComparisonRow[]> {
  const url = process.env.EVENTLOOM_PG_URL;
  if (url === undefined || url.length === 0) {
    console.log(
      '\nPostgreSQL store: skipped (EVENTLOOM_PG_URL is not set; `bash scripts/services.sh up pg` writes it)',
    );
    return [];
  }
  const bench: Bench = {
    url,
    admin: new pg.Pool({ connectionString: url, max: POOL_SIZE }),
    schemas: [],
  };
  const rows: ComparisonRow[] = [];
  try {
    for (const streams of [100, 10_000]) rows.push(await appendCase(bench, streams, 1));
    rows.push(await appendCase(bench, 100, 1, MULTI_ROW, false));
    rows.push(await appendCase(bench, 100, 1, ONE_ROW));
    rows.push(await appendCase(bench, 100, 1, ONE_ROW, false));
    for (const eventsPerAppend of [10, 100]) rows.push(await appendCase(bench, 100, eventsPerAppend));
    for (const streams of [100, 10_000]) rows.push(await commandCase(bench, streams));
    rows.push(await commandCase(bench, 100, false));
    rows.push(await relayCase(bench));
  } finally {
    for (const schema of bench.schemas) await bench.admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await bench.admin.end();
  }
  printRows(
    `PostgreSQL store (synchronous_commit on), concurrency ${CONCURRENCY}, pool ${POOL_SIZE} — raw = pg multi-row INSERT of the same rows, ${RAW_ROWS_PER_INSERT} per statement, ${RAW_CONCURRENCY} at a time`,
    rows,
  );
  return rows;
}
