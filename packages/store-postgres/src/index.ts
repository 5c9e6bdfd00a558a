export type { PostgresStoreOptions } from './options.js';
export { DEFAULT_SCHEMA } from './options.js';
export { openPostgresStore } from './store.js';
