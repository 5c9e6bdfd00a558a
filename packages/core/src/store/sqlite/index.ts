export { SchemaTooNewError } from '../schema-version.js';
export type { GroupCommitStats } from './group-commit.js';
export { SQLITE_MIGRATIONS } from './migrations.js';
export { openSqliteStore, type SqliteEventStore, type SqlitePragmas } from './open.js';
export type { SqliteStoreOptions } from './options.js';
