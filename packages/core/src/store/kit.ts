/**
 * What a store outside this package (PostgreSQL) shares with the built-in ones: the row codec,
 * input checks, option handling, the unit-of-work rules, migrations bookkeeping and the
 * outbox signal. Imported as `@eventloom/core/store-kit`; not for application code.
 */
export * from './codec.js';
export * from './group-commit.js';
export * from './limits.js';
export * from './options.js';
export * from './outbox-signal.js';
export * from './schema-version.js';
export * from './transaction-scope.js';
export * from './unit-of-work-guard.js';
export * from './validate.js';
