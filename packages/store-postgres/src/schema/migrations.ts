import type { Migration } from '@eventloom/core/store-kit';
import type { Tables } from './tables.js';

/** The SQL of one migration, for the tables of one schema. */
export type MigrationSql = (tables: Tables) => string;

/**
 * Identifiers sort and compare as code points (COLLATE "C"), as in the other stores. Times the
 * store's clock gives are epoch milliseconds; JSON keeps the text it was given.
 */
export const MIGRATIONS: readonly Migration<MigrationSql>[] = [
  {
    version: 1,
    description: 'events, streams, snapshots, outbox, inbox, checkpoints, documents, scheduled, leases',
    step: (t) => `
      CREATE TABLE ${t.streams} (
        stream_id text COLLATE "C" PRIMARY KEY,
        version bigint NOT NULL
      );
      CREATE TABLE ${t.events} (
        position bigserial PRIMARY KEY,
        stream_id text COLLATE "C" NOT NULL,
        version bigint NOT NULL,
        id text COLLATE "C" NOT NULL UNIQUE,
        type text NOT NULL,
        source text NOT NULL,
        subject text,
        time text NOT NULL,
        correlationid text NOT NULL,
        causationid text,
        traceparent text,
        tracestate text,
        tenantid text,
        partitionkey text NOT NULL,
        schemaversion integer NOT NULL,
        data json NOT NULL,
        headers json,
        UNIQUE (stream_id, version)
      );
      CREATE TABLE ${t.snapshots} (
        stream_id text COLLATE "C" PRIMARY KEY,
        version bigint NOT NULL,
        schemaversion integer NOT NULL,
        state json NOT NULL
      );
      CREATE TABLE ${t.outbox} (
        seq bigserial PRIMARY KEY,
        message_id text NOT NULL,
        partition_key text NOT NULL,
        envelope json NOT NULL,
        enqueued_at bigint NOT NULL,
        dispatched_at bigint
      );
      CREATE INDEX outbox_pending ON ${t.outbox} (seq) WHERE dispatched_at IS NULL;
      CREATE INDEX outbox_dispatched ON ${t.outbox} (dispatched_at) WHERE dispatched_at IS NOT NULL;
      CREATE TABLE ${t.inbox} (
        consumer text COLLATE "C" NOT NULL,
        message_id text COLLATE "C" NOT NULL,
        claimed_at bigint NOT NULL,
        PRIMARY KEY (consumer, message_id)
      );
      CREATE INDEX inbox_claimed_at ON ${t.inbox} (claimed_at);
      CREATE TABLE ${t.checkpoints} (
        name text COLLATE "C" PRIMARY KEY,
        position bigint NOT NULL
      );
      CREATE TABLE ${t.documents} (
        collection text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        version bigint NOT NULL,
        value json NOT NULL,
        PRIMARY KEY (collection, id)
      );
      CREATE TABLE ${t.scheduled} (
        id text COLLATE "C" PRIMARY KEY,
        due_at bigint NOT NULL,
        message_id text NOT NULL,
        partition_key text NOT NULL,
        envelope json NOT NULL
      );
      CREATE INDEX scheduled_due ON ${t.scheduled} (due_at, id);
      CREATE TABLE ${t.leases} (
        name text COLLATE "C" PRIMARY KEY,
        owner text NOT NULL,
        expires_at bigint NOT NULL
      );`,
  },
];
