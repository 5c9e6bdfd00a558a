import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EventStore } from '../store/contract.js';
import type { MemoryStoreOptions } from '../store/memory/store.js';
import type { SqliteStoreOptions } from '../store/sqlite/options.js';
import { type Adapter, fromPackage, memoryAdapter } from './adapter.js';
import { ConfigError } from './errors.js';
import { type ParamSpecs, queryWithout, readParams } from './params.js';

/** Options for each store that code adds to (and over) what its URL says. */
export interface StoreAdapterOptions {
  readonly memory?: MemoryStoreOptions;
  readonly sqlite?: Partial<SqliteStoreOptions>;
  /** `PostgresStoreOptions` of @eventloom/store-postgres. */
  readonly postgres?: Readonly<Record<string, unknown>>;
}

const SQLITE_PARAMS: ParamSpecs = {
  synchronous: { kind: 'string', oneOf: ['FULL', 'NORMAL'] },
  busyTimeoutMs: { kind: 'integer' },
  groupCommit: { kind: 'boolean' },
  maxGroupSize: { kind: 'integer' },
};

const POSTGRES_PARAMS: ParamSpecs = {
  schema: { kind: 'string' },
  poolSize: { kind: 'integer' },
};

const memoryStore = memoryAdapter<EventStore>(async (options) => {
  const { createMemoryStore } = await import('../store/memory/store.js');
  return createMemoryStore(options);
});

const sqliteStore: Adapter<EventStore> = {
  key: 'sqlite',
  schemes: ['sqlite'],
  packageName: '@eventloom/core',
  options: (url) => {
    const path = url.hosts.length > 0 ? `${url.hosts.join(',')}${url.path}` : url.path;
    if (path.length === 0)
      throw new ConfigError(
        url.field,
        url.shown,
        'needs a file path: sqlite:./data/app.db or sqlite::memory:',
      );
    return { ...readParams(url, SQLITE_PARAMS), path: decodeURIComponent(path) };
  },
  open: async (options) => {
    const path = options.path as string;
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    // Loaded only when named, so that an app on another store never loads the native module.
    const { openSqliteStore } = await import('../store/sqlite/open.js');
    return openSqliteStore(options as unknown as SqliteStoreOptions);
  },
};

const postgresStore: Adapter<EventStore> = {
  key: 'postgres',
  schemes: ['postgres', 'postgresql'],
  packageName: '@eventloom/store-postgres',
  options: (url) => {
    if (url.hosts.length === 0)
      throw new ConfigError(
        url.field,
        url.shown,
        'needs a host: postgres://user:password@host:5432/database',
      );
    const [withoutQuery = ''] = url.text.split('?');
    const connectionString = `${withoutQuery}${queryWithout(url, POSTGRES_PARAMS)}`;
    return { ...readParams(url, POSTGRES_PARAMS, true), connectionString };
  },
  open: fromPackage<EventStore>('@eventloom/store-postgres', 'openPostgresStore'),
};

export const STORE_ADAPTERS: readonly Adapter<EventStore>[] = [memoryStore, sqliteStore, postgresStore];

export const DEFAULT_STORE_URL = 'sqlite:./data/eventloom.db';
