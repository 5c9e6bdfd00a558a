import { InvalidInputError } from '@eventloom/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA, resolvePostgresOptions } from './options.js';
import { tablesOf } from './schema/tables.js';

const url = 'postgres://user:secret@127.0.0.1:1/none';

describe('PostgreSQL store options', () => {
  it.each([
    [{ connectionString: url, schema: 'Mixed' }, /schema: must be a lower-case identifier/],
    [{ connectionString: url, schema: 'x"; DROP SCHEMA public; --' }, /schema/],
    [{ connectionString: url, schema: 'a'.repeat(49) }, /schema/],
    [{}, /connectionString: is required/],
    [{ connectionString: url, pool: new pg.Pool() }, /pool: give either pool or connectionString/],
    [{ connectionString: url, poolSize: 0 }, /poolSize: must be an integer ≥ 1/],
    [{ connectionString: url, limits: { maxEventBytes: -1 } }, /limits.maxEventBytes/],
    [
      { connectionString: url, groupCommit: 'yes' as unknown as boolean },
      /groupCommit: must be true or false/,
    ],
    [{ connectionString: url, maxGroupSize: 0 }, /maxGroupSize: must be an integer ≥ 1/],
    [{ connectionString: url, maxGroupsInFlight: 1.5 }, /maxGroupsInFlight: must be an integer ≥ 1/],
  ])('%o is refused, naming the field', (options, message) => {
    expect(() => resolvePostgresOptions(options)).toThrow(InvalidInputError);
    expect(() => resolvePostgresOptions(options)).toThrow(message);
  });

  it('opens a pool it owns from a connection string, in the default schema', async () => {
    const settings = resolvePostgresOptions({ connectionString: url });
    expect(settings).toMatchObject({ schemaName: DEFAULT_SCHEMA, ownsPool: true });
    await settings.pool.end();
  });

  it('leaves group commit off by default, on on request', async () => {
    const on = resolvePostgresOptions({ connectionString: url, groupCommit: true });
    expect(on.groupCommit).toEqual({ maxGroupSize: 32, maxGroupsInFlight: 4 });
    const off = resolvePostgresOptions({ connectionString: url });
    expect(off.groupCommit).toBeUndefined();
    await Promise.all([on.pool.end(), off.pool.end()]);
  });

  it('uses a given pool without owning it', async () => {
    const pool = new pg.Pool({ connectionString: url });
    expect(resolvePostgresOptions({ pool, schema: 'billing' })).toMatchObject({ pool, ownsPool: false });
    await pool.end();
  });

  it('names tables within the schema, and keys its lock and channel by it', () => {
    const [a, b] = [tablesOf('a'), tablesOf('b')];
    expect(a.events).toBe('"a"."events"');
    expect(a.migrationLock).not.toBe(b.migrationLock);
    expect(a.outboxChannel).toMatch(/^eventloom_outbox_[0-9a-f]{16}$/);
    expect(a.outboxChannel).not.toBe(b.outboxChannel);
  });
});
