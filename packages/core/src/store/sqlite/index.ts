export type { GroupCommitStats } from './group-commit.js';
export { SQLITE_MIGRATIONS } from './migrations.js';
export type { SqliteStoreOptions } from './options.js';
export { openSqliteStore, type SqliteEventStore, type SqlitePragmas } from './store.js';
