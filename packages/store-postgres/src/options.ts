import { type EventSchema, InvalidInputError, positiveInteger, type StoreLimits } from '@eventloom/core';
import { resolveStoreOptions, type StoreSettings } from '@eventloom/core/store-kit';
import pg from 'pg';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`; give this or `pool`. */
  readonly connectionString?: string;
  /** A pool the caller owns: the store uses it and leaves it open on close. */
  readonly pool?: pg.Pool;
  /** The PostgreSQL schema (namespace) holding the store's tables, created on open; `eventloom` by default. */
  readonly schema?: string;
  /** Event types and upcasters. */
  readonly eventSchema?: EventSchema;
  readonly limits?: Partial<StoreLimits>;
  readonly clock?: () => Date;
  /** Connections of the pool the store opens from `connectionString`; 10 by default. */
  readonly poolSize?: number;
  /**
   * Concurrent transactions share one physical transaction and one fsync, a savepoint each, so
   * that one caller's failure does not undo its neighbours; true by default. False gives each
   * transaction its own connection and COMMIT.
   */
  readonly groupCommit?: boolean;
  /** Callers in one shared transaction at most; 32 by default (PostgreSQL caches 64 subtransactions). */
  readonly maxGroupSize?: number;
  /** Shared transactions open at once (one begun, one running callers, the rest committing); 4 by default. */
  readonly maxGroupsInFlight?: number;
}

export interface GroupCommitSettings {
  readonly maxGroupSize: number;
  readonly maxGroupsInFlight: number;
}

export interface PostgresSettings extends StoreSettings {
  readonly pool: pg.Pool;
  readonly ownsPool: boolean;
  readonly schemaName: string;
  /** Undefined when group commit is off. */
  readonly groupCommit: GroupCommitSettings | undefined;
}

export const DEFAULT_SCHEMA = 'eventloom';
const DEFAULT_POOL_SIZE = 10;
const DEFAULT_MAX_GROUP_SIZE = 32;
const DEFAULT_MAX_GROUPS_IN_FLIGHT = 4;
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,47}$/;

/** Checks the options, then opens the pool when the store is to own one. */
export function resolvePostgresOptions(options: PostgresStoreOptions): PostgresSettings {
  const { eventSchema, limits, clock } = options;
  const settings = resolveStoreOptions({
    ...(eventSchema === undefined ? {} : { schema: eventSchema }),
    ...(limits === undefined ? {} : { limits }),
    ...(clock === undefined ? {} : { clock }),
  });
  const schemaName = options.schema ?? DEFAULT_SCHEMA;
  if (typeof schemaName !== 'string' || !IDENTIFIER.test(schemaName)) {
    throw new InvalidInputError(
      'schema',
      `must be a lower-case identifier of at most 48 characters (a-z, 0-9, _), got ${JSON.stringify(schemaName)}`,
    );
  }
  const groupCommit = resolveGroupCommit(options);
  return { ...settings, schemaName, groupCommit, ...openPool(options) };
}

function resolveGroupCommit(options: PostgresStoreOptions): GroupCommitSettings | undefined {
  const enabled = options.groupCommit ?? false;
  if (typeof enabled !== 'boolean') {
    throw new InvalidInputError('groupCommit', `must be true or false, got ${JSON.stringify(enabled)}`);
  }
  const maxGroupSize = positiveInteger(options.maxGroupSize ?? DEFAULT_MAX_GROUP_SIZE, 'maxGroupSize');
  const maxGroupsInFlight = positiveInteger(
    options.maxGroupsInFlight ?? DEFAULT_MAX_GROUPS_IN_FLIGHT,
    'maxGroupsInFlight',
  );
  return enabled ? { maxGroupSize, maxGroupsInFlight } : undefined;
}

function openPool(options: PostgresStoreOptions): { pool: pg.Pool; ownsPool: boolean } {
  if (options.pool !== undefined) {
    if (options.connectionString !== undefined) {
      throw new InvalidInputError('pool', 'give either pool or connectionString, not both');
    }
    return { pool: options.pool, ownsPool: false };
  }
  if (typeof options.connectionString !== 'string' || options.connectionString.length === 0) {
    throw new InvalidInputError('connectionString', 'is required when no pool is given');
  }
  const max = positiveInteger(options.poolSize ?? DEFAULT_POOL_SIZE, 'poolSize');
  const pool = new pg.Pool({ connectionString: options.connectionString, max });
  // The server dropped an idle connection: the pool discards it, and the next call opens another.
  pool.on('error', () => {});
  return { pool, ownsPool: true };
}
