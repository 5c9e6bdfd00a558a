import { randomBytes } from 'node:crypto';
import type { EventStore } from '@eventloom/core';
import type { StoreFactoryOptions } from '@eventloom/core/testing';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { openPostgresStore, type PostgresStoreOptions } from '../index.js';

/** The server the integration tests use: `scripts/services.sh up pg` writes it to .services/env. */
export const postgresUrl = resolveUrl();

function resolveUrl(): string | undefined {
  const url = process.env.EVENTLOOM_PG_URL;
  if (url !== undefined && url.length > 0) return url;
  const hint = 'run `bash scripts/services.sh up pg` and `set -a; . .services/env; set +a`';
  if (process.env.CI)
    throw new Error(`EVENTLOOM_PG_URL is not set, and CI must run the PostgreSQL tests: ${hint}`);
  console.warn(`Skipping the PostgreSQL tests: EVENTLOOM_PG_URL is not set (${hint}).`);
  return undefined;
}

/** `describe` when a server is configured, `describe.skip` otherwise. */
export const describePostgres = postgresUrl === undefined ? describe.skip : describe;

/**
 * Opens stores, each in a schema of its own so that tests never see each other's rows, and
 * drops those schemas when the file's tests are done.
 */
export function freshStores(): {
  open: (options?: Partial<PostgresStoreOptions>) => Promise<EventStore>;
  /** A store on an existing schema, as a second process would open it. */
  openIn: (schema: string, options?: Partial<PostgresStoreOptions>) => Promise<EventStore>;
  fromFactoryOptions: (
    options: StoreFactoryOptions,
    extra?: Partial<PostgresStoreOptions>,
  ) => Promise<EventStore>;
  newSchema: () => string;
} {
  const schemas: string[] = [];
  const newSchema = () => {
    const name = `eventloom_test_${randomBytes(6).toString('hex')}`;
    schemas.push(name);
    return name;
  };
  afterAll(async () => {
    if (postgresUrl === undefined || schemas.length === 0) return;
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 1 });
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
  const openIn = (schema: string, options: Partial<PostgresStoreOptions> = {}) =>
    openPostgresStore({ connectionString: postgresUrl!, schema, poolSize: 6, ...options });
  const open = (options: Partial<PostgresStoreOptions> = {}) => openIn(newSchema(), options);
  const fromFactoryOptions = (
    { schema, ...rest }: StoreFactoryOptions,
    extra: Partial<PostgresStoreOptions> = {},
  ) => open({ ...rest, ...(schema === undefined ? {} : { eventSchema: schema }), ...extra });
  return { open, openIn, fromFactoryOptions, newSchema };
}
