import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../../envelope/create.js';
import { CorruptDataError } from '../../errors.js';
import type { EventStore } from '../contract.js';
import { openSqliteStore } from './index.js';
import { tempFolder } from './temp-folder.js';

const folder = tempFolder('sqlite-corruption');

interface Damage {
  readonly name: string;
  readonly sql: string;
  readonly read: (store: EventStore) => Promise<unknown>;
  readonly names: RegExp;
}

const DAMAGE: Damage[] = [
  {
    name: 'unparseable event data',
    sql: "UPDATE events SET data = 'not json{'",
    read: (store) => store.readStream('s'),
    names: /events at position 1 \(stream 's' version 1\).*data.*unparseable JSON/,
  },
  {
    name: 'event headers that are not an object of strings',
    sql: "UPDATE events SET headers = '[1, 2]'",
    read: (store) => store.readAll(),
    names: /events at position 1.*headers/,
  },
  {
    name: 'an impossible event version',
    sql: 'UPDATE events SET version = 0',
    read: (store) => store.readAll(),
    names: /events at position 1.*version is 0/,
  },
  {
    name: 'a schema version that is not a number',
    sql: "UPDATE events SET schemaversion = 'one'",
    read: (store) => store.readAll(),
    names: /events at position 1.*schemaversion/,
  },
  {
    name: 'an unparseable snapshot',
    sql: "UPDATE snapshots SET state = '{'",
    read: (store) => store.loadSnapshot('s'),
    names: /snapshots of stream 's'.*state/,
  },
  {
    name: 'an unparseable document',
    sql: "UPDATE documents SET value = 'nope'",
    read: (store) => store.transaction((uow) => uow.documents('docs').get('d')),
    names: /documents 'docs' id 'd'.*value/,
  },
  {
    name: 'an outbox envelope without its attributes',
    sql: `UPDATE outbox SET envelope = '{"id": 1, "data": {}}'`,
    read: (store) => store.pendingOutbox(10),
    names: /outbox seq 1.*id is 1/,
  },
  {
    name: 'a negative checkpoint',
    sql: 'UPDATE checkpoints SET position = -5',
    read: (store) => store.transaction((uow) => uow.loadCheckpoint('cp')),
    names: /checkpoints 'cp'.*position is -5/,
  },
];

async function writeOneOfEach(path: string): Promise<void> {
  const store = openSqliteStore({ path });
  const event = () => createEnvelope({ type: 't', data: { ok: true }, headers: { h: 'v' } });
  await store.transaction(async (uow) => {
    await uow.append('s', [event()], 'no-stream');
    await uow.saveSnapshot({ streamId: 's', version: 1, schemaversion: 1, state: {} });
    await uow.documents('docs').put('d', { ok: true });
    await uow.enqueue([event()]);
    await uow.saveCheckpoint('cp', 1);
  });
  await store.close();
}

describe('SQLite store: corrupt rows', () => {
  it.each(DAMAGE)('$name: a CorruptDataError naming the table and the row', async (damage) => {
    const path = folder.file();
    await writeOneOfEach(path);
    const raw = new Database(path);
    raw.prepare(damage.sql).run();
    raw.close();
    const store = openSqliteStore({ path });
    try {
      const error = await damage.read(store).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptDataError);
      expect((error as Error).message).toMatch(damage.names);
    } finally {
      await store.close();
    }
  });
});
