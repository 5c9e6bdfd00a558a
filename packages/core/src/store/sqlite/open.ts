import type { EventStore } from '../contract.js';
import { resolveStoreOptions } from '../options.js';
import { openConnection, storeFailure } from './connection.js';
import type { GroupCommitStats } from './group-commit.js';
import { migrate } from './migrations.js';
import { resolveSqliteOptions, type SqliteStoreOptions } from './options.js';
import { SqliteStore } from './store.js';

export interface SqlitePragmas {
  /** 2 = FULL, 1 = NORMAL. */
  readonly synchronous: number;
  readonly journalMode: string;
  readonly foreignKeys: number;
  readonly busyTimeoutMs: number;
  readonly schemaVersion: number;
}

export interface SqliteEventStore extends EventStore {
  /** Counters of the group commit: how many physical COMMITs served how many transactions. */
  stats(): GroupCommitStats;
  /** The settings the connection actually runs with. */
  pragmas(): SqlitePragmas;
}

/** Opens (creating and migrating as needed) a SQLite database as an event store. */
export function openSqliteStore(options: SqliteStoreOptions): SqliteEventStore {
  const sqlite = resolveSqliteOptions(options);
  const settings = resolveStoreOptions(options);
  const db = openConnection(sqlite);
  try {
    const schemaVersion = migrate(db);
    return new SqliteStore(db, settings, sqlite, schemaVersion);
  } catch (error) {
    db.close();
    throw storeFailure(error, `migrate '${sqlite.path}'`);
  }
}
