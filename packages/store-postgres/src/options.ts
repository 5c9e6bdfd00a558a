import { type EventSchema, InvalidInputError, type StoreLimits } from '@eventloom/core';
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
}

export interface PostgresSettings extends StoreSettings {
  readonly pool: pg.Pool;
  readonly ownsPool: boolean;
  readonly schemaName: string;
}

export const DEFAULT_SCHEMA = 'eventloom';
const DEFAULT_POOL_SIZE = 10;
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
  return { ...settings, schemaName, ...openPool(options) };
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
  const max = options.poolSize ?? DEFAULT_POOL_SIZE;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new InvalidInputError('poolSize', `must be an integer ≥ 1, got ${String(max)}`);
  }
  const pool = new pg.Pool({ connectionString: options.connectionString, max });
  // The server dropped an idle connection: the pool discards it, and the next call opens another.
  pool.on('error', () => {});
  return { pool, ownsPool: true };
}
